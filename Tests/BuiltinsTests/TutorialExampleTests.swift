import Builtins
import Diagnostics
import Display
import Foundation
import Language
import TensorEngine
import Testing

/// The public tutorials' programs ported to tensorbook (examples/tutorials/NAME.tb) print what
/// the PyTorch originals beside them print (NAME.pytorch.txt, recorded by record_pytorch.py):
/// the same words, and numbers within 1e-6 + 3e-4 relative (float32 sums in another order over
/// thousands of steps). Lines starting "sample" hold draws from another generator than
/// PyTorch's and are only counted.
struct TutorialExample: CustomStringConvertible, Sendable {
    let name: String
    var description: String { name }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = root.appendingPathComponent("examples/tutorials")

    static var all: [TutorialExample] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".pytorch.txt") }.sorted()
            .map { TutorialExample(name: String($0.dropLast(".pytorch.txt".count))) }
    }
}

/// Relative tolerances wider than 3e-4, each with its reason.
/// polynomial_optim: RMSprop at lr 1e-3 ends in an oscillation where rounding decides the path:
/// PyTorch itself in float64 and in float32 differ by 2 % in the loss at step 1599 (8.8199 vs
/// 9.0178); tensorbook's float32 differs from PyTorch's float32 by as much there, while the
/// final coefficients still agree within 3e-4 (checked on the last line by the same rule).
private let widerTolerance: [String: Double] = ["polynomial_optim": 0.1]

@Suite(.serialized) struct TutorialExampleTests {
    @Test func everyProgramHasItsPort() {
        #expect(TutorialExample.all.count >= 8)
        for example in TutorialExample.all {
            #expect(FileManager.default.fileExists(atPath: TutorialExample.folder.appendingPathComponent("\(example.name).tb").path), "\(example)")
        }
    }

    @Test(arguments: TutorialExample.all)
    func printsWhatPyTorchPrints(_ example: TutorialExample) throws {
        let script = TutorialExample.folder.appendingPathComponent("\(example.name).tb")
        let expected = try String(contentsOf: TutorialExample.folder.appendingPathComponent("\(example.name).pytorch.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        // The scripts open data/… from the repository root, as `swift test` runs there.
        #expect(FileManager.default.currentDirectoryPath == TutorialExample.root.path)
        GlobalRandom.seed(0)
        let sink = CollectingSink()
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        let diagnostics = interpreter.run(SourceFile(name: script.lastPathComponent, text: try String(contentsOf: script, encoding: .utf8)))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        let printed = sink.plainText().split(separator: "\n").map(String.init)
        #expect(printed.count == expected.count, "\(example): \(printed.count) lines printed, PyTorch printed \(expected.count)")
        for (index, (line, reference)) in zip(printed, expected).enumerated() {
            if reference.hasPrefix("sample") { #expect(line.hasPrefix("sample")); continue }
            let relative = index == expected.count - 1 ? 3e-4 : widerTolerance[example.name] ?? 3e-4
            #expect(OutputComparison.agree(line, reference, relative: relative), "\(example) line \(index + 1): tensorbook '\(line)', PyTorch '\(reference)'")
        }
    }
}

/// Compares a printed line with PyTorch's: the same text around the numbers, numbers close.
enum OutputComparison {
    static func agree(_ line: String, _ reference: String, relative: Double = 3e-4) -> Bool {
        let (words, numbers) = split(line), (referenceWords, referenceNumbers) = split(reference)
        guard words == referenceWords, numbers.count == referenceNumbers.count else { return false }
        return zip(numbers, referenceNumbers).allSatisfy { abs($0 - $1) <= 1e-6 + relative * abs($1) }
    }

    /// The line's text with each number replaced by "#", and the numbers.
    static func split(_ line: String) -> (String, [Double]) {
        var text = "", numbers: [Double] = []
        var scanner = Substring(line)
        while let first = scanner.first {
            let numberPrefix = scanner.prefix { "0123456789.-+eE".contains($0) }
            if (first.isNumber || (first == "-" && numberPrefix.count > 1)), let number = Double(numberPrefix) {
                numbers.append(number)
                text += "#"
                scanner = scanner.dropFirst(numberPrefix.count)
            } else {
                text.append(first)
                scanner = scanner.dropFirst()
            }
        }
        return (text, numbers)
    }
}
