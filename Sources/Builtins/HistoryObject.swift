import Display
import Language
import Training

/// What `train` returns: per-epoch loss and accuracy, what was used and what it cost.
final class HistoryObject: HostObject, @unchecked Sendable {
    let history: History
    /// Watts per busy core for the energy estimate (see `Cost`).
    let wattsPerCore: Double

    init(_ history: History, wattsPerCore: Double = Cost.defaultWattsPerCore) {
        self.history = history
        self.wattsPerCore = wattsPerCore
    }

    var typeName: String { "history" }
    var summary: String {
        guard let last = history.epochs.last else { return "history of no completed epochs" }
        let stopped = last.partial.map { " (\($0.description))" } ?? ""
        return "history of \(history.epochs.count) epoch\(history.epochs.count == 1 ? "" : "s")\(stopped): loss \(Format.fixed(last.loss, 4))"
            + (last.accuracy.map { ", accuracy \(Format.percent($0))" } ?? "")
    }

    func display() -> [DisplayValue] { [.text(lines(withTiming: false).joined(separator: "\n"))] }

    /// Every epoch, what was used, and the cost with timings.
    func show() -> [DisplayValue] {
        let rows = history.epochs.map { epoch in
            ["\(epoch.epoch)" + (epoch.partial.map { " (\($0.description))" } ?? ""), Format.fixed(epoch.loss, 4), epoch.accuracy.map(Format.percent) ?? "-", Format.fixed(Float(epoch.seconds), 2)]
        }
        let title = "\(history.loss.rawValue) loss, \(history.optimizer), batch \(history.batchSize)"
        return [.table(Table(title: title, headers: ["epoch", "loss", "accuracy", "seconds"], rows: rows)),
                .timed(Cost.lines(history, wattsPerCore: wattsPerCore, withTiming: true).joined(separator: "\n"),
                       untimed: Cost.lines(history, wattsPerCore: wattsPerCore, withTiming: false).joined(separator: "\n"))]
    }

    /// Thinned epoch lines then the cost (times only when asked).
    func lines(withTiming: Bool) -> [String] {
        let epochs = history.epochs.filter { $0.partial != nil || Progress.isReportedEpoch($0.epoch, of: $0.epochs) }.map { epoch in
            Progress(epoch: epoch.epoch, epochs: epoch.epochs, batch: epoch.partial?.batch ?? 0, batches: epoch.partial?.batches ?? 0,
                     loss: epoch.loss, accuracy: epoch.accuracy,
                     examplesPerSecond: Double(epoch.examples) / max(epoch.seconds, 1e-9), seconds: epoch.seconds, isEpochSummary: true,
                     perplexity: epoch.perplexity)
                .summaryLine(withTiming: withTiming)
        }
        return epochs + Cost.lines(history, wattsPerCore: wattsPerCore, withTiming: withTiming)
    }

    var memberNames: [String] { ["loss", "accuracy", "epochs", "batch_losses", "flops", "seconds"] }

    func member(_ name: String) throws(HostError) -> Value {
        switch name {
        case "loss": return .makeList(history.epochs.map { .number(Double($0.loss)) })
        case "accuracy": return .makeList(history.epochs.map { $0.accuracy.map { .number(Double($0)) } ?? .none })
        case "epochs": return .number(Double(history.epochs.count))
        case "batch_losses": return .makeList(history.batchLosses.map { .number(Double($0)) })
        case "flops": return .number(history.cost.flops)
        case "seconds": return .number(history.cost.seconds)
        default: throw HostError("history has no member '\(name)'", hint: "members: \(memberNames.joined(separator: ", "))")
        }
    }

    /// Loss and accuracy per epoch, as `plot history` draws them: a loss stays ≥ 0 and an
    /// accuracy within 0–1 on the axis; a stopped epoch sits as far along as it got, and says so
    /// in the title; a lone point or a stopped epoch widens the x axis to 0…its epoch.
    var plot: Plot {
        var panels: [(yLabel: String, series: [Series])] = [
            ("loss", [Series(name: "train loss", points: history.epochs.map { ($0.position, Double($0.loss)) }, limits: 0...Double.greatestFiniteMagnitude)]),
        ]
        if history.epochs.contains(where: { $0.accuracy != nil }) {
            panels.append(("accuracy", [Series(name: "train accuracy", points: history.epochs.compactMap { epoch in
                epoch.accuracy.map { (epoch.position, Double($0)) }
            }, limits: 0...1)]))
        }
        var plot = Plot(title: "training history", xLabel: "epoch", panels: panels)
        if let last = history.epochs.last, let partial = last.partial {
            plot.title = "training history (epoch \(last.epoch)/\(last.epochs) \(partial.description))"
        }
        if let last = history.epochs.last, history.epochs.count == 1 || last.partial != nil { plot.xCovers = 0...Double(last.epoch) }
        return plot
    }
}

