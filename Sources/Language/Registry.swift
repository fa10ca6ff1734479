import Diagnostics
import Display

/// A named value provided by the host, made on first use (a dataset such as `mnist`).
public struct NamedValue: Sendable {
    public let name: String
    public let documentation: String
    public let make: @Sendable () throws -> Value

    /// A lazily made value.
    public init(_ name: String, documentation: String, make: @escaping @Sendable () throws -> Value) {
        self.name = name
        self.documentation = documentation
        self.make = make
    }
}

/// A command (`train`, `show`, …) implemented by the host: its syntax, doc and behaviour.
public struct CommandDefinition: Sendable {
    public let keyword: String
    /// How it is written, e.g. "train MODEL on DATA [epochs N] [batch N] …".
    public let syntax: String
    public let documentation: String
    /// Whether a bare command statement shows the returned value (`evaluate`, `predict`).
    public let displaysResult: Bool
    /// The words accepted as its topic (`explain adam`), for completion and "did you mean".
    public let topics: [String]
    public let run: @Sendable (CommandInvocation) throws -> Value

    /// A command.
    public init(_ keyword: String, syntax: String, documentation: String, displaysResult: Bool = false, topics: [String] = [],
                run: @escaping @Sendable (CommandInvocation) throws -> Value) {
        self.keyword = keyword
        self.syntax = syntax
        self.documentation = documentation
        self.displaysResult = displaysResult
        self.topics = topics
        self.run = run
    }
}

/// One running command: evaluated operands and clauses, with their locations.
public struct CommandInvocation: Sendable {
    public let keyword: String
    public let operands: [Value]
    public let operandSpans: [SourceSpan]
    public let topic: Symbol?
    /// Clause values by name; symbol clauses (optimizer, loss) hold `.string(word)`, flags `.bool(true)`.
    public let clauses: [String: Value]
    public let clauseSpans: [String: SourceSpan]
    public let span: SourceSpan
    public let sink: any DisplaySink
    /// Whether output may include machine-dependent figures (wall time, GFLOP/s).
    public let showsTimings: Bool
    /// The session's variables (`explain` points at the models among them).
    public let variables: [String: Value]
}

/// The one registry of every builtin function, named value and command: what `help`,
/// completion and "did you mean" read. The host (Builtins) fills it.
public final class Registry: @unchecked Sendable {
    public private(set) var functions: [String: NativeFunction] = [:]
    public private(set) var values: [String: NamedValue] = [:]
    public private(set) var commands: [String: CommandDefinition] = [:]

    /// An empty registry.
    public init() {}

    /// Adds a function (replacing one of the same name).
    public func register(_ function: NativeFunction) { functions[function.name] = function }
    /// Adds a named value.
    public func register(_ value: NamedValue) { values[value.name] = value }
    /// Adds a command.
    public func register(_ command: CommandDefinition) { commands[command.keyword] = command }

    /// Every name a program can refer to: functions and named values.
    public var names: [String] { (Array(functions.keys) + Array(values.keys)).sorted() }

    /// The documentation line for a name (function, value, command or clause), if any.
    public func help(for name: String) -> String? {
        if let function = functions[name] { return "\(function.signature)\n  \(function.documentation)" }
        if let value = values[name] { return "\(name)\n  \(value.documentation)" }
        if let command = commands[name] { return "\(command.syntax)\n  \(command.documentation)" }
        return nil
    }
}
