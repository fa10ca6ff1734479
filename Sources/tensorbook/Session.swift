import Builtins
import Diagnostics
import Display
import Foundation
import Language
import Terminal
import TensorEngine
import Training

/// One interpreter with its output wired to the terminal, shared by `-e`, `run` and the REPL.
final class Session {
    let interpreter: Interpreter
    let sink: TerminalSink
    private let errors: FileOutput
    private let errorRenderer: TerminalRenderer
    /// The most serious failure so far, as an exit code (0 when none).
    private(set) var exitCode: Int32 = 0

    /// A session; `seed` makes every random draw repeatable.
    init(seed: UInt64?, showsTimings: Bool, capabilities: TerminalCapabilities = .detect()) {
        sink = TerminalSink(capabilities: capabilities, showsTimings: showsTimings)
        interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        interpreter.showsTimings = showsTimings
        errors = FileOutput(fileDescriptor: 2)
        errorRenderer = TerminalRenderer(capabilities: .detect(fileDescriptor: 2))
        if let seed { GlobalRandom.seed(seed) }
    }

    /// Runs a source; reports diagnostics on standard error. Returns whether it succeeded.
    @discardableResult
    func run(_ source: SourceFile) -> Bool {
        Interrupt.reset()
        let diagnostics = interpreter.run(source)
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

    /// sysexits: 65 for problems in the input (syntax, runtime), 70 for tensorbook's own bugs.
    static func exitCode(for diagnostic: Diagnostic) -> Int32 {
        diagnostic.severity != .error ? 0 : (diagnostic.kind == .internalError ? 70 : 65)
    }

    /// Reports a problem that is not in any source (a file that cannot be read): exit code 74.
    func reportInputOutputError(_ message: String, hint: String?) {
        errors.write(errorRenderer.render(Diagnostic(message, at: nil, hint: hint)))
        exitCode = max(exitCode, 74)
    }
}
