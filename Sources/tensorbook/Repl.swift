import ArgumentParser
import Builtins
import Foundation
import Language
import REPL
import Terminal
import TensorEngine
import Training

/// `tensorbook repl`: the interactive prompt.
struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the interactive prompt (the default).")

    @OptionGroup var common: CommonOptions

    func run() throws {
        try Repl.start(common)
    }

    /// Runs the prompt on a terminal, or reads statements from a pipe without prompts.
    static func start(_ options: CommonOptions) throws {
        if let seed = options.seed { GlobalRandom.seed(seed) }
        let capabilities = TerminalCapabilities.detect()
        let interactive = isatty(0) == 1 && capabilities.isTerminal
        // Timings by default at an interactive prompt (nothing there is recorded); :time off hides them.
        let showsTimings = options.time || interactive
        let sink = RecordingTerminalSink(terminal: TerminalSink(capabilities: capabilities, showsTimings: showsTimings))
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        interpreter.showsTimings = showsTimings
        let reader: any LineReader = interactive
            ? LibEditLineReader(historyPath: LibEditLineReader.defaultHistoryPath, completer: Completer(interpreter: interpreter))
            : PlainLineReader()
        let session = ReplSession(interpreter: interpreter, reader: reader, sink: sink)
        session.beforeStatement = { Interrupt.reset() }
        NotebookWiring.attach(to: session, interpreter: interpreter)
        installInterruptHandler()
        let code = session.run(version: Tensorbook.version)
        if code != 0 { throw ExitCode(code) }
    }

    /// Ctrl-C stops training at the next batch and, at the prompt, clears the line. No
    /// SA_RESTART, so a blocked read returns and libedit's readline gives control back.
    static func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            Interrupt.request()
            LibEditLineReader.promptInterrupted.store(true, ordering: .relaxed)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A blocked mask is inherited across exec (seen: started from a test runner): unblock it.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        sigprocmask(SIG_UNBLOCK, &interrupt, nil)
    }
}

/// Connects `:save` and `:load` to the notebook format (filled in with the Notebooks module).
enum NotebookWiring {
    static func attach(to session: ReplSession, interpreter: Interpreter) {}
}
