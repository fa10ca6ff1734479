import Diagnostics
import Display

/// One interpreter and the context its runs get, shared by every front end: `-e`, `run`, the
/// REPL, notebooks and the Jupyter kernel (DESIGN.md §2a item 4).
public final class Session {
    /// The interpreter, with the session's variables.
    public let interpreter: Interpreter
    /// Output, timings and engine hooks for each run.
    public private(set) var context: ExecutionContext

    /// A session over `registry`, sending output to `sink`; `seed` makes every random draw repeatable.
    public init(registry: Registry, sink: any DisplaySink, showsTimings: Bool = false, seed: UInt64? = nil) {
        context = ExecutionContext(sink: sink, showsTimings: showsTimings, engine: registry.engine)
        interpreter = Interpreter(registry: registry, context: context)
        if let seed { registry.engine.seed(seed) }
    }

    /// Parses and runs `source`, after clearing any interruption left from before. Output goes
    /// to `sink` when given (a notebook cell's capture), else to the session's sink.
    @discardableResult
    public func run(_ source: SourceFile, sink: (any DisplaySink)? = nil) -> [Diagnostic] {
        CrashReport.setLocation("\(source.name):\(source.firstLine)")
        context.engine.clearInterruption()
        var runContext = context
        if let sink { runContext.sink = sink }
        defer { FreedMemory.giveBack() }
        return interpreter.run(source, in: runContext)
    }

    /// Whether a stop was asked for during the last run (Ctrl-C, a kernel interrupt, a timeout),
    /// also when the work it stopped ended cleanly (a `train` keeps the steps it took).
    public var wasInterrupted: Bool { context.engine.isInterrupted }

    /// Shows or hides wall-clock figures from now on.
    public func setShowsTimings(_ on: Bool) {
        context.showsTimings = on
        interpreter.setContext(context)
    }

    /// Whether `text` is ready to run; `interactive` keeps a block open until a blank line.
    public func completeness(of text: String, interactive: Bool) -> InputCompleteness {
        interpreter.completeness(of: text, interactive: interactive)
    }

    /// A completer over this session's names.
    public func makeCompleter(lineStarters: [String] = []) -> Completer {
        Completer(interpreter: interpreter, lineStarters: lineStarters)
    }
}
