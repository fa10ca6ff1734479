import Builtins
import Diagnostics
import Display
import Foundation
import Language
import TestSupport
import Testing

/// The essay's three programs, as the example scripts in `examples/`, run end to end.
@Suite(.serialized, .enabled(if: isOptimizedBuild, "trains on real data: run optimised, as `make test` does"))
struct EssayProgramTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples").path

    func run(_ name: String) throws -> (interpreter: Interpreter, output: String, diagnostics: [Diagnostic]) {
        let path = (Self.examples as NSString).appendingPathComponent(name)
        let sink = CollectingSink()
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        let diagnostics = interpreter.run(SourceFile(name: name, text: try String(contentsOfFile: path, encoding: .utf8)))
        return (interpreter, sink.plainText(), diagnostics)
    }

    func accuracy(_ interpreter: Interpreter) -> Double? {
        guard case .object(let result)? = interpreter.variables["result"], case .number(let value)? = try? result.member("accuracy") else { return nil }
        return value
    }

    /// The script's one seed lands at 96.88 %; the 97 % bar is checked over five seeds by
    /// TrainingTests' Accuracy suite, so this asserts the per-seed floor used there.
    @Test func cnnLearnsTheDigits() throws {
        let (interpreter, output, diagnostics) = try run("essay-cnn.tb")
        #expect(diagnostics.isEmpty)
        #expect((accuracy(interpreter) ?? 0) >= 0.965, "\(output)")
    }

    @Test func brokenCNNStopsAtTheOffendingLayer() throws {
        let (_, _, diagnostics) = try run("essay-cnn-broken.tb")
        let rendered = diagnostics.map { DiagnosticRenderer(color: false).render($0) }.joined()
        #expect(rendered.hasPrefix("essay-cnn-broken.tb:5:20: error: layer 5, linear(576, 120) expects 576 input features, but receives 3136"))
        #expect(rendered.contains("hint: make it linear(3136, 120)"))
    }

    @Test func mlpOnRandomLabelsStaysAtChance() throws {
        let (interpreter, output, diagnostics) = try run("essay-mlp.tb")
        #expect(diagnostics.isEmpty)
        let value = accuracy(interpreter) ?? 0
        #expect(value > 0.35 && value < 0.65, "\(output)")
        #expect(output.contains("epoch 100/100"))
    }

    @Test func lstmReaches72PercentOnMovieReviews() throws {
        let (interpreter, output, diagnostics) = try run("essay-lstm.tb")
        #expect(diagnostics.isEmpty)
        #expect((accuracy(interpreter) ?? 0) >= 0.72, "\(output)")
    }
}
