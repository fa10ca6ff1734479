import Diagnostics
import Display

/// A value of the language. Engine objects (tensors, models, datasets, histories) are opaque
/// `HostObject`s: the language knows no tensors.
public enum Value: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    /// A list is shared, as in Python: `b = a` then `b.append(1)` changes `a` too.
    case list(ValueList)
    case tuple([Value])
    case function(Callable)
    case object(any HostObject)

    /// A new list holding `items`.
    public static func makeList(_ items: [Value]) -> Value { .list(ValueList(items)) }

    /// The items of a list or tuple; nil for anything else.
    public var items: [Value]? {
        switch self {
        case .list(let list): list.items
        case .tuple(let items): items
        default: nil
        }
    }

    /// The kind of value, as messages name it: "number", "string", "tensor", "model", ….
    public var typeName: String {
        switch self {
        case .number: "number"
        case .string: "string"
        case .bool: "bool"
        case .none: "none"
        case .list: "list"
        case .tuple: "tuple"
        case .function(let function): function.signature.kind == .layer ? "layer builder" : "function"
        case .object(let object): object.typeName
        }
    }

    /// How the value reads inside other values and in `print`: 3, 0.5, "text", [1, 2], (a, b).
    public var shortDescription: String { describe(quoted: false, depth: 0) }

    /// Like `shortDescription`, but strings keep their quotes (inside lists, as the REPL shows them).
    public var quotedDescription: String { describe(quoted: true, depth: 0) }

    /// Lists nest at most this deep in a description (a list can contain itself).
    private static let describedDepth = 20

    private func describe(quoted: Bool, depth: Int) -> String {
        switch self {
        case .number(let value): return Self.format(value)
        case .string(let text): return quoted ? "\"\(text)\"" : text
        case .bool(let value): return value ? "true" : "false"
        case .none: return "none"
        case .list(let list):
            guard depth < Self.describedDepth else { return "[...]" }
            return "[" + list.items.map { $0.describe(quoted: true, depth: depth + 1) }.joined(separator: ", ") + "]"
        case .tuple(let items):
            guard depth < Self.describedDepth else { return "(...)" }
            return "(" + items.map { $0.describe(quoted: true, depth: depth + 1) }.joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
        case .function(let function): return "<\(function.signature.kind.rawValue) \(function.signature.name)>"
        case .object(let object): return object.summary
        }
    }

    /// What a bare expression statement shows.
    public var displayed: [DisplayValue] {
        switch self {
        case .none: []
        case .object(let object): object.display()
        case .function(let function): [.text(function.signature.helpText)]
        default: [.text(quotedDescription)]
        }
    }

    /// Whole numbers without a decimal point (3, not 3.0) while a double holds them exactly
    /// (up to 2⁵³); others in the shortest exact form.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == value.rounded(), abs(value) <= 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }
}

/// The storage of a list: a reference, so that every name bound to the list sees `append`.
/// The interpreter runs on one thread; the list is never shared across threads.
public final class ValueList: @unchecked Sendable {
    /// The items, in order.
    public var items: [Value]

    /// A list of `items`.
    public init(_ items: [Value] = []) {
        self.items = items
    }

    /// Frees nested lists and tuples one at a time instead of recursively: `x = [x]` run 50,000
    /// times makes a list whose recursive release would overflow the stack.
    deinit {
        guard items.contains(where: \.holdsItems) else { return }
        var lists: [ValueList] = []
        Self.moveLists(outOf: &items, into: &lists)
        while var list = lists.popLast() {
            if isKnownUniquelyReferenced(&list) { Self.moveLists(outOf: &list.items, into: &lists) }
        }
    }

    /// Empties `items`, keeping the lists found in them and in their tuples (at any depth).
    private static func moveLists(outOf items: inout [Value], into lists: inout [ValueList]) {
        var values: [Value] = []
        swap(&values, &items)
        while let value = values.popLast() {
            switch value {
            case .list(let list): lists.append(list)
            case .tuple(let members): values += members
            default: break
            }
        }
    }
}

extension Value {
    /// Whether freeing this value may free further values it holds (a list or a tuple).
    var holdsItems: Bool {
        switch self {
        case .list, .tuple: true
        default: false
        }
    }
}

extension Value {
    /// Structural equality (objects and functions by identity), as `==` in the language.
    public static func equal(_ a: Value, _ b: Value) -> Bool { equal(a, b, depth: 0) }

    private static func equal(_ a: Value, _ b: Value, depth: Int) -> Bool {
        guard depth < 100 else { return false }
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        case (.list(let x), .list(let y)):
            return x === y || (x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { equal($0, $1, depth: depth + 1) })
        case (.tuple(let x), .tuple(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1, depth: depth + 1) }
        case (.function(let x), .function(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        default: return false
        }
    }
}
