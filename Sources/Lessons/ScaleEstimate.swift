import Display
import Foundation
import NeuralNetworks

/// `estimate MODEL tokens N`: what training a model on N tokens costs in arithmetic, time and
/// energy, next to large models whose figures their papers give (the essay's question: what do
/// large models cost?).
public struct ScaleEstimate: Sendable {
    /// A model with published training figures.
    public struct Reference: Sendable {
        public let name: String, parameters: Double, tokens: Double
        /// Training FLOPs as the source states them; nil means 6·N·D.
        public let statedFLOPs: Double?
        public let source: String

        /// The training arithmetic: the stated figure, else 6·N·D.
        public var flops: Double { statedFLOPs ?? 6 * parameters * tokens }
    }

    /// The models the table compares with, with where each figure comes from.
    public static let references: [Reference] = [
        Reference(name: "GPT-2 small", parameters: 124e6, tokens: 295e9, statedFLOPs: nil,
                  source: "124 M parameters (OpenAI's released GPT-2); 295 B tokens as nanoGPT's config/train_gpt2.py reproduces it (491,520 tokens × 600,000 steps)"),
        Reference(name: "GPT-3", parameters: 175e9, tokens: 300e9, statedFLOPs: 3.14e23,
                  source: "Brown et al. 2020, Language Models are Few-Shot Learners, Table D.1: 175 B parameters, 300 B tokens, 3.14×10²³ FLOPs"),
        Reference(name: "Chinchilla", parameters: 70e9, tokens: 1.4e12, statedFLOPs: 5.76e23,
                  source: "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models: 70 B parameters, 1.4 T tokens, trained with Gopher's budget of 5.76×10²³ FLOPs"),
    ]

    /// The model's parameters.
    public let parameters: Int
    /// Tokens to train on.
    public let tokens: Double
    /// Training FLOPs per token by tensorbook's own accounting (3 × the forward pass of one
    /// window, divided by its length).
    public let flopsPerToken: Double
    /// The window the per-token figure was taken over.
    public let window: Int

    /// The estimate for `model` reading windows of `window` tokens.
    public init(model: Sequential, window: Int, tokens: Double) {
        parameters = model.parameterCount
        self.tokens = tokens
        self.window = window
        flopsPerToken = 3 * Double(model.forwardFLOPs(for: [window])) / Double(window)
    }

    /// 6·N·D, the usual rule.
    public var approximateFLOPs: Double { 6 * Double(parameters) * tokens }
    /// Our accounting times the tokens.
    public var countedFLOPs: Double { flopsPerToken * tokens }

    /// The summary and the comparison table; `rate` (GFLOP/s) and `watts` price the arithmetic.
    /// `measured` says whether the rate was measured just now (machine-dependent) or is the
    /// reference laptop's peak (so the output is the same everywhere).
    public func report(rate: Double, watts: Double, measured: Bool) -> [DisplayValue] {
        let basis = measured ? "at \(Progress.format(Float(rate), digits: 1)) GFLOP/s, measured just now on this model"
            : "at \(Int(rate)) GFLOP/s, a laptop CPU's peak (no real run gets all of it; with --time or at the prompt the rate is measured here)"
        let lines = [
            "parameters: \(Self.grouped(parameters))",
            "training on \(Number.text(Float(tokens))) tokens:",
            "    ≈ 6 · N · D = 6 × \(Self.grouped(parameters)) × \(Number.text(Float(tokens))) = \(Number.text(Float(approximateFLOPs))) FLOPs",
            "    tensorbook's own count: \(Number.text(Float(flopsPerToken))) FLOPs per token (3 × one forward pass of \(window) tokens / \(window)) → \(Number.text(Float(countedFLOPs))) FLOPs",
            "time and energy \(basis), \(Progress.format(Float(watts), digits: 0)) W:",
            "    \(Self.duration(countedFLOPs / (rate * 1e9))), \(Self.energy(countedFLOPs / (rate * 1e9) * watts))",
        ]
        let rows = [["this model", Self.scaled(Double(parameters)), Self.scaled(tokens), Number.text(Float(countedFLOPs)),
                     Self.duration(countedFLOPs / (rate * 1e9)), Self.energy(countedFLOPs / (rate * 1e9) * watts)]]
            + Self.references.map { reference in
                [reference.name, Self.scaled(reference.parameters), Self.scaled(reference.tokens), Number.text(Float(reference.flops)),
                 Self.duration(reference.flops / (rate * 1e9)), Self.energy(reference.flops / (rate * 1e9) * watts)]
            }
        let table = Table(title: "the same arithmetic for models from their papers, on this machine \(measured ? "at the measured rate" : "at its peak")",
                          headers: ["model", "parameters", "tokens", "training FLOPs", "time here", "energy here"], rows: rows)
        let sources = ["sources:"] + Self.references.map { "    \($0.name): \($0.source)" }
        return [.text(lines.joined(separator: "\n")), .table(table), .text(sources.joined(separator: "\n"))]
    }

    /// 831488 → "831,488".
    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        return String(digits.reversed().enumerated().map { $0.offset > 0 && $0.offset % 3 == 0 ? ",\($0.element)" : "\($0.element)" }.joined().reversed())
    }

    /// 1.24e8 → "124 M", 3e11 → "300 B".
    static func scaled(_ value: Double) -> String {
        for (scale, unit) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")] where value >= scale {
            let shown = value / scale
            return (shown >= 100 ? Progress.format(Float(shown), digits: 0) : Progress.format(Float(shown), digits: 1)) + " " + unit
        }
        return Progress.format(Float(value), digits: 0)
    }

    /// Seconds in the largest unit that keeps the number readable.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "∞" }
        let units: [(Double, String)] = [(365.25 * 86_400, "years"), (86_400, "days"), (3_600, "hours"), (60, "minutes"), (1, "s")]
        for (size, name) in units where seconds >= size {
            let value = seconds / size
            let shown = value >= 1e5 ? Number.text(Float(value)) : value >= 1000 ? grouped(Int(value.rounded()))
                : Progress.format(Float(value), digits: value >= 100 ? 0 : 1)
            return shown + " " + name
        }
        return Progress.format(Float(seconds * 1000), digits: 1) + " ms"
    }

    /// Joules as J, Wh, kWh, MWh or GWh.
    static func energy(_ joules: Double) -> String {
        let wattHours = joules / 3_600
        for (size, unit) in [(1e9, "GWh"), (1e6, "MWh"), (1e3, "kWh"), (1, "Wh")] where wattHours >= size {
            return Progress.format(Float(wattHours / size), digits: 1) + " " + unit
        }
        return Progress.format(Float(joules), digits: 1) + " J"
    }
}
