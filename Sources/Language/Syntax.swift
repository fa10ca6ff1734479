import Diagnostics

/// A binary operator, lowest precedence first in `Parser`.
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", matrixMultiply = "@", power = "**"
    case remainder = "%", floorDivide = "//"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case isIn = "in", isNotIn = "not in"
    /// `a is b` / `a is not b`: the same object (for numbers, strings, bools and none: the same value).
    case isSame = "is", isNotSame = "is not"
}

/// `and` / `or`: the right side is evaluated only when the left does not decide.
public enum LogicalOperator: String, Sendable {
    case and, or
}

/// An expression and where it is.
public struct Expression: Sendable {
    /// The forms of DESIGN.md §3 and §3a.
    public indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case boolean(Bool)
        case none
        /// A global variable or builtin.
        case identifier(Name)
        /// A local variable of a function, in the slot the resolver gave it.
        case local(Int, Name)
        case list([Expression])
        case tuple([Expression])
        case negate(Expression)
        case not(Expression)
        case binary(BinaryOperator, Expression, Expression, operatorSpan: SourceSpan)
        case logical(LogicalOperator, Expression, Expression)
        /// `[element for target in source if condition]`: a new list.
        case comprehension(Expression, Target, in: Expression, condition: Expression?)
        /// `{key: value, …}`: a dictionary, in the order written.
        case dictionary([(key: Expression, value: Expression)])
        /// `a if condition else b`: only the chosen side is evaluated.
        case conditional(Expression, condition: Expression, otherwise: Expression)
        case call(Expression, [Argument])
        /// `x[i]`, `x[a:b]`, `x[0, 1]`, `x[:, ::2]`: one item per axis.
        case subscripts(Expression, [SubscriptItem])
        case member(Expression, name: String, nameSpan: SourceSpan)
        /// `f"epoch {e}: loss {loss:.4f}"`
        case formatString([FormatPart])
        /// A value-returning command used as a value, e.g. `show predict model on mnist.test[0:10]`.
        case command(Command)
    }

    public let kind: Kind
    public let span: SourceSpan
    /// Levels of expressions from this one down to its deepest leaf (1 for a leaf): what the
    /// interpreter's recursion will need, bounded by the parser (`Parser.maximumHeight`).
    public let height: Int

    /// An expression; its height follows from its parts.
    public init(kind: Kind, span: SourceSpan) {
        self.kind = kind
        self.span = span
        height = 1 + Self.childHeight(of: kind)
    }

    private static func childHeight(of kind: Kind) -> Int {
        func highest(_ expressions: [Expression]) -> Int { expressions.reduce(0) { Swift.max($0, $1.height) } }
        switch kind {
        case .number, .string, .boolean, .none, .identifier, .local, .command: return 0
        case .list(let items), .tuple(let items): return highest(items)
        case .negate(let operand), .not(let operand), .member(let operand, _, _): return operand.height
        case .binary(_, let left, let right, _), .logical(_, let left, let right): return Swift.max(left.height, right.height)
        case .conditional(let chosen, let condition, let otherwise): return Swift.max(chosen.height, condition.height, otherwise.height)
        case .comprehension(let element, _, let source, let condition): return Swift.max(element.height, source.height, condition?.height ?? 0)
        case .dictionary(let pairs): return highest(pairs.flatMap { [$0.key, $0.value] })
        case .call(let callee, let arguments): return Swift.max(callee.height, highest(arguments.map(\.value)))
        case .subscripts(let base, let items):
            let parts = items.flatMap { item -> [Expression] in
                switch item {
                case .index(let index): [index]
                case .slice(let start, let end, let step): [start, end, step].compactMap { $0 }
                }
            }
            return Swift.max(base.height, highest(parts))
        case .formatString(let parts):
            return highest(parts.compactMap { if case .value(let value, _) = $0 { value } else { nil } })
        }
    }
}

/// A piece of an f-string: literal text, or a value with an optional format (`.4f`).
public enum FormatPart: Sendable {
    case text(String)
    case value(Expression, format: String?)
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

/// What an assignment or a `for` loop writes to.
public struct Target: Sendable {
    public indirect enum Kind: Sendable {
        /// A global variable.
        case name(Name)
        /// A function's local variable.
        case local(Int, Name)
        /// `a, b = …` and `for x, (y, z) in …`.
        case tuple([Target])
        /// `xs[i] = …`, `x[0, :] = …`
        case subscripts(Expression, [SubscriptItem])
        /// `opt.lr = …`
        case member(Expression, name: String, nameSpan: SourceSpan)
    }

