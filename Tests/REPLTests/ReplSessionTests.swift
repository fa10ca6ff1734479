import Builtins
import Display
import Foundation
import Language
import REPL
import Terminal
import Testing

/// A REPL session over scripted input, with standard output and error captured in files.
final class ScriptedRepl {
    let reader: ScriptedLineReader
    let session: ReplSession
    let outputPath = NSTemporaryDirectory() + "tensorbook-repl-out-\(UUID().uuidString)"
    let errorPath = NSTemporaryDirectory() + "tensorbook-repl-err-\(UUID().uuidString)"
    let outputFile: FileHandle, errorFile: FileHandle
    let interpreter: Interpreter

    init(_ lines: [LineReadResult], interactive: Bool = false) {
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        outputFile = FileHandle(forWritingAtPath: outputPath)!
        errorFile = FileHandle(forWritingAtPath: errorPath)!
        reader = ScriptedLineReader(lines, isInteractive: interactive)
        let plain = TerminalCapabilities(isTerminal: false, color: false)
        let sink = RecordingTerminalSink(terminal: TerminalSink(capabilities: plain, output: FileOutput(fileDescriptor: outputFile.fileDescriptor), showsTimings: false))
        let languageSession = Session(registry: Builtins.makeRegistry(), sink: sink)
        interpreter = languageSession.interpreter
        session = ReplSession(session: languageSession, reader: reader, sink: sink,
                              errorOutput: FileOutput(fileDescriptor: errorFile.fileDescriptor), errorCapabilities: plain)
    }

    func run() -> (code: Int32, output: String, errors: String) {
        let code = session.run(version: "test")
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
        return (code, output, errors)
    }
}

@Suite struct ReplSessionTests {
    @Test func incompleteInputContinuesOnAnotherPrompt() {
        let repl = ScriptedRepl([.line("x = tensor([1,"), .line("  2])"), .line("x")], interactive: true)
        let result = repl.run()
        #expect(repl.reader.prompts == ["> ", "... ", "> ", "> "])
        #expect(result.output.contains("tensor([1., 2.])") && result.code == 0)
    }

    @Test func errorsNeverEndTheSessionButSetTheExitCodeOfAPipe() {
        let result = ScriptedRepl([.line("x = 1"), .line("y = nope"), .line("print x + 1")]).run()
        #expect(result.output.contains("2"))
        #expect(result.errors.contains("<input 2>:1:5: error: unknown name 'nope'"))
        #expect(result.code == 65)
    }

    @Test func anInteractiveSessionExitsWithZeroEvenAfterErrors() {
        #expect(ScriptedRepl([.line("y = nope")], interactive: true).run().code == 0)
    }

    @Test func ctrlCClearsTheLineAndTwiceAtAnEmptyPromptExits() {
        let repl = ScriptedRepl([.line("x = [1,"), .interrupted, .line("x = 5"), .interrupted, .interrupted, .line("print 99")], interactive: true)
        let result = repl.run()
        #expect(repl.interpreter.variables["x"].map { Value.equal($0, .number(5)) } == true)
        #expect(!result.output.contains("99"))
        #expect(result.output.contains("(Ctrl-C again or Ctrl-D to exit)"))
    }

    @Test func colonCommands() {
        let repl = ScriptedRepl([.line("a = 3"), .line(":vars"), .line(":reset"), .line(":vars"), .line(":time on"), .line(":help"),
                                 .line(":frobnicate"), .line(":quit"), .line("print 1")])
        let result = repl.run()
        #expect(result.output.contains("a     number  3"))
        #expect(result.output.contains("all variables forgotten") && result.output.contains("(none yet)"))
        #expect(result.output.contains("timing on") && result.output.contains(":save FILE.nb"))
        #expect(result.errors.contains("unknown command :frobnicate"))
        #expect(!result.output.contains("\n1\n"))
    }

    /// A multi-line tensor stays inside its :vars row (issue 16 item 9).
    @Test func variablesTableKeepsEachValueOnItsLine() {
        let repl = ScriptedRepl([.line("y = tensor([[1, 2], [3, 4]])"), .line("z = randn(8, 8)")])
        _ = repl.run()
        let rows = repl.session.variablesTable().rows
        #expect(rows.first == ["y", "tensor", "tensor([[1., 2.], [3., 4.]])"])
        #expect(rows.allSatisfy { $0.allSatisfy { !$0.contains("\n") && $0.count <= 70 } }, "\(rows)")
    }

    @Test func successfulEntriesAreKeptWithTheirOutputs() {
        let repl = ScriptedRepl([.line("x = 2"), .line("x * 3"), .line("oops")])
        _ = repl.run()
        #expect(repl.session.entries.map(\.source) == ["x = 2", "x * 3"])
        #expect(repl.session.entries[1].outputs == [.text("6")])
    }
}

@Suite struct CompleterTests {
    let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: CollectingSink())

    @Test func namesKeywordsAndVariables() {
        interpreter.setVariable("my_model", to: .number(1))
        let completer = Completer(interpreter: interpreter, lineStarters: ReplSession.colonCommands)
        #expect(completer.complete("tr").candidates == ["train", "transformer_block", "true"])
        #expect(completer.complete("x = my_").candidates == ["my_model"])
        #expect(completer.complete("x = tr").candidates == ["transformer_block", "true"])
        #expect(completer.complete("mni").candidates == ["mnist"])
        #expect(completer.complete(":re").candidates == [":reset"])
    }

    @Test func membersAfterADot() {
        let completer = Completer(interpreter: interpreter)
        #expect(completer.complete("mnist.").candidates == ["classes", "count", "shape", "test", "train", "vocab"])
        #expect(completer.complete("x = mnist.te") == Completion(candidates: ["test"], appendsSpace: false, replacedLength: 2))
    }

    @Test func clausesAfterTrainOn() {
        let completer = Completer(interpreter: interpreter)
        #expect(completer.complete("train m on mnist ").candidates == ["batch", "epochs", "loss", "lr", "momentum", "optimizer"])
        #expect(completer.complete("step m on mnist ").candidates == ["batch", "loss", "lr", "momentum", "optimizer", "verbose"])
        #expect(completer.complete("train m on mnist ep").candidates == ["epochs"])
        #expect(completer.complete("train m on mnist optimizer ").candidates == ["adam", "adamw", "rmsprop", "sgd"])
        #expect(completer.complete("train m on mnist loss c").candidates == ["cross_entropy"])
    }

    /// After `train m on ` Tab offers data, not all ~50 names (issue 16 item 9).
    @Test func dataAfterOn() throws {
        interpreter.setVariable("pair", to: .tuple([.number(1), .number(2)]))
        interpreter.setVariable("lr_value", to: .number(0.1))
        let offered = completer(for: "train m on ")
        #expect(offered.contains("mnist") && offered.contains("spirals") && offered.contains("movie_reviews") && offered.contains("pair"))
        #expect(!offered.contains("linear") && !offered.contains("lr_value") && !offered.contains("tensor"), "\(offered)")
        #expect(completer(for: "evaluate m on mn") == ["mnist"])
    }

    private func completer(for line: String) -> [String] { Completer(interpreter: interpreter).complete(line).candidates }

    @Test func pathsInsideAString() throws {
        let folder = NSTemporaryDirectory() + "tensorbook-completion-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/models", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder + "/mnist.safetensors", contents: Data())
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let completer = Completer(interpreter: interpreter)
        #expect(completer.complete("m = load \"\(folder)/m") == Completion(candidates: ["mnist.safetensors", "models/"], appendsSpace: false, replacedLength: 1))
    }
}
