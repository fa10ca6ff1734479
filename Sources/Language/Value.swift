import Diagnostics
import Display

/// A value of the language. Engine objects (tensors, models, datasets, histories) are opaque
/// `HostObject`s: the language knows no tensors.
public enum Value: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case list([Value])
    case tuple([Value])
    case function(NativeFunction)
    case object(any HostObject)

    /// The kind of value, as messages name it: "number", "string", "tensor", "model", ….
    public var typeName: String {
        switch self {
        case .number: "number"
        case .string: "string"
        case .bool: "bool"
        case .none: "none"
        case .list: "list"
        case .tuple: "tuple"
        case .function(let function): function.kind == .layer ? "layer builder" : "function"
        case .object(let object): object.typeName
        }
    }

    /// How the value reads inside other values and in `print`: 3, 0.5, "text", [1, 2], (a, b).
    public var shortDescription: String {
        switch self {
        case .number(let value): Self.format(value)
        case .string(let text): text
        case .bool(let value): value ? "true" : "false"
        case .none: "none"
        case .list(let items): "[" + items.map(\.quotedDescription).joined(separator: ", ") + "]"
        case .tuple(let items): "(" + items.map(\.quotedDescription).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case .function(let function): "<\(function.kind.rawValue) \(function.name)>"
        case .object(let object): object.summary
        }
    }

    /// Like `shortDescription`, but strings keep their quotes (inside lists, as the REPL shows them).
    public var quotedDescription: String {
        if case .string(let text) = self { return "\"\(text)\"" }
        return shortDescription
    }

    /// What a bare expression statement shows.
    public var displayed: [DisplayValue] {
        switch self {
        case .none: []
        case .object(let object): object.display()
        case .function(let function): [.text(function.signature + "\n  " + function.documentation)]
        default: [.text(quotedDescription)]
        }
    }

    /// Whole numbers without a decimal point (3, not 3.0); others in the shortest exact form.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

/// How an engine object takes part in the language. Every requirement has a default that
/// reports "not supported" with the object's type, so a host type implements only what it has.
public protocol HostObject: AnyObject, Sendable {
    /// "tensor", "model", "dataset", …
    var typeName: String { get }
    /// One line for `print` and inside lists, e.g. "tensor of shape [2, 3]".
    var summary: String { get }
    /// What a bare expression statement shows.
    func display() -> [DisplayValue]
    /// What `show x` shows (more detail).
    func show() -> [DisplayValue]
    /// Names valid after a dot, for completion and "did you mean".
    var memberNames: [String] { get }
    /// `x.name`
    func member(_ name: String) throws(HostError) -> Value
    /// `x[i]`
    func index(_ index: Value) throws(HostError) -> Value
    /// `x[a:b]`
    func slice(start: Value?, end: Value?) throws(HostError) -> Value
    /// `x op y` with this object on the left (`isLeft`) or right; nil when not supported.
    func binary(_ op: BinaryOperator, _ other: Value, isLeft: Bool) throws(HostError) -> Value?
    /// `-x`
    func negated() throws(HostError) -> Value
    /// `x(a, b)` (a model applied to a batch).
    func call(_ arguments: [Value]) throws(HostError) -> Value
}

extension HostObject {
    public func display() -> [DisplayValue] { [.text(summary)] }
    public func show() -> [DisplayValue] { display() }
    public var memberNames: [String] { [] }
    public func member(_ name: String) throws(HostError) -> Value {
        let suggestion = Suggestions.closest(to: name, in: memberNames)
        throw HostError("\(typeName) has no member '\(name)'",
                        hint: suggestion.map { "did you mean '\($0)'?" } ?? (memberNames.isEmpty ? nil : "members: \(memberNames.joined(separator: ", "))"))
    }
    public func index(_ index: Value) throws(HostError) -> Value { throw HostError("a \(typeName) cannot be indexed") }
    public func slice(start: Value?, end: Value?) throws(HostError) -> Value { throw HostError("a \(typeName) cannot be sliced") }
    public func binary(_ op: BinaryOperator, _ other: Value, isLeft: Bool) throws(HostError) -> Value? { nil }
    public func negated() throws(HostError) -> Value { throw HostError("a \(typeName) cannot be negated") }
    public func call(_ arguments: [Value]) throws(HostError) -> Value { throw HostError("a \(typeName) cannot be called") }
}

/// A problem inside a host object or builtin; the interpreter adds the source location.
/// `argument` names the argument at fault, so the caret can point at it.
public struct HostError: Error, Sendable {
    public var message: String
    public var hint: String?
    /// The parameter name (or 0-based position as a string) the problem is about, if any.
    public var argument: String?
    /// A 0-based position inside a list-like argument the problem is about (e.g. a layer of `sequential`).
    public var element: Int?

    /// Creates an error.
    public init(_ message: String, hint: String? = nil, argument: String? = nil, element: Int? = nil) {
        self.message = message
        self.hint = hint
        self.argument = argument
        self.element = element
    }
}
