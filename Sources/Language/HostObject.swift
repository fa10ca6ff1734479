import Diagnostics
import Display

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
    /// Names valid after a dot (properties and methods), for completion and "did you mean".
    var memberNames: [String] { get }
    /// `x.name` for a property (methods are found by `method(named:)`).
    func member(_ name: String) throws(HostError) -> Value
    /// The method `name`, from a table made once per type: `x.name(…)` calls it without
    /// allocating a function value.
    func method(named name: String) -> HostMethod?
    /// `x.name = value`
    func setMember(_ name: String, to value: Value) throws(HostError)
    /// `x[i]`
    func index(_ index: Value) throws(HostError) -> Value
    /// `x[a:b]`
    func slice(start: Value?, end: Value?) throws(HostError) -> Value
    /// `x[i, j]`, `x[:, 1]`, `x[::2]`: the general form; by default only `x[i]` and `x[a:b]`.
    func subscripts(_ items: [SubscriptValue]) throws(HostError) -> Value
    /// `x[…] = value`, writing into the object; `span` is the statement making the change.
    func setSubscripts(_ items: [SubscriptValue], to value: Value, at span: SourceSpan) throws(HostError)
    /// `x op y` with this object on the left (`isLeft`) or right; nil when not supported.
    func binary(_ op: BinaryOperator, _ other: Value, isLeft: Bool) throws(HostError) -> Value?
    /// `x op= y` changing this object in place (a tensor's `w -= lr * w.grad`); false when the
    /// object has no in-place form, and the name is then rebound to `x op y`.
    /// `span` is the statement making the change.
    func updateInPlace(_ op: BinaryOperator, _ other: Value, at span: SourceSpan) throws(HostError) -> Bool
    /// `-x`
    func negated() throws(HostError) -> Value
    /// What `x(…)` takes; nil when the object cannot be called.
    var callSignature: Signature? { get }
    /// `x(a, b)` (a model applied to a batch), with arguments bound to `callSignature`.
    func call(_ arguments: Arguments) throws(HostError) -> Value
    /// The items of `for item in x`; nil when the object cannot be iterated.
    func makeIterator() throws(HostError) -> (any ValueIterator)?
    /// `len(x)`; nil when it has no length.
    var length: Int? { get }
    /// The truth value in `if x:` and `while x:`.
    func truthValue() throws(HostError) -> Bool
    /// The object as one number, when it is one (a one-element tensor): f-strings format it.
    var numberValue: Double? { get }
    /// The text of `f"{x}"` without a format, when it is not the printed form: a 0-d tensor gives
    /// its number, as PyTorch's `Tensor.__format__` (`{x=}` keeps the printed form). Nil: printed.
    var plainFormatted: String? { get }
}

extension HostObject {
    public func display() -> [DisplayValue] { [.text(summary)] }
    public func show() -> [DisplayValue] { display() }
    public var memberNames: [String] { [] }
    public func member(_ name: String) throws(HostError) -> Value {
        throw HostError("\(typeName) has no member '\(name)'", hint: memberHint(for: name))
    }
    public func method(named name: String) -> HostMethod? { nil }
    public func setMember(_ name: String, to value: Value) throws(HostError) {
        throw HostError("\(typeName).\(name) cannot be assigned to", hint: memberNames.contains(name) ? "it can only be read" : memberHint(for: name))
    }
    public func index(_ index: Value) throws(HostError) -> Value { throw HostError("a \(typeName) cannot be indexed") }
    public func slice(start: Value?, end: Value?) throws(HostError) -> Value { throw HostError("a \(typeName) cannot be sliced") }
    public func subscripts(_ items: [SubscriptValue]) throws(HostError) -> Value {
        switch items.count == 1 ? items[0] : nil {
        case .index(let value): return try index(value)
        case .slice(let start, let end, nil): return try slice(start: start, end: end)
        case .slice: throw HostError("a \(typeName) cannot be sliced with a step", hint: "use start:end")
        case nil: throw HostError("a \(typeName) takes one index, got \(items.count)", hint: "x[0][1] indexes twice")
        }
    }
    public func setSubscripts(_ items: [SubscriptValue], to value: Value, at span: SourceSpan) throws(HostError) {
        throw HostError("the items of a \(typeName) cannot be assigned to")
    }
    public func binary(_ op: BinaryOperator, _ other: Value, isLeft: Bool) throws(HostError) -> Value? { nil }
    public func updateInPlace(_ op: BinaryOperator, _ other: Value, at span: SourceSpan) throws(HostError) -> Bool { false }
    public func negated() throws(HostError) -> Value { throw HostError("a \(typeName) cannot be negated") }
    public var callSignature: Signature? { nil }
    public func call(_ arguments: Arguments) throws(HostError) -> Value { throw HostError("a \(typeName) cannot be called") }
    public func makeIterator() throws(HostError) -> (any ValueIterator)? { nil }
    public var length: Int? { nil }
    public func truthValue() throws(HostError) -> Bool { true }
    public var numberValue: Double? { nil }
    public var plainFormatted: String? { nil }

    /// "did you mean …?" among the members, or the list of members.
    public func memberHint(for name: String) -> String? {
        if let suggestion = Suggestions.closest(to: name, in: memberNames) { return "did you mean '\(suggestion)'?" }
        return memberNames.isEmpty ? nil : "members: \(memberNames.joined(separator: ", "))"
    }
}

/// A method of a host type: its signature and an implementation that receives the object.
/// Each type keeps its methods in a table made once, so calls allocate no function values.
public struct HostMethod: Sendable {
    public let signature: Signature
    let implementation: @Sendable (any HostObject, Arguments) throws -> Value

    /// A method of objects of type `T`.
    public init<T: HostObject>(_ name: String, on type: T.Type, parameters: [Signature.Parameter] = [], variadic: String? = nil,
                               documentation: String, _ body: @escaping @Sendable (T, Arguments) throws -> Value) {
        signature = Signature(name, parameters: parameters, variadic: variadic, documentation: documentation)
        implementation = { object, arguments in try body(object as! T, arguments) }  // the table belongs to T
    }
}

extension Array where Element == HostMethod {
    /// The methods by name.
    public var byName: [String: HostMethod] { Dictionary(map { ($0.signature.name, $0) }, uniquingKeysWith: { first, _ in first }) }
}

/// Produces the items of a `for` loop one at a time.
public protocol ValueIterator: AnyObject {
    /// The next item, or nil at the end.
    func next() throws(HostError) -> Value?
}

/// A problem inside a host object or builtin; the interpreter adds the source location.
/// `argument` names the argument at fault, so the caret can point at it.
public struct HostError: Error, Sendable {
    public var message: String
    public var hint: String?
    /// The parameter name (or "#N" for the Nth variadic argument) the problem is about, if any.
    public var argument: String?
    /// A 0-based position inside a list-like argument the problem is about (e.g. a layer of `sequential`).
    public var element: Int?
    /// More context, e.g. where a value was changed that the problem is about.
    public var notes: [Diagnostic.Note] = []

    /// Creates an error.
    public init(_ message: String, hint: String? = nil, argument: String? = nil, element: Int? = nil) {
        self.message = message
        self.hint = hint
        self.argument = argument
        self.element = element
    }
}

/// One evaluated item of `x[…]`: an index, or a slice whose missing parts are nil.
public enum SubscriptValue: Sendable {
    case index(Value)
    case slice(start: Value?, end: Value?, step: Value?)
}