/// What `evaluate` returns.
final class MetricsObject: HostObject, @unchecked Sendable {
    let metrics: Metrics
    let dataName: String

    init(_ metrics: Metrics, dataName: String) {
        self.metrics = metrics
        self.dataName = dataName
    }

    var typeName: String { "metrics" }
    /// "mnist.test: loss 0.0312  accuracy 98.95%  (10,000 examples)"; for a language model
    /// "…validation: loss 1.6021 nats/char = 2.3114 bits/char  perplexity 4.96  accuracy 51.20%  (140,800 characters)".
    var summary: String {
        let accuracy = metrics.accuracy.map { "  accuracy \(Format.percent($0))" } ?? ""
        guard let tokens = metrics.tokens, let bits = metrics.bitsPerToken, let perplexity = metrics.perplexity else {
            return "\(dataName): loss \(Format.fixed(metrics.loss, 4))\(accuracy)  (\(Format.grouped(metrics.count)) examples)"
        }
        return "\(dataName): loss \(Progress.format(metrics.loss, digits: 4)) nats/char = \(Progress.format(bits, digits: 4)) bits/char"
            + "  perplexity \(Progress.format(perplexity, digits: 2))\(accuracy)  (\(Format.grouped(tokens)) characters)"
    }
    var memberNames: [String] { ["loss", "accuracy", "count"] + (metrics.tokens == nil ? [] : ["perplexity", "bits_per_char"]) }

    func member(_ name: String) throws(HostError) -> Value {
        switch name {
        case "loss": return .number(Double(metrics.loss))
        case "accuracy": return metrics.accuracy.map { .number(Double($0)) } ?? .none
        case "count": return .number(Double(metrics.count))
        case "perplexity" where metrics.perplexity != nil: return .number(Double(metrics.perplexity!))
        case "bits_per_char" where metrics.bitsPerToken != nil: return .number(Double(metrics.bitsPerToken!))
        default: throw HostError("metrics has no member '\(name)'", hint: "members: \(memberNames.joined(separator: ", "))")
        }
    }
}

/// The cost report after training: arithmetic always; time, rate and energy when timings are on,
/// one line each so each fits an 80-column terminal.
enum Cost {
    /// The reference laptop CPU's fp32 peak (2 cores × 4.2 GHz × 64 FLOP/cycle,
    /// reference/pytorch-cpu-baseline.md): what untimed estimates price arithmetic at, so their
    /// output is the same on every machine. Timed lines use the running machine's `MachinePeak`.
    static let referencePeakGigaflops = 538.0
    /// The reference laptop's cores, for untimed energy estimates (so those, too, read the same everywhere).
    static let referenceCores = 2
    /// An assumed draw per busy core, for the energy estimate (a laptop core under load; `TENSORBOOK_WATTS_PER_CORE` overrides).
    static let defaultWattsPerCore: Double = {
        Double(ProcessInfo.processInfo.environment["TENSORBOOK_WATTS_PER_CORE"] ?? "") ?? 15
    }()

    static func lines(_ history: History, wattsPerCore: Double, withTiming: Bool) -> [String] {
        let examples = history.epochs.reduce(0) { $0 + $1.examples }
        var line = history.cost.flops == 0
            ? "cost: arithmetic not counted (the model's forward calls no layers) for \(Format.grouped(examples)) examples"
            : "cost: \(Format.flops(history.cost.flops)) of arithmetic for \(Format.grouped(examples)) examples"
        guard withTiming else { return [line] }
        let rate = history.cost.gigaflopsPerSecond
        let joules = history.cost.seconds * Double(history.cost.threads) * wattsPerCore
        line += " in \(Format.fixed(Float(history.cost.seconds), 2)) s"
        let peak = MachinePeak.current
        let speed = "speed: \(Format.fixed(Float(rate), 1)) GFLOP/s, \(Format.fixed(Float(100 * rate / peak.gigaflops), 1))% of this machine's "
            + "\(Int(peak.gigaflops.rounded())) GFLOP/s peak (\(peak.derivation))"
        let energy = "energy ≈ \(Format.fixed(Float(joules), 1)) J (\(Format.fixed(Float(joules / 3.6), 3)) mWh), assuming \(Format.fixed(Float(wattsPerCore), 0)) W per busy core × \(history.cost.threads) cores"
        return [line, speed, energy]
    }
}

import Foundation
