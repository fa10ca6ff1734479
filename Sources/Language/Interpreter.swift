import Diagnostics
import Display

/// Runs statements. Never prints: everything it shows goes to the run's sink as `DisplayValue`s.
/// The variables survive errors — a failed statement changes nothing.
public final class Interpreter {
    /// Builtin functions, named values, commands and the engine hooks.
    public let registry: Registry
    /// The context of the run in progress, or the standing one between runs.
    public private(set) var context: ExecutionContext
    /// The session's variables.
    let globals = Environment(slotCount: 0, parent: nil)
    /// The scope running now: the globals, or the locals of a function call.
    var frame: Environment
    /// Calls of user functions in progress.
    var callDepth = 0
    /// The user function running now (nil at the top level): what `super()` asks about.
    var runningFunction: FunctionDefinition?
    /// The class that defined each method, by the method's definition (for `super()`).
    var methodOwners: [ObjectIdentifier: ClassObject] = [:]
    /// Scopes of finished calls by slot count, reused by the next call of that size.
    var spareFrames: [[Environment]] = []
    /// Where the stack of this run's thread ends, with room to spare (recursion stops before it);
    /// found only when calls nest deeply, since finding it reads the process's memory map.
    var stackGuard: StackGuard?
    /// Warnings of the run in progress (e.g. a builtin name given a new meaning).
    var warnings: [Diagnostic] = []
    /// Where each global was last assigned, by name id: a failed `w.grad` points there, at the
    /// `w = w - lr * w.grad` that made the weight a computed result.
    var assignedAt: [Int: SourceSpan] = [:]
    /// Named values already made, by name id (datasets load once per session).
    private var madeValues: [Int: Value] = [:]

    /// An interpreter over a registry with a standing context.
    public init(registry: Registry, context: ExecutionContext) {
        self.registry = registry
        self.context = context
        frame = globals
    }

    /// An interpreter sending output to `sink`, with the registry's engine hooks.
    public convenience init(registry: Registry, sink: any DisplaySink) {
        self.init(registry: registry, context: ExecutionContext(sink: sink, engine: registry.engine))
    }

    /// Where output goes in the run in progress.
    public var sink: any DisplaySink { context.sink }

    /// Parses and runs `source` in the standing context.
    @discardableResult
    public func run(_ source: SourceFile) -> [Diagnostic] {
        run(source, in: context)
    }

    /// Parses and runs `source` with output and hooks of `context` (one front end's run). With
    /// syntax errors, reports them all and runs nothing; otherwise runs statements in order and
    /// stops at the first runtime error.
    @discardableResult
    public func run(_ source: SourceFile, in context: ExecutionContext) -> [Diagnostic] {
        let parser = Parser(source, registry: registry)
        if !parser.diagnostics.isEmpty { return Diagnostic.summarized(parser.diagnostics) }
        let standing = self.context
        self.context = context
        warnings = []
        stackGuard = nil
        defer {
            self.context = standing
            frame = globals
            callDepth = 0
        }
        for statement in parser.statements {
            CrashReport.setLocation("\(source.name):\(source.location(of: statement.span.start).line)")  // named if tensorbook crashes in it
            do {
                try checkInterruption(before: statement)
                if case .returnValue = try execute(statement) { break }
            } catch {
                return warnings + [error]
            }
        }
        return warnings
    }

    /// Replaces the standing context (a front end turning timings on, say).
    public func setContext(_ context: ExecutionContext) {
        self.context = context
    }

    /// Whether `text` stops in the middle of a statement, for the language's own grammar.
    public static func isIncomplete(_ text: String) -> Bool {
        Parser(SourceFile(name: "<input>", text: text)).isIncomplete
    }

    /// The session's variables by name.
    public var variables: [String: Value] { globals.globalVariables }

    /// Forgets every variable (`:reset`).
    public func reset() {
        globals.removeAll()
    }

    /// Sets a variable directly (for hosts and tests).
    public func setVariable(_ name: String, to value: Value) {
        globals.set(value, at: Name(name).id)
    }

    /// The value of a name: a variable, then a builtin value (made once), then a builtin function.
    func lookup(_ name: Name, at span: SourceSpan) throws(Diagnostic) -> Value {
        if let value = globals.value(at: name.id) { return value }
        return try builtin(name, at: span)
    }

    /// A builtin named value or function.
    func builtin(_ name: Name, at span: SourceSpan) throws(Diagnostic) -> Value {
        if let value = madeValues[name.id] { return value }
        if let named = registry.values[name.text] {
            let value = try hostCall(span: span, what: name.text) { try named.make() }
            madeValues[name.id] = value
            return value
        }
        if let function = registry.functions[name.text] { return .function(function) }
        throw unknownName(name.text, at: span)
    }

    private func unknownName(_ name: String, at span: SourceSpan) -> Diagnostic {
        let known = Array(variables.keys) + registry.names + Array(registry.commands.keys)
        if let suggestion = Suggestions.closest(to: name, in: known) {
            return Diagnostic("unknown name '\(name)'", at: span, hint: "did you mean '\(suggestion)'?")
        }
        let hint = registry.clauseNames.contains(name) ? "'\(name)' is a clause of a command, e.g. train model on mnist \(name) …"
            : "define it first, e.g. \(name) = …"
        return Diagnostic("unknown name '\(name)'", at: span, hint: hint)
    }

    /// Runs host code, turning its errors into diagnostics at `span` (or at the argument named).
    func hostCall<T>(span: SourceSpan, what: String, argumentSpans: [String: SourceSpan] = [:], _ body: () throws -> T) throws(Diagnostic) -> T {
        do {
            return try body()
        } catch let error as HostError {
            let location = error.argument.flatMap { argumentSpans[$0] } ?? span
            throw Diagnostic(error.message, at: location, hint: error.hint, notes: error.notes)
        } catch let error as Diagnostic {
            throw error
        } catch {
            throw Diagnostic("internal error in \(what): \(error)", at: span, kind: .internalError,
                             hint: "this is a bug in tensorbook; please report it with the statement that caused it")
        }
    }
}
