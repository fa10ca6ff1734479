import Builtins
import Diagnostics
import Display
import Foundation
import Language
import TestSupport
import Testing

/// The essay's train() written in tensorbook (examples/essay-cnn-by-hand.tb) against
/// `train model on mnist` from the same seed: the same loss after every batch, the same model.
@Suite(.serialized, .enabled(if: isOptimizedBuild, "trains on all of MNIST: run optimised, as `make test` does"))
struct HandWrittenLoopTests {
    @Test func theEssaysLoopByHandEqualsTheTrainCommand() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/essay-cnn-by-hand.tb").path
        let sink = CollectingSink()
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        let byHand = try String(contentsOfFile: path, encoding: .utf8)
        let command = """
            seed 0
            reference = cnn()
            history = train reference on mnist epochs 1
            metrics = evaluate reference on mnist
            """
        #expect(interpreter.run(SourceFile(name: "essay-cnn-by-hand.tb", text: byHand)).isEmpty)
        #expect(interpreter.run(SourceFile(name: "train.tb", text: command)).isEmpty)
        let handLosses = try numbers(interpreter.variables["losses"])
        guard case .object(let history)? = interpreter.variables["history"], case .object(let metrics)? = interpreter.variables["metrics"] else {
            Issue.record("the train command left no history")
            return
        }
        let trainLosses = try numbers(try history.member("batch_losses"))
        #expect(handLosses.count == 938 && trainLosses.count == 938)
        for (batch, (hand, reference)) in zip(handLosses, trainLosses).prefix(100).enumerated() {
            #expect(abs(hand - reference) <= 1e-6 * abs(reference), "batch \(batch + 1): \(hand) by hand, \(reference) from train")
        }
        // The same test accuracy: the script's loop against evaluate on the command's model.
        let accuracy = try numbers(try metrics.member("accuracy")).first ?? 0
        #expect(sink.plainText().contains(String(format: "test accuracy: %.2f%%", accuracy * 100)), "\(sink.plainText())")
        #expect(accuracy >= 0.965)
    }

    private func numbers(_ value: Value?) throws -> [Double] {
        switch value {
        case .number(let number)?: return [number]
        case .list(let list)?: return list.items.compactMap { if case .number(let number) = $0 { number } else { nil } }
        default: throw HostError("expected numbers, got \(value?.typeName ?? "nothing")")
        }
    }
}
