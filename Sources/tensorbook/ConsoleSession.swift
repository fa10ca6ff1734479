import Builtins
import Diagnostics
import Display
import Foundation
import Language
import Terminal

/// A `Session` whose output goes to the terminal and whose errors go to standard error with the
/// exit code they call for: `-e`, `run` and `export` (the REPL wires its own recording sink).
final class ConsoleSession {
    let session: Session
    let sink: TerminalSink
    private let errors: FileOutput
    private let errorRenderer: TerminalRenderer
    /// The most serious failure so far, as an exit code (0 when none).
    private(set) var exitCode: Int32 = 0

    /// A session; `seed` makes every random draw repeatable.
    init(seed: UInt64?, showsTimings: Bool, capabilities: TerminalCapabilities = .detect()) {
        sink = TerminalSink(capabilities: capabilities, showsTimings: showsTimings)
        session = Session(registry: Builtins.makeRegistry(), sink: sink, showsTimings: showsTimings, seed: seed)
        errors = FileOutput(fileDescriptor: 2)
        errorRenderer = TerminalRenderer(capabilities: .detect(fileDescriptor: 2))
    }

    /// Runs a source; reports diagnostics on standard error. Returns whether it succeeded.
    @discardableResult
    func run(_ source: SourceFile) -> Bool {
        let diagnostics = session.run(source)
        report(diagnostics)
        return diagnostics.allSatisfy { $0.severity != .error }
    }

    /// Writes diagnostics to standard error and remembers the exit code they call for.
    func report(_ diagnostics: [Diagnostic]) {
        sink.clearLiveLine()
        for diagnostic in diagnostics {
            errors.write(errorRenderer.render(diagnostic))
            exitCode = max(exitCode, Self.exitCode(for: diagnostic))
        }
    }

    /// sysexits: 65 for problems in the input (syntax, runtime), 70 for tensorbook's own bugs;
    /// 130 (the shell's code for SIGINT) for a run stopped by Ctrl-C or a timeout.
    static func exitCode(for diagnostic: Diagnostic) -> Int32 {
        guard diagnostic.severity == .error else { return 0 }
        switch diagnostic.kind {
        case .internalError: return 70
        case .interrupted: return 130
        default: return 65
        }
    }

    /// Reports a problem that is not in any source (a file that cannot be read): exit code 74.
    func reportInputOutputError(_ message: String, hint: String?) {
        errors.write(errorRenderer.render(Diagnostic(message, at: nil, hint: hint)))
        exitCode = max(exitCode, 74)
    }
}
