import Diagnostics
import Display

/// Runs statements. Never prints: everything it shows goes to `sink` as `DisplayValue`s. The
/// variables survive errors — a failed statement changes nothing.
public final class Interpreter {
    /// Builtin functions, named values and commands.
    public let registry: Registry
    /// Where output goes.
    public var sink: any DisplaySink
    /// Whether output may include wall-clock times and other machine-dependent figures.
    public var showsTimings = false
    /// The session's variables.
    public private(set) var variables: [String: Value] = [:]
    /// Named values already made (datasets load once per session).
    private var madeValues: [String: Value] = [:]

    /// An interpreter over a registry, sending output to `sink`.
    public init(registry: Registry, sink: any DisplaySink) {
        self.registry = registry
        self.sink = sink
    }

    /// Parses and runs `source`. With syntax errors, reports them all and runs nothing;
    /// otherwise runs statements in order and stops at the first runtime error.
    @discardableResult
    public func run(_ source: SourceFile) -> [Diagnostic] {
        let parser = Parser(source)
        if !parser.diagnostics.isEmpty { return parser.diagnostics }
        for statement in parser.statements {
            do {
                try execute(statement)
            } catch {
                return [error]
            }
        }
        return []
    }

    /// Whether `text` stops in the middle of a statement (an open bracket or string): the REPL
    /// then reads a continuation line instead of reporting an error.
    public static func isIncomplete(_ text: String) -> Bool {
        Parser(SourceFile(name: "<input>", text: text)).isIncomplete
    }

    /// Forgets every variable (`:reset`).
    public func reset() {
        variables = [:]
    }

    /// Sets a variable directly (for hosts and tests).
    public func setVariable(_ name: String, to value: Value) {
        variables[name] = value
    }

    /// Runs one statement.
    public func execute(_ statement: Statement) throws(Diagnostic) {
        switch statement.kind {
        case .assignment(let name, let nameSpan, let expression):
            try checkAssignable(name, nameSpan)
            variables[name] = try evaluate(expression)
        case .commandAssignment(let name, let nameSpan, let command):
            try checkAssignable(name, nameSpan)
            variables[name] = try run(command)
        case .expression(let expression):
            let value = try evaluate(expression)
            for item in value.displayed { sink.emit(item) }
        case .command(let command):
            let value = try run(command)
            if registry.commands[command.keyword]?.displaysResult == true {
                for item in value.displayed { sink.emit(item) }
            }
        }
    }

    private func checkAssignable(_ name: String, _ span: SourceSpan) throws(Diagnostic) {
        if ["true", "false", "none"].contains(name) {
            throw Diagnostic("cannot assign to '\(name)'", at: span, kind: .syntax, hint: "choose another name")
        }
    }

    /// The value of a name: a variable, then a builtin value (made once), then a builtin function.
    func lookup(_ name: String, at span: SourceSpan) throws(Diagnostic) -> Value {
        if let value = variables[name] { return value }
        if let value = madeValues[name] { return value }
        if let named = registry.values[name] {
            let value = try hostCall(span: span, what: name) { try named.make() }
            madeValues[name] = value
            return value
        }
        if let function = registry.functions[name] { return .function(function) }
        throw unknownName(name, at: span)
    }

    private func unknownName(_ name: String, at span: SourceSpan) -> Diagnostic {
        let known = Array(variables.keys) + registry.names + Array(registry.commands.keys)
        if let suggestion = Suggestions.closest(to: name, in: known) {
            return Diagnostic("unknown name '\(name)'", at: span, hint: "did you mean '\(suggestion)'?")
        }
        let hint = Parser.clauseKeywords.contains(name) ? "'\(name)' is a clause of train and step, e.g. train model on mnist \(name) …"
            : "define it first, e.g. \(name) = …"
        return Diagnostic("unknown name '\(name)'", at: span, hint: hint)
    }

    /// Runs host code, turning its errors into diagnostics at `span`.
    func hostCall<T>(span: SourceSpan, what: String, argumentSpans: [String: SourceSpan] = [:], _ body: () throws -> T) throws(Diagnostic) -> T {
        do {
            return try body()
        } catch let error as HostError {
            let location = error.argument.flatMap { argumentSpans[$0] } ?? span
            throw Diagnostic(error.message, at: location, hint: error.hint)
        } catch let error as Diagnostic {
            throw error
        } catch {
            throw Diagnostic("internal error in \(what): \(error)", at: span, kind: .internalError,
                             hint: "this is a bug in tensorbook; please report it with the statement that caused it")
        }
    }
}
