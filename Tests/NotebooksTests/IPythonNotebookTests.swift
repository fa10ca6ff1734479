import Builtins
import Display
import Foundation
import Language
import Testing

@testable import Notebooks

/// `tensorbook import`: a notebook the tensorbook kernel ran, back as a `.nb` file.
@Suite struct IPythonNotebookTests {
    let executed = #"""
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "tensorbook"}},
         "cells": [
          {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "\n", "Some *prose*."]},
          {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": "x = 2\nprint(x)\nx * 3",
           "outputs": [{"output_type": "stream", "name": "stdout", "text": ["2\n"]},
                       {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "6"}}]},
          {"cell_type": "code", "metadata": {"tags": ["raises-exception"], "tensorbook": {"tolerance": 0.05}}, "execution_count": 2,
           "source": ["show digits\n", "nope"],
           "outputs": [{"output_type": "display_data", "metadata": {}, "data": {"image/png": "AQID", "text/plain": ["digits\n", "7 2"]}},
                       {"output_type": "error", "ename": "Error", "evalue": "unknown name 'nope'",
                        "traceback": ["\u001b[1mcell 2:2:1:\u001b[0m \u001b[1;31merror:\u001b[0m unknown name 'nope'"]}]},
          {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": 3, "source": "epochs = 2", "outputs": []}
         ]}
        """#

    @Test func importsProseCodeOutputsAndAttributes() throws {
        let document = try IPythonNotebook.importing(Data(executed.utf8), version: "0.1.0")
        #expect(document.text == """
            <!-- tensorbook 0.1.0; seed none -->
            # Title

            Some *prose*.

            ```nb
            x = 2
            print(x)
            x * 3
            ```

            ```output
            2
            6
            ```

            ```nb expect-error tolerance=5%
            show digits
            nope
            ```

            ```output
            digits
            7 2
            cell 2:2:1: error: unknown name 'nope'
            ```

            ```nb parameters
            epochs = 2
            ```

            """)
        #expect(document.cells.map(\.expectsError) == [false, true, false])
        #expect(document.cells[1].tolerance == 0.05)
        #expect(document.cells[2].holdsParameters)
    }

    @Test func whatIsNotANotebookIsAClearError() {
        #expect { try IPythonNotebook.importing(Data("[1, 2]".utf8), version: "0") } throws: { error in
            (error as? NotebookError)?.message.contains("not a Jupyter notebook") == true
        }
        let fenced = #"{"cells": [{"cell_type": "code", "metadata": {}, "source": "x = 1\n```\ny", "outputs": []}]}"#
        #expect { try IPythonNotebook.importing(Data(fenced.utf8), version: "0") } throws: { error in
            (error as? NotebookError)?.message.contains("code cell 1 contains a ``` fence") == true
        }
    }

    /// A Markdown or raw cell's ```nb fence would become code (and its outputs land on the wrong
    /// cells); ```output at its start would become the previous cell's output. Both are refused.
    @Test(arguments: [
        ("markdown", #"Look:\n\n```nb\nprint 1\n```"#, "markdown cell 2 contains a ```nb fence"),
        ("raw", #"```nb expect-error\nx\n```"#, "raw cell 2 contains a ```nb fence"),
        ("markdown", #"```output\n42\n```"#, "markdown cell 2 contains an ```output fence at its start"),
        ("markdown", #"```nb\nnever closed"#, "markdown cell 2 contains a fence that is never closed"),
    ]) func aCodeFenceInProseIsRefused(kind: String, source: String, message: String) {
        let notebook = #"{"cells": [{"cell_type": "code", "metadata": {}, "source": "print 2", "outputs": []}, "#
            + #"{"cell_type": "\#(kind)", "metadata": {}, "source": "\#(source)"}]}"#
        #expect { try IPythonNotebook.importing(Data(notebook.utf8), version: "0") } throws: { error in
            (error as? NotebookError)?.message.contains(message) == true
        }
        let harmless = notebook.replacingOccurrences(of: "```nb", with: "```text").replacingOccurrences(of: "```output", with: "```text")
        if !message.contains("never closed") { #expect(throws: Never.self) { try IPythonNotebook.importing(Data(harmless.utf8), version: "0") } }
    }

    @Test func exportNamesTheKernelAndTagsCells() throws {
        let source = "```nb expect-error\nnope\n```\n\n```nb parameters\nn = 1\n```\n"
        let document = try NotebookDocument(parsing: source)
        let json = try NotebookExport.ipynb(document, results: [])
        let notebook = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let metadata = try #require(notebook["metadata"] as? [String: Any])
        #expect((metadata["kernelspec"] as? [String: Any])?["name"] as? String == "tensorbook")
        #expect((metadata["language_info"] as? [String: Any])?["file_extension"] as? String == ".tb")
        let cells = try #require(notebook["cells"] as? [[String: Any]])
        #expect(((cells[0]["metadata"] as? [String: Any])?["tags"] as? [String]) == ["raises-exception"])
        #expect(((cells[1]["metadata"] as? [String: Any])?["tags"] as? [String]) == ["parameters"])
    }

    @Test func clearKeepsOnlyWhatFollowsInTheRecord() throws {
        let document = try NotebookDocument(parsing: "```nb\nprint \"before\"\nclear\nprint \"after\"\n```\n")
        let runner = NotebookRunner(session: Session(registry: Builtins.makeRegistry(), sink: CollectingSink()), display: nil)
        #expect(runner.run(document, path: "c.nb").map(\.recordedText) == ["after"])
    }

    @Test func streamedPiecesAreOneTextAsJupyterShowsThem() {
        let outputs: [[String: Any]] = [["output_type": "stream", "name": "stdout", "text": "The mo"], ["output_type": "stream", "name": "stdout", "text": "vie"],
                                        ["output_type": "stream", "name": "stdout", "text": ["\n"]], ["output_type": "stream", "name": "stderr", "text": "warning\n"],
                                        ["output_type": "stream", "name": "stdout", "text": "next\n"]]
        #expect(IPythonNotebook.plainText(of: outputs) == "The movie\nwarning\nnext")
    }

    @Test func terminalColoursAreRemoved() {
        #expect("\u{1B}[1;31merror:\u{1B}[0m x".removingTerminalColours() == "error: x")
    }
}
