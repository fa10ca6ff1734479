import Foundation
import Notebooks
import Testing

@Suite struct NotebookDocumentTests {
    static let edgeCases: [(String, String)] = [
        ("empty file", ""),
        ("prose only, no trailing newline", "# Title\n\nJust prose"),
        ("cell without output", "Intro\n\n```nb\nx = 1\n```\n"),
        ("cell with output", "```nb\nx = 1\nx\n```\n\n```output\n1\n```\n"),
        ("CRLF line endings", "# Title\r\n\r\n```nb\r\nx = 1\r\nx\r\n```\r\n\r\n```output\r\n1\r\n```\r\n"),
        ("tabs", "\tindented prose\n```nb\nx = [1,\n\t2]\n```\n"),
        ("four-backtick fence holding a cell", "````markdown\n```nb\nnot = a cell\n```\n````\n\n```nb\nx = 2\n```\n"),
        ("tilde fence and longer closer", "~~~nb\nx = 3\n~~~~\n"),
        ("trailing text after the last cell", "```nb\nx = 1\n```\nthe end, no newline"),
        ("output not after a cell is prose", "text\n\n```output\nstray\n```\n"),
        ("info string with attributes", "```nb title=\"first\"\nx = 1\n```\n"),
    ]

    @Test(arguments: edgeCases)
    func printingGivesBackTheSameBytes(_ name: String, _ text: String) throws {
        #expect(try NotebookDocument(parsing: text).text == text, "\(name)")
    }

