import Builtins
import Display
import Foundation
import Language
import Notebooks
import Testing

@Suite struct NotebookRunnerTests {
    func runner() -> NotebookRunner {
        NotebookRunner(session: Session(registry: Builtins.makeRegistry(), sink: CollectingSink()), display: nil)
    }

    let notebook = """
        # Title

        ```nb
        x = 2
        x * 3
        ```

        ```nb
        y = x + nope
        ```

        ```nb
        print "third"
        ```
        """

    @Test func cellsShareOneSessionAndErrorsNameFileLines() throws {
        let results = runner().run(try NotebookDocument(parsing: notebook), path: "lesson.nb")
        #expect(results.count == 2)
        #expect(results[0].recordedText == "6")
        #expect(results[1].diagnostics.first?.span?.locationDescription == "lesson.nb:9:9")
    }

    @Test func keepGoingRunsOnAndSelectionsRunSomeCells() throws {
        let document = try NotebookDocument(parsing: notebook)
        let all = runner().run(document, path: "l.nb", options: NotebookRunOptions(keepGoing: true))
        #expect(all.map(\.ran) == [true, true, true] && all[2].recordedText == "third")
        let until = runner().run(document, path: "l.nb", options: NotebookRunOptions(untilCell: 1))
        #expect(until.map(\.ran) == [true, false, false])
        let only = runner().run(document, path: "l.nb", options: NotebookRunOptions(onlyCell: 3))
        #expect(only.map(\.ran) == [false, false, true])
    }

    @Test func recordedTextHoldsEpochSummariesButNoTimes() throws {
        let document = try NotebookDocument(parsing: "```nb\nseed 0\nm = mlp(2, 3, 3)\nh = train m on spirals(n: 30) epochs 25 batch 8\n```\n")
        let text = runner().run(document, path: "t.nb")[0].recordedText
        let epochs = text.split(separator: "\n").filter { $0.hasPrefix("epoch ") }.map { String($0.split(separator: " ")[1]) }
        #expect(epochs == ["1/25", "3/25", "6/25", "9/25", "12/25", "15/25", "18/25", "21/25", "24/25", "25/25"])
        #expect(!text.contains(" s ") && !text.contains("examples/s"))
    }

    /// A cell saved after Ctrl-C stopped its training reruns to the same batch and stops there,
    /// as the Ctrl-C did, so its output and the model match the recording.
    @Test func aStoppedTrainingCellStopsAtTheSameBatch() throws {
        let document = try NotebookDocument(parsing: """
            ```nb
            seed 0
            m = mlp(2, 3, 3)
            ```

            ```nb stopped-after-batches=5
            h = train m on spirals(n: 30) epochs 25 batch 8
            ```

            ```nb
            h
            ```
            """)
        let results = runner().run(document, path: "t.nb")
        #expect(results.map(\.failed) == [false, false, false])
        #expect(results[1].recordedText.contains("\nstopped by Ctrl-C at epoch 2, batch 1 of 4; the model keeps every step taken"), "\(results[1].recordedText)")
        #expect(results[2].recordedText.hasPrefix("epoch 1/25  loss "), "\(results[2].recordedText)")
        #expect(results[2].recordedText.contains("epoch 2/25 (stopped at batch 1 of 4)  loss "), "\(results[2].recordedText)")
    }
}

@Suite struct NotebookExportTests {
    func results(_ document: NotebookDocument) -> [CellResult] {
        NotebookRunner(session: Session(registry: Builtins.makeRegistry(), sink: CollectingSink()), display: nil)
            .run(document, path: "e.nb", options: NotebookRunOptions(keepGoing: true))
    }

    let source = "<!-- tensorbook 0.1.0; seed none -->\n# Export\n\nSome *prose*.\n\n```nb\nx = tensor([1, 2])\nx + 1\n```\n\n```nb\nshow mnist.test[0:3]\n```\n"

    /// Jupyter's own validator accepts the notebook (Python nbformat, installed by `make deps`).
    @Test func ipynbValidatesWithNbformat() throws {
        let document = try NotebookDocument(parsing: source)
        let json = try NotebookExport.ipynb(document, results: results(document))
        let path = NSTemporaryDirectory() + "tensorbook-\(UUID().uuidString).ipynb"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import nbformat, sys; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb); print(len(nb.cells))", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "3\n")
        #expect(json.contains("tensor([2., 3.])"))
    }

    @Test func markdownAndHTML() throws {
        let document = try NotebookDocument(parsing: source)
        let cellResults = results(document)
        let markdown = NotebookExport.markdown(document, results: cellResults)
        #expect(markdown.contains("```\nx = tensor([1, 2])\nx + 1\n```\n\n```text\ntensor([2., 3.])\n```") && !markdown.contains("<!--"))
        struct FakePNG: PNGProvider {
            func png(_ image: GrayImage) -> Data? { Data([1, 2, 3]) }
            func png(_ strip: ImageStrip) -> Data? { Data([5]) }
            func png(_ plot: Plot) -> Data? { Data([4]) }
        }
        let html = NotebookExport.html(document, results: cellResults, title: "e.nb", pictures: FakePNG())
        #expect(html.contains("<em>prose</em>") && html.contains("<pre class=\"code\">x = tensor([1, 2])"))
        #expect(html.contains("src=\"data:image/png;base64,AQID\"") && html.contains("<figcaption>7</figcaption>"))
        #expect(!html.contains("http://") && !html.contains("https://"), "self-contained")
    }

    /// Paragraphs as Markdown means them (a line starting with inline code, a code span across a
    /// line break), one box for a cell's printed lines, and an error box that wraps.
    @Test func htmlLaysOutParagraphsOutputsAndErrorsAsTheyRead() throws {
        let document = try NotebookDocument(parsing: """
            The training cells are therefore marked
            `tolerance=10%` for `--check`; run `jupyter/tensorbook_papermill.py
            -p epochs_to_train 1` to change it.

            - one item
              that wraps
            - two

            ```nb
            print "one"
            print "two"
            ```

            ```nb expect-error
            y = nope
            ```
            """)
        struct NoPNG: PNGProvider {
            func png(_ image: GrayImage) -> Data? { nil }
            func png(_ strip: ImageStrip) -> Data? { nil }
            func png(_ plot: Plot) -> Data? { nil }
        }
        let html = NotebookExport.html(document, results: results(document), title: "e.nb", pictures: NoPNG())
        #expect(html.contains("<p>The training cells are therefore marked <code>tolerance=10%</code> for <code>--check</code>; run "
            + "<code>jupyter/tensorbook_papermill.py -p epochs_to_train 1</code> to change it.</p>"), "\(html)")
        #expect(html.contains("<li>one item that wraps</li><li>two</li>"), "\(html)")
        #expect(html.contains("<pre class=\"output\">one\ntwo</pre>"), "\(html)")
        #expect(html.contains("<pre class=\"error\">") && html.contains("pre.error{") && html.contains("white-space:pre-wrap"))
    }
}
