@testable import Builtins
import Datasets
import Display
import NeuralNetworks
import TensorEngine
import Testing
import Training

/// A history stopped inside its first epoch (as by Ctrl-C) says so, and its plot stays in the
/// data's meaningful range: accuracy within 0–1, loss ≥ 0, the lone point drawn with its value.
@Suite struct StoppedHistoryTests {
    static func stoppedHistory() throws -> History {
        GlobalRandom.seed(3)
        let model = try Presets.mlp([10, 8, 1])
        let data = try SyntheticData.randomBinary(count: 640, features: 10)
        nonisolated(unsafe) var stopRequested = false
        return try Training.fit(model, on: data.train, optimizer: Adam(), configuration: TrainingConfiguration(epochs: 3),
                                shouldStop: { stopRequested }) { event in
            if case .batchEnded(let progress) = event, progress.batch == 3 { stopRequested = true }
        }
    }

    /// The labels at the top and bottom of each panel's y axis, and at both ends of its x axis.
    static func axisLabels(_ rendered: String, panel: String) -> (top: Double, bottom: Double, left: Double, right: Double)? {
        let lines = rendered.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: panel), lines.count > start + 12 else { return nil }
        func label(_ line: String) -> Double? { Double(line.split(separator: "┤")[0].trimmingCharacters(in: .whitespaces)) }
        let ends = lines[start + 12].split(separator: " ").compactMap { Double($0) }
        guard let top = label(lines[start + 1]), let bottom = label(lines[start + 10]), ends.count == 2 else { return nil }
        return (top, bottom, ends[0], ends[1])
    }

    @Test func theHistorySaysWhereItStopped() throws {
        let history = HistoryObject(try Self.stoppedHistory())
        #expect(history.lines(withTiming: false)[0].hasPrefix("epoch 1/3 (stopped at batch 3 of 10)  loss "))
        #expect(history.summary.hasPrefix("history of 1 epoch (stopped at batch 3 of 10): loss "))
    }

    @Test func itsPlotKeepsAccuracyWithinOneAndLossAboveZero() throws {
        let plot = HistoryObject(try Self.stoppedHistory()).plot
        #expect(plot.title == "training history (epoch 1/3 stopped at batch 3 of 10)")
        let rendered = BrailleCanvas.render(plot, color: false)
        let accuracy = try #require(Self.axisLabels(rendered, panel: "accuracy"), "\(rendered)")
        let loss = try #require(Self.axisLabels(rendered, panel: "loss"), "\(rendered)")
        #expect(accuracy.top <= 1 && accuracy.bottom >= 0 && loss.bottom >= 0, "\(rendered)")
        #expect(accuracy.left == 0 && accuracy.right == 1, "the stopped epoch is 0.3 of the way along epoch 1: \(rendered)")
        #expect(rendered.contains("one point: train accuracy ") && rendered.contains(" at epoch 0.3"), "\(rendered)")
    }
}
