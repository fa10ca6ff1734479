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

/// A command (`train`, `show`, …): how it is written, its doc and its behaviour. The language's
/// own commands (`help`, `print`, `show`) have a grammar here and no `run`.
public struct CommandDefinition: Sendable {
    public let keyword: String
    public let grammar: CommandGrammar
    public let documentation: String
    /// A complete example, for hints ("for example: train model on mnist epochs 2").
    public let example: String
    /// Whether a bare command statement shows the returned value (`evaluate`, `predict`).
    public let displaysResult: Bool
    /// Whether it can follow `show` (`show predict model on mnist.test[0:8]`).
    public let canFollowShow: Bool
    /// The words accepted as its topic (`explain adam`), for completion and "did you mean".
    public let topics: [String]
    /// What the command takes, as a function would: operands by position (named after their
    /// placeholder: MODEL → model), clauses as named-only parameters with their defaults.
    public let signature: Signature
    let run: (@Sendable (CommandInvocation) throws -> Value)?

    /// A command implemented by the host.
    public init(_ keyword: String, grammar: CommandGrammar, documentation: String, example: String, displaysResult: Bool = false,
                canFollowShow: Bool = false, topics: [String] = [], run: @escaping @Sendable (CommandInvocation) throws -> Value) {
        self.init(keyword, grammar, documentation, example, displaysResult, canFollowShow, topics, run)
    }

    private init(_ keyword: String, _ grammar: CommandGrammar, _ documentation: String, _ example: String, _ displaysResult: Bool,
                 _ canFollowShow: Bool, _ topics: [String], _ run: (@Sendable (CommandInvocation) throws -> Value)?) {
        self.keyword = keyword
        self.grammar = grammar
        self.documentation = documentation
        self.example = example
        self.displaysResult = displaysResult
        self.canFollowShow = canFollowShow
        self.topics = topics
        self.run = run
        signature = Self.signature(keyword, grammar, documentation)
    }

    private static func signature(_ keyword: String, _ grammar: CommandGrammar, _ documentation: String) -> Signature {
        var parameters: [Signature.Parameter] = [], variadic: String?
        for part in grammar.parts {
            switch part {
            case .operand(let placeholder), .operandOrCommand(let placeholder): parameters.append(.init(parameterName(placeholder)))
            case .operands(let placeholder, _): variadic = parameterName(placeholder)
            case .word, .topic: break
            }
        }
        parameters += grammar.clauses.map { Signature.Parameter($0.name, default: $0.defaultValue, namedOnly: true) }
        return Signature(keyword, parameters: parameters, variadic: variadic, documentation: documentation)
    }

    /// The parameter an operand binds to: its placeholder's first word in lower case ("\"FILE.py\"" → file).
    static func parameterName(_ placeholder: String) -> String {
        String(placeholder.drop { !$0.isLetter }.prefix { $0.isLetter || $0 == "_" }).lowercased()
    }

    /// How it is written, e.g. "train MODEL on DATA [epochs N] …".
    public var syntax: String { grammar.syntax(for: keyword) }

    /// The commands the language itself runs.
    static let languageCommands: [CommandDefinition] = [
        CommandDefinition("help", CommandGrammar([.topic("NAME")]), "Lists everything, or shows one entry.", "help linear", false, false, [], nil),
        CommandDefinition("print", CommandGrammar([.operands("VALUE", optional: true)]), "Prints values on one line.",
                          "print \"loss\", loss", false, false, [], nil),
        CommandDefinition("show", CommandGrammar([.operandOrCommand("VALUE")]), "Shows a value in detail (a model's layers, a dataset's images).",
                          "show model", false, false, [], nil),
        CommandDefinition("clear", CommandGrammar([]), "Clears what this cell has shown so far (Jupyter, notebooks), e.g. to redraw a plot in a loop.",
                          "for i in range(3):\n    clear\n    plot h", false, false, [], nil),
    ]
}

/// One running command: its operands and clauses bound to the command's `Signature` (defaults
/// filled in, clause rules checked), with their locations.
public struct CommandInvocation: Sendable {
    public let keyword: String
    /// Operands by their parameter names (`model`, `data`, `file`), clauses by theirs (`epochs`);
    /// symbol clauses hold `.string(word)`, flags `.bool`. HostError's `argument` names them too.
    public let arguments: Arguments
    /// The topic word of `explain`/`help`, if any.
    public let topic: Symbol?
    public let span: SourceSpan
    /// The session's variables (`explain` points at the models among them).
    public let variables: [String: Value]

    /// The running program's output and engine hooks.
    public var context: ExecutionContext { arguments.context }
    /// Where output goes.
    public var sink: any DisplaySink { context.sink }
    /// Whether output may include machine-dependent figures (wall time, GFLOP/s).
    public var showsTimings: Bool { context.showsTimings }

    /// The value bound to a parameter (an operand, or a clause with its default).
    public subscript(_ name: String) -> Value { arguments.value(name) ?? .none }

    /// Whether a flag clause is on (`overwrite`, or `overwrite: true`).
    public func isTrue(_ name: String) -> Bool {
        if case .bool(true) = self[name] { return true }
        return false
    }

    /// Whether a clause was written in the statement (rather than defaulted).
    public func wasWritten(_ name: String) -> Bool { arguments.span(for: name) != nil }

    /// The source text written for an operand ("sgd_history"), for labels.
    public func text(of name: String) -> String? { arguments.span(for: name)?.text }
}

/// The one registry of every builtin function, named value and command, and of the engine
/// hooks: what `help`, completion, the parser and "did you mean" read. The host (Builtins) fills it.
public final class Registry: @unchecked Sendable {
    public private(set) var functions: [String: Callable] = [:]
    public private(set) var values: [String: NamedValue] = [:]
    public private(set) var commands: [String: CommandDefinition] = [:]
    /// What the host adds to every class instance (nn.Module's methods and printout).
    public var instanceSupport: (any InstanceSupport)?
    /// How a `torch.autograd.Function` class's `apply` runs (the host records its backward).
    public var autogradFunctions: (any AutogradFunctionSupport)?
    /// How the language reaches the engine (interrupts, no-grad, seeding).
    public var engine: any EngineHooks = NoEngine()

    /// A registry with the language's own functions and commands only.
    public init() {
        commands = Self.languageCommandsByWord
        LanguageFunctions.register(in: self)
    }

    /// Adds a function (replacing one of the same name).
    public func register(_ function: Callable) { functions[function.name] = function }
    /// Adds a named value.
    public func register(_ value: NamedValue) { values[value.name] = value }
    /// Adds a command.
    public func register(_ command: CommandDefinition) { commands[command.keyword] = command }

    /// Every name a program can refer to: functions and named values.
    public var names: [String] { (Array(functions.keys) + Array(values.keys)).sorted() }

    /// Every clause word of every command.
    public var clauseNames: [String] {
        Array(Set(commands.values.flatMap { $0.grammar.clauses.map(\.name) })).sorted()
    }

    /// The documentation for a name (function, value or command), if any.
    public func help(for name: String) -> String? {
        if let function = functions[name] { return function.signature.helpText }
        if let value = values[name] { return "\(name)\n  \(value.documentation)" }
        if let command = commands[name] { return "\(command.syntax)\n  \(command.documentation)" }
        return nil
    }
}

extension Registry {
    /// The language's own commands by word (a parser without a registry knows these).
    static let languageCommandsByWord: [String: CommandDefinition] =
        Dictionary(uniqueKeysWithValues: CommandDefinition.languageCommands.map { ($0.keyword, $0) })
}
