import Diagnostics

/// A binary operator, lowest precedence first in `Parser`.
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", matrixMultiply = "@", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

/// An expression and where it is.
public struct Expression: Sendable {
    /// The forms of DESIGN.md §3.
    public indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case boolean(Bool)
        case none
        case identifier(Name)
        case list([Expression])
        case tuple([Expression])
        case negate(Expression)
        case binary(BinaryOperator, Expression, Expression, operatorSpan: SourceSpan)
        case call(Expression, [Argument])
        case index(Expression, Expression)
        case slice(Expression, start: Expression?, end: Expression?)
        case member(Expression, name: String, nameSpan: SourceSpan)
        /// A value-returning command used as a value, e.g. `show predict model on mnist.test[0:10]`.
        case command(Command)
    }

    public let kind: Kind
    public let span: SourceSpan
}

/// One argument of a call: positional or `name: value`.
public struct Argument: Sendable {
    public let label: String?
    public let value: Expression
    /// The whole argument, label included.
    public let span: SourceSpan
}

/// A word that is not evaluated: `optimizer adam`, `loss mse`, `explain adam`, `help linear`.
public struct Symbol: Sendable {
    public let name: String
    public let span: SourceSpan
}

/// A `train … on …` clause such as `epochs 5` or `optimizer sgd`.
public struct Clause: Sendable {
    public let name: String
    public let nameSpan: SourceSpan
    /// The value, for clauses that take an expression.
    public let value: Expression?
    /// The word, for clauses that name something (optimizer, loss).
    public let symbol: Symbol?
    /// A flag clause (`verbose`) has neither.
    public var span: SourceSpan { value.map { nameSpan.through($0.span) } ?? symbol.map { nameSpan.through($0.span) } ?? nameSpan }
}

/// A command statement: `train M on D epochs 5`, `show x`, `help linear`, ….
public struct Command: Sendable {
    /// The command word ("train", "show", …).
    public let keyword: String
    public let keywordSpan: SourceSpan
    /// Evaluated operands, in order (train: model, data; save: value, path; plot/print: each item).
    public let operands: [Expression]
    /// The topic word of `explain`/`help`, if any.
    public let topic: Symbol?
    public let clauses: [Clause]
    public let span: SourceSpan
}

/// One statement.
public struct Statement: Sendable {
    public enum Kind: Sendable {
        /// `name = expression`
        case assignment(name: Name, nameSpan: SourceSpan, value: Expression)
        /// `name = command`, e.g. `history = train model on mnist`
        case commandAssignment(name: Name, nameSpan: SourceSpan, command: Command)
        case expression(Expression)
        case command(Command)
    }

    public let kind: Kind
    public let span: SourceSpan
}
