import Builtins
import Diagnostics
import Display
import Foundation
import Language
import REPL
import Testing

/// Blocks at the prompt: Python's rule (a blank line ends a block), a line back at the margin
/// ends it too (pipes have no blank lines), completion of keywords and user functions.
@Suite struct BlockReplTests {
    @Test func aBlockContinuesUntilABlankLine() {
        let repl = ScriptedRepl([.line("for i in range(2):"), .line("    print i"), .line(""), .line("print \"done\"")], interactive: true)
        let result = repl.run()
        #expect(repl.reader.prompts == ["> ", "... ", "... ", "> ", "> "])
        #expect(result.output.contains("0\n1\ndone\n"), "\(result.output)")
    }

    @Test func elseContinuesTheBlockAndTheMarginEndsIt() {
        let repl = ScriptedRepl([.line("if 1 > 2:"), .line("    print \"no\""), .line("else:"), .line("    print \"yes\""),
                                 .line("def twice(x):"), .line("    \"Doubles x.\""), .line("    return 2 * x"), .line("print twice(21)")])
        let result = repl.run()
        #expect(result.output == "yes\n42\n", "\(result.output) \(result.errors)")
        #expect(result.errors.isEmpty && result.code == 0)
        #expect(repl.session.entries.map(\.source) == ["if 1 > 2:\n    print \"no\"\nelse:\n    print \"yes\"",
                                                        "def twice(x):\n    \"Doubles x.\"\n    return 2 * x", "print twice(21)"])
    }

    @Test func anErrorInABlockReportsTheLineOfTheEntry() {
        let result = ScriptedRepl([.line("for i in range(3):"), .line("    x = 10 / (1 - i)"), .line("print x")]).run()
        #expect(result.errors.contains("<input 1>:2:9: error: division by zero"), "\(result.errors)")
        #expect(result.output == "10\n")
    }

    @Test func completionKnowsKeywordsAndUserFunctions() {
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: CollectingSink())
        _ = interpreter.run(SourceFile(name: "t", text: "def fit_line(xs, ys):\n    return xs"))
        let completer = Completer(interpreter: interpreter)
        #expect(completer.complete("whi").candidates == ["while"])
        #expect(completer.complete("wh").candidates == ["where", "while"])
        #expect(completer.complete("    no_").candidates == ["no_grad"])
        #expect(completer.complete("w, b = fit_").candidates == ["fit_line"])
        #expect(completer.complete("for i i").candidates == ["in", "int"])
        #expect(completer.complete("x = bat").candidates == ["batch", "batches"].filter { interpreter.registry.names.contains($0) })
    }

    @Test func theHistoryFileFollowsHome() {
        #expect(LibEditLineReader.historyPath(environment: ["HOME": "/home/elsewhere"]) == "/home/elsewhere/.tensorbook_history")
        #expect(LibEditLineReader.historyPath(environment: ["HOME": "/home/elsewhere", "TENSORBOOK_HISTORY": "/tmp/h"]) == "/tmp/h")
        #expect(LibEditLineReader.historyPath(environment: [:]).hasSuffix("/.tensorbook_history"))
    }
}

@Suite(.serialized) struct BlockEndToEndTests {
    /// Ctrl-C in a real terminal stops an endless loop at the next statement; the variables stay.
    @Test func ctrlCStopsAnEndlessLoopAndKeepsTheVariables() throws {
        let terminal = try TmuxTerminal(command: tensorbookBinary)
        defer { terminal.close() }
        try terminal.waitFor("Ctrl-D exits.\n>")
        usleep(300_000)
        terminal.send("k = 0", "Enter")
        terminal.send("while true:", "Enter")
        try terminal.waitFor("> while true:\n...")
        terminal.send("    k += 1", "Enter", "Enter")
        usleep(700_000)
        terminal.send("C-c")
        try terminal.waitFor("error: stopped by Ctrl-C before this statement")
        terminal.send("print k > 1000", "Enter")
        try terminal.waitFor("true\n>")
        terminal.send("C-d")
        try terminal.waitForExit()
    }

    /// `--timeout` stops an endless cell as an error; the run ends there with exit code 130.
    @Test func aNotebookCellTimesOut() throws {
        let path = NSTemporaryDirectory() + "tensorbook-timeout-\(UUID().uuidString).nb"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "```nb\nk = 0\nwhile true:\n    k += 1\n```\n\n```nb\nprint \"after\"\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runProgram(tensorbookBinary, ["run", path, "--timeout", "1"], input: "")
        #expect(result.status == 130, "\(result.errors)")
        #expect(result.errors.contains(":4:5: error: stopped by the --timeout of 1 s before this statement"), "\(result.errors)")
        #expect(!result.output.contains("after"))
    }

    /// A script of blocks piped into the prompt runs like the same file given to `run`.
    @Test func pipedBlocksRunLikeAFile() throws {
        let script = "def square(x):\n    return x * x\nfor i in range(3):\n    print square(i)\nprint \"end\"\n"
        let piped = try runProgram(tensorbookBinary, [], input: script)
        #expect(piped.status == 0 && piped.output == "0\n1\n4\nend\n", "\(piped.errors)")
    }
}