    @Test func shippedNotebooksRoundTrip() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("notebooks").path
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".nb") }
        #expect(files.count >= 4)
        for file in files {
            let text = try String(contentsOfFile: (folder as NSString).appendingPathComponent(file), encoding: .utf8)
            #expect(try NotebookDocument(parsing: text).text == text, "\(file)")
        }
    }

    @Test func cellsAndOutputsAreFound() throws {
        let document = try NotebookDocument(parsing: Self.edgeCases[6].1)
        #expect(document.cells.map(\.source) == ["x = 2"])
        let withOutput = try NotebookDocument(parsing: "```nb\na\n```\n\n```output\n1\n```\n```nb\nb\n```\n")
        #expect(withOutput.recordedOutputs.map { $0?.content } == ["1", nil])
        #expect(withOutput.cells.map(\.fenceLine) == [1, 8])
        #expect(try NotebookDocument(parsing: Self.edgeCases[4].1).cells[0].source == "x = 1\nx")
    }

    @Test func anUnclosedFenceIsAnErrorWithItsLine() {
        #expect {
            _ = try NotebookDocument(parsing: "# T\n\n```nb\nx = 1\n")
        } throws: { error in
            (error as? NotebookError)?.line == 3 && (error as? NotebookError)?.message == "the ```nb fence opened on line 3 is never closed"
        }
    }

    @Test func fenceAttributesSetCellOptionsAndUnknownOnesAreErrors() throws {
        let cells = try NotebookDocument(parsing: "```nb expect-error\na\n```\n```nb tolerance=10%\nb\n```\n```nb\nc\n```\n").cells
        #expect(cells.map(\.expectsError) == [true, false, false])
        #expect(cells.map(\.tolerance) == [nil, 0.1, nil])
        let sample = try NotebookDocument(parsing: "```nb sample\ngenerate model from \"a\"\n```\n").cells
        #expect(sample.map(\.isSample) == [true])
        #expect(OutputComparison.sameLength("the cat sat", "a dog lay.!") && !OutputComparison.sameLength("the cat", "the ca"))
        #expect {
            _ = try NotebookDocument(parsing: "# T\n```nb expect-eror\nx\n```\n")
        } throws: { error in
            let error = error as? NotebookError
            return error?.line == 2 && error?.message == "unknown cell attribute 'expect-eror' on line 2"
                && error?.hint?.contains("expect-error") == true
        }
        #expect(throws: NotebookError.self) { try NotebookDocument(parsing: "```nb tolerance=ten\nx\n```\n") }
        #expect(throws: NotebookError.self) { try NotebookDocument(parsing: "```nb tolerance=5\nx\n```\n") }
        #expect(try NotebookDocument(parsing: "```nb stopped-after-batches=637\nx\n```\n").cells[0].stoppedAfterBatches == 637)
        #expect(throws: NotebookError.self) { try NotebookDocument(parsing: "```nb stopped-after-batches=many\nx\n```\n") }
    }

    /// `:save` keeps a training Ctrl-C stopped as a cell that stops at the same batch, and other
    /// stopped statements as prose (they cannot be replayed), with the outputs of the rest.
    @Test func aSavedSessionMarksWhatCtrlCStopped() throws {
        let saved = try NotebookDocument.savedSession([
            .init(source: "x = 1", output: ""),
            .init(source: "h = train m on mnist epochs 3", output: "stopped by Ctrl-C at epoch 1, batch 637 of 938", wasInterrupted: true, trainingBatches: 637),
            .init(source: "for i in range(10**9):\n    pass", output: "", wasInterrupted: true),
            .init(source: "h", output: "epoch 1/3 (stopped at batch 637 of 938)  loss 0.3"),
        ], path: "s.nb", header: .init(version: "9.9", seed: "1"))
        #expect(saved.cells.map(\.source) == ["x = 1", "h = train m on mnist epochs 3", "h"])
        #expect(saved.cells.map(\.stoppedAfterBatches) == [nil, 637, nil])
        #expect(saved.recordedOutputs.map { $0?.content } == [nil, "stopped by Ctrl-C at epoch 1, batch 637 of 938", "epoch 1/3 (stopped at batch 637 of 938)  loss 0.3"])
        #expect(saved.text.contains("stopped by Ctrl-C, so it is kept here but not run:\n\n```text\nfor i in range(10**9):\n    pass\n```"))
    }

    @Test func recordingKeepsProseAndCodeAndIsStable() throws {
        let original = "# T\r\n\r\nprose\r\n```nb\r\nx = 1\r\n```\r\n\r\n```output\r\nold\r\n```\r\n```nb\r\ny\r\n```\r\ntail"
        let document = try NotebookDocument(parsing: original)
        let header = NotebookDocument.Header(version: "9.9", seed: "3")
        let recorded = document.recording(["new", "```\nfenced"], header: header)
        #expect(recorded.text.hasPrefix("<!-- tensorbook 9.9; seed 3 -->\r\n# T\r\n\r\nprose\r\n```nb\r\nx = 1\r\n```\r\n\r\n```output\r\nnew\r\n```\r\n"))
        #expect(recorded.text.contains("```nb\r\ny\r\n```\r\n\r\n````output\r\n```\r\nfenced\r\n````\r\n"))
        #expect(recorded.text.hasSuffix("tail"))
        let again = try NotebookDocument(parsing: recorded.text).recording(["new", "```\nfenced"], header: header)
        #expect(again.text == recorded.text)
        #expect(NotebookDocument.Header(in: recorded.text) == header)
        // Prose and code are byte for byte what they were.
        let code = { (d: NotebookDocument) in d.segments.compactMap { if case .cell(let cell) = $0 { cell.raw } else { nil } } }
        #expect(code(recorded) == code(document))
    }

    @Test func numbersMatchWithinTheToleranceAndTextExactly() {
        #expect(OutputComparison.matches("loss 0.2046  accuracy 93.82%", "loss 0.2050  accuracy 93.80%", tolerance: 0.01))
        #expect(!OutputComparison.matches("loss 0.2046", "loss 0.2500", tolerance: 0.01))
        #expect(!OutputComparison.matches("loss 0.2046", "lose 0.2046", tolerance: 0.01))
        #expect(OutputComparison.matches("60,000 examples, 1.8e+11 FLOP", "60,010 examples, 1.81e+11 FLOP", tolerance: 0.01))
        #expect(!OutputComparison.matches("a\nb", "a", tolerance: 0.01))
        #expect(OutputComparison.matches("tensor([-1.5000, 2.])", "tensor([-1.5010, 2.])", tolerance: 0.01))
        #expect(!OutputComparison.matches("mlp2", "mlp3", tolerance: 0.5), "digits inside names are text")
        // Right-aligned columns move when a number gains a digit; the amount of space does not count.
        #expect(OutputComparison.matches("0.2123 ┤⠉\n       ┤⠀", " 0.06883 ┤⠉\n        ┤⠀", tolerance: 1))
        #expect(OutputComparison.matches("layer    params", "layer params  ", tolerance: 0.01))
        #expect(!OutputComparison.matches("a b", "ab", tolerance: 0.01), "a space is still not nothing")
        // A table's rule widens with its widest number; the number of columns still counts.
        #expect(OutputComparison.matches("-  -----  -----------", "-  -----  ----------", tolerance: 0.01))
        #expect(!OutputComparison.matches("-  -----  -----", "-  -----", tolerance: 0.01))
    }

    @Test func diffsAreUnified() {
        let diff = OutputComparison.unifiedDiff("a\nb\nc", "a\nB\nc", oldLabel: "old", newLabel: "new")
        #expect(diff == "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c")
    }
}
