/// How a command is written after its word: the parser, `help` and the completer all read this,
/// so the command vocabulary lives only in the registry (DESIGN.md §2a item 3).
public struct CommandGrammar: Sendable {
    /// One piece of a command, in order.
    public enum Part: Sendable {
        /// An expression, named in the syntax line ("MODEL").
        case operand(String)
        /// A fixed word between operands ("on", "to").
        case word(String)
        /// Expressions separated by commas; none at all is allowed when `optional`.
        case operands(String, optional: Bool)
        /// An optional bare word that is not evaluated (`explain adam`, `help linear`).
        case topic(String)
        /// An expression, or a command that can follow `show` (`show predict model on …`).
        case operandOrCommand(String)
    }

    public let parts: [Part]
    /// Clauses accepted after the parts, in any order, each at most once.
    public let clauses: [ClauseDefinition]

    /// A grammar.
    public init(_ parts: [Part], clauses: [ClauseDefinition] = []) {
        self.parts = parts
        self.clauses = clauses
    }

    /// Whether the command may stand alone, with nothing after its word (`help`, `print`).
    var allowsNothing: Bool {
        switch parts.first {
        case .topic?, .operands(_, optional: true)?, nil: true
        default: false
        }
    }

    /// The clause called `name`.
    public func clause(named name: String) -> ClauseDefinition? { clauses.first { $0.name == name } }

    /// How the command is written: "train MODEL on DATA [epochs N] [optimizer adam|sgd] …".
    public func syntax(for keyword: String) -> String {
        let pieces = parts.map { part -> String in
            switch part {
            case .operand(let name), .operandOrCommand(let name): name
            case .word(let word): word
            case .operands(let name, let optional): optional ? "[\(name), …]" : "\(name) [, \(name) …]"
            case .topic(let name): "[\(name)]"
            }
        }
        return ([keyword] + pieces + clauses.map { "[\($0.syntax)]" }).joined(separator: " ")
    }
}

/// A clause of a command, such as `epochs 5`, `optimizer sgd` or `verbose`: a named-only
/// parameter of the command's `Signature`, with its default and the rule its value must meet,
/// so every command checks and defaults its clauses in one place (the interpreter's binding).
public struct ClauseDefinition: Sendable {
    /// What follows the clause word.
    public enum Kind: Sendable, Equatable {
        /// An expression: `epochs N` (the placeholder), e.g. `epochs 5` (the example).
        case value(placeholder: String, example: String)
        /// One word out of a fixed set, not evaluated: `optimizer adam`.
        case symbol(choices: [String])
        /// Nothing: the clause is a switch (`verbose`).
        case flag
    }

    public let name: String
    public let kind: Kind
    /// The value when the clause is not written: `none` unless given; `false` for a flag.
    public let defaultValue: Value
    /// What a written value must be (numbers only); nil accepts anything.
    public let rule: NumberRule?

    /// A clause.
    public init(_ name: String, _ kind: Kind, default defaultValue: Value? = nil, rule: NumberRule? = nil) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue ?? (kind == .flag ? .bool(false) : .none)
        self.rule = rule
    }

    /// "epochs N", "optimizer adam|sgd", "verbose".
    public var syntax: String {
        switch kind {
        case .value(let placeholder, _): "\(name) \(placeholder)"
        case .symbol(let choices): "\(name) \(choices.joined(separator: "|"))"
        case .flag: name
        }
    }

    /// How it is written with a real value: "epochs 5", "optimizer adam".
    public var example: String {
        switch kind {
        case .value(_, let example): "\(name) \(example)"
        case .symbol(let choices): "\(name) \(choices.first ?? "…")"
        case .flag: name
        }
    }
}

/// What a number given to a clause must be: "a whole number of at least 1", "a positive number".
public struct NumberRule: Sendable {
    /// Says "a whole number of at least 1" for the message "epochs must be …, got 0".
    public let description: String
    /// What to try instead, when the clause's example is not enough.
    public let hint: String?
    let accepts: @Sendable (Double) -> Bool

    /// A rule.
    public init(_ description: String, hint: String? = nil, accepts: @escaping @Sendable (Double) -> Bool) {
        self.description = description
        self.hint = hint
        self.accepts = accepts
    }

    /// A whole number from `minimum` to `maximum`.
    public static func wholeNumber(atLeast minimum: Double, upTo maximum: Double = 1e9, _ description: String? = nil, hint: String? = nil) -> NumberRule {
        NumberRule(description ?? "a whole number of at least \(Value.format(minimum))", hint: hint) {
            $0 == $0.rounded() && $0 >= minimum && $0 <= maximum
        }
    }

    /// A finite number greater than zero.
    public static func positive(hint: String? = nil) -> NumberRule {
        NumberRule("a positive number", hint: hint) { $0 > 0 && $0.isFinite }
    }
}
