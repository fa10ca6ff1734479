import Foundation
import Testing

/// The memory limit through the real binary: `--memory-limit`, `:memory` and `memory(limit:)`
/// (a process of its own, so the lowered limit never reaches other tests).
@Suite struct MemoryLimitTests {
    @Test func aScriptStopsWithExitCode65AndTheShapeAndBytes() throws {
        let result = try runProgram(tensorbookBinary, ["-e", "x = zeros(100000, 100000, 100)"], input: "")
        #expect(result.status == 65, "\(result)")
        #expect(result.errors.contains("zeros: a tensor of shape [100000, 100000, 100] needs 3.6 TiB"), "\(result.errors)")
        #expect(!result.errors.contains("Fatal error") && !result.errors.contains("Backtracing"))
    }

    @Test func theLimitFromTheCommandLineAndThePrompt() throws {
        let limited = try runProgram(tensorbookBinary, ["--memory-limit", "64M", "-e", "print memory()", "-e", "x = zeros(10000, 10000)"], input: "")
        #expect(limited.status == 65 && limited.output.contains("of the 64 MiB limit"), "\(limited)")
        #expect(limited.errors.contains("needs 381.5 MiB, more than tensorbook's memory limit of 64 MiB"), "\(limited.errors)")
        #expect(limited.errors.contains("raise the limit with :memory SIZE"), "\(limited.errors)")
        let full = try runProgram(tensorbookBinary, ["--memory-limit", "64M", "-e", "a = zeros(3000, 3000)", "-e", "b = zeros(3000, 3000)"], input: "")
        #expect(full.status == 65 && full.errors.contains("needs 34.3 MiB, but only") && full.errors.contains("free memory by reassigning"), "\(full.errors)")
        let unreadable = try runProgram(tensorbookBinary, ["--memory-limit", "lots", "-e", "print 1"], input: "")
        #expect(unreadable.status != 0 && unreadable.errors.contains("cannot read 'lots'"), "\(unreadable)")
        let session = try runProgram(tensorbookBinary, [], input: """
            kept = tensor([1, 2, 3])
            :memory 64M
            x = zeros(10000, 10000)
            :memory 2G
            x = zeros(10000, 10000)
            print x.shape, kept.sum()
            :memory
            """)
        #expect(session.output.contains("of the 64 MiB limit") && session.output.contains("of the 2 GiB limit"), "\(session.output)")
        #expect(session.output.contains("[10000, 10000]") && session.output.contains("6"), "\(session.output)")
        #expect(session.errors.contains("needs 381.5 MiB, more than"), "\(session.errors)")
    }

    /// A batch, or a whole split as one tensor, that does not fit is refused before it is built;
    /// evaluation and prediction go in batches and still run (issue 15: batch size, predict).
    @Test func batchesAndWholeSplitsThatDoNotFit() throws {
        let result = try runProgram(tensorbookBinary, ["--memory-limit", "40M"], input: """
            model = sequential(flatten, linear(784, 10))
            train model on mnist epochs 1 batch 60000
            x = mnist.train.x
            p = predict model on mnist.train
            evaluate model on mnist.train
            print p.count, "alive"
            """)
        #expect(result.errors.contains("a batch of 60000 examples: a tensor of shape [60000, 1, 28, 28] needs 358.9 MiB while it is built"), "\(result.errors)")
        #expect(result.errors.components(separatedBy: "more than tensorbook's memory limit of 40 MiB").count == 3, "\(result.errors)")
        #expect(result.output.contains("mnist.train: loss") && result.output.contains("alive"), "\(result.output)")
        #expect(!result.errors.contains("Fatal error") && !result.errors.contains("internal error"))
    }

    @Test func aCSVFileTooLargeToParseIsRefusedBeforeReading() throws {
        let path = NSTemporaryDirectory() + "tensorbook-large-\(UUID().uuidString).csv"
        try ("a,b,label\n" + String(repeating: "1.5,2.25,1\n", count: 20_000)).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try runProgram(tensorbookBinary, ["--memory-limit", "1M", "-e", "d = csv(\"\(path)\", label: \"label\")"], input: "")
        #expect(result.status == 65 && result.errors.contains("csv: '\(path)' (214.9 KiB)") && result.errors.contains("needs"), "\(result.errors)")
    }
}