    public let kind: Kind
    public let span: SourceSpan
}

/// Statements in a block, in order.
public struct Block: Sendable {
    public let statements: [Statement]
    public let span: SourceSpan
}

/// One `if` or `elif` test and the block it guards.
public struct ConditionalBranch: Sendable {
    public let condition: Expression
    public let body: Block
}

/// One parameter of a `def`: a name and an optional default.
public struct ParameterDefinition: Sendable {
    public let name: Name
    public let defaultValue: Expression?
    public let span: SourceSpan
}

/// A function written with `def`: its parameters, body and the local slots the resolver assigned
/// (parameters first). A class, so that every function value made from it shares it.
public final class FunctionDefinition: Sendable {
    public let name: Name
    public let parameters: [ParameterDefinition]
    public let body: Block
    /// The docstring: a string written as the first line of the body.
    public let documentation: String
    /// Names of the local slots, parameters first.
    public let localNames: [Name]
    /// The `def` line, for messages.
    public let headerSpan: SourceSpan
    /// Written under `@staticmethod`: a method of a class that takes no `self`.
    public let isStatic: Bool

    init(name: Name, parameters: [ParameterDefinition], body: Block, documentation: String, localNames: [Name], headerSpan: SourceSpan,
         isStatic: Bool = false) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.documentation = documentation
        self.localNames = localNames
        self.headerSpan = headerSpan
        self.isStatic = isStatic
    }
}

/// A class written with `class Name:` (PyTorch's `class Name(nn.Module):` is accepted): its
/// methods in the order written, each resolved as a function whose first parameter is `self`.
public final class ClassDefinition: Sendable {
    public let name: Name
    /// The class it extends (`class Child(Parent):`); nil for nn.Module or no base.
    public let base: Name?
    /// Where the base is written, for messages.
    public let baseSpan: SourceSpan?
    /// The methods (`__init__`, `forward`, …), in order.
    public let methods: [FunctionDefinition]
    /// The docstring.
    public let documentation: String
    /// The `class` line, for messages.
    public let headerSpan: SourceSpan
    /// Based on `torch.autograd.Function`: an operation with its own backward, used through `Name.apply`.
    public let isAutogradFunction: Bool

    init(name: Name, base: Name?, baseSpan: SourceSpan?, methods: [FunctionDefinition], documentation: String, headerSpan: SourceSpan,
         isAutogradFunction: Bool = false) {
        self.isAutogradFunction = isAutogradFunction
        self.name = name
        self.base = base
        self.baseSpan = baseSpan
        self.methods = methods
        self.documentation = documentation
        self.headerSpan = headerSpan
    }
}

/// One statement.
public struct Statement: Sendable {
    public indirect enum Kind: Sendable {
        /// `target = expression`
        case assignment(Target, Expression)
        /// `name = command`, e.g. `history = train model on mnist`
        case commandAssignment(Target, Command)
        /// `target op= expression` (`+= -= *= /=`)
        case augmentedAssignment(Target, BinaryOperator, Expression, operatorSpan: SourceSpan)
        case expression(Expression)
        case command(Command)
        /// `if …: … elif …: … else: …`
        case conditional([ConditionalBranch], otherwise: Block?)
        case whileLoop(Expression, Block)
        case forLoop(Target, Expression, Block)
        case function(FunctionDefinition)
        /// `class Name: …` (methods only).
        case classDefinition(ClassDefinition)
        case returnValue(Expression?)
        case breakLoop
        case continueLoop
        case pass
        /// `no_grad:` — the block runs without recording gradients.
        case noGrad(Block)
        /// `global a, b` (the names stay global inside a function; nothing happens at run time).
        case global([Name])
        /// `del name`: forgets a variable (a builtin it hid is visible again).
        case delete(Name)
    }

    public let kind: Kind
    public let span: SourceSpan
}

/// One item between the brackets of `x[…]`: an index, or a slice `start:end:step` (each part optional).
public enum SubscriptItem: Sendable {
    case index(Expression)
    case slice(start: Expression?, end: Expression?, step: Expression?)

    /// The same item with `transform` applied to each expression in it.
    func map(_ transform: (Expression) -> Expression) -> SubscriptItem {
        switch self {
        case .index(let value): .index(transform(value))
        case .slice(let start, let end, let step): .slice(start: start.map(transform), end: end.map(transform), step: step.map(transform))
        }
    }
}
