import ArgumentParser
import Builtins
import Diagnostics
import Display
import Foundation
import Language
import Notebooks
import REPL
import Terminal
import TensorEngine
import Training

/// `tensorbook repl`: the interactive prompt.
struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the interactive prompt (the default).")

    @OptionGroup var common: CommonOptions

    func run() throws {
        common.applyMemoryLimit()
        try Repl.start(common)
    }

    /// Runs the prompt on a terminal, or reads statements from a pipe without prompts.
    static func start(_ options: CommonOptions) throws {
        let capabilities = TerminalCapabilities.detect()
        let interactive = isatty(0) == 1 && capabilities.isTerminal
        // Timings by default at an interactive prompt (nothing there is recorded); :time off hides them.
        let showsTimings = options.time || interactive
        let sink = RecordingTerminalSink(terminal: TerminalSink(capabilities: capabilities, showsTimings: showsTimings))
        let session = Session(registry: Builtins.makeRegistry(), sink: sink, showsTimings: showsTimings, seed: options.seed)
        let reader: any LineReader = interactive
            ? LibEditLineReader(historyPath: LibEditLineReader.defaultHistoryPath,
                                completer: session.makeCompleter(lineStarters: ReplSession.colonCommands))
            : PlainLineReader()
        let prompt = ReplSession(session: session, reader: reader, sink: sink)
        NotebookWiring.attach(to: prompt, session: session, display: sink, seed: options.seed)
        installInterruptHandler()
        let code = prompt.run(version: Tensorbook.version)
        if code != 0 { throw ExitCode(code) }
    }

    /// Ctrl-C stops training at the next batch and, at the prompt, clears the line. No
    /// SA_RESTART, so a blocked read returns and libedit's readline gives control back.
    static func installInterruptHandler() {
        SignalHandling.handle(SIGINT) { _ in
            Interrupt.request()
            LibEditLineReader.promptInterrupted.store(true, ordering: .relaxed)
        }
    }
}

/// Connects `:save` and `:load` to the notebook format.
enum NotebookWiring {
    static func attach(to prompt: ReplSession, session: Session, display: any DisplaySink, seed: UInt64?) {
        prompt.saveNotebook = { path, entries in
            let statements = entries.map { entry in
                NotebookDocument.SavedStatement(
                    source: entry.source, output: entry.outputs.map { $0.plainText(showsTimings: false) }.filter { !$0.isEmpty }.joined(separator: "\n"),
                    wasInterrupted: entry.wasInterrupted, trainingBatches: entry.trainingBatches)
            }
            try NotebookDocument.savedSession(statements, path: path, header: .init(version: Tensorbook.version, seed: seed.map(String.init) ?? "none")).write(to: path)
            let seeded = seed != nil || entries.contains { $0.source.hasPrefix("seed ") }
            return "saved \(entries.count) statements with their outputs to \(path)" + (seeded ? "" :
                "\nnote: no seed was set, so a rerun draws other random numbers (initial weights, shuffling) than these outputs; start a session with seed 0 for a notebook that checks")
        }
        prompt.loadNotebook = { path in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                FileOutput(fileDescriptor: 2).write("error: cannot read '\(path)'\n")
                return false
            }
            do throws(NotebookError) {
                let document = try NotebookDocument(parsing: text)
                let results = NotebookRunner(session: session, display: display).run(document, path: path)
                let renderer = TerminalRenderer(capabilities: .detect(fileDescriptor: 2))
                for result in results { for diagnostic in result.diagnostics { FileOutput(fileDescriptor: 2).write(renderer.render(diagnostic)) } }
                return !results.contains(where: \.failed)
            } catch {
                FileOutput(fileDescriptor: 2).write(TerminalRenderer(capabilities: .detect(fileDescriptor: 2)).render(error.diagnostic(in: SourceFile(name: path, text: text))))
                return false
            }
        }
    }
}
