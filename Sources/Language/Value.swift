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
    /// A tuple is immutable; it nests at most `ValueTuple.maximumDepth` tuples deep.
    case tuple(ValueTuple)
    case function(Callable)
    case object(any HostObject)

    /// A new list holding `items`.
    public static func makeList(_ items: [Value]) -> Value { .list(ValueList(items)) }

    /// A tuple of `items`.
    public static func tuple(_ items: [Value]) -> Value { .tuple(ValueTuple(items)) }

    /// The items of a list or tuple; nil for anything else.
    public var items: [Value]? {
        switch self {
        case .list(let list): list.items
        case .tuple(let tuple): tuple.items
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
    deinit { NestedRelease.release(&items) }
}

/// The items of a tuple, and how deep tuples nest in it. Arrays release their items
/// recursively, so a chain of tuples (`t = (t,)` 100,000 times) would overflow the stack when
/// freed: such a chain is refused past `maximumDepth` (CPython's RecursionError), while lists,
/// released by a work list, nest without limit and start the count again.
public struct ValueTuple: RandomAccessCollection, Sendable {
    /// The items, in order.
    public let items: [Value]
    /// 1 for a tuple holding no tuple, else one more than its deepest tuple item.
    public let depth: Int

    /// The deepest chain of tuples a value may hold.
    public static let maximumDepth = 1000

    /// A tuple of `items`.
    public init(_ items: [Value]) {
        self.items = items
        var deepest = 0
        for case .tuple(let inner) in items { deepest = Swift.max(deepest, inner.depth) }
        depth = deepest + 1
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { items.count }
    public subscript(position: Int) -> Value { items[position] }

    /// The error for a tuple nested past `maximumDepth`.
    public static let tooDeep = "tuples nest more than \(maximumDepth) deep here"
    /// Its hint.
    public static let tooDeepHint = "a tuple inside a tuple inside … is freed recursively; keep deep structures in lists"
}

/// Releasing nested lists and tuples with a work list, never recursively.
enum NestedRelease {
    /// Empties `items`; every list or tuple in them that nothing else holds is emptied in turn.
    static func release(_ items: inout [Value]) {
        guard items.contains(where: \.holdsItems) else { return }
        var lists: [ValueList] = []
        collect(&items, &lists)
        while var list = lists.popLast() {
            if isKnownUniquelyReferenced(&list) { collect(&list.items, &lists) }
        }
    }

    /// Moves the lists out of `items` and out of the tuples in it, at any depth (leaving it empty).
    private static func collect(_ items: inout [Value], _ lists: inout [ValueList]) {
        var values: [Value] = []
        swap(&values, &items)
        while let value = values.popLast() {
            switch value {
            case .list(let list): lists.append(list)
            case .tuple(let tuple): values += tuple.items
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
    /// Structural equality (objects and functions by identity), as `==` in the language. Walks
    /// nested lists and tuples with a work list, to any depth; a pair of lists met again while it is
    /// being compared counts as equal (so lists that contain themselves compare without end).
    public static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {  // the common cases, without the work list
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        case (.list, .list), (.tuple, .tuple): if let shallow = equalShallow(a, b) { return shallow }
        default: return equalLeaves(a, b)
        }
        var pending = [(a, b)]
        var comparedLists = Set<[ObjectIdentifier]>()
        while let (x, y) = pending.popLast() {
            switch (x, y) {
            case (.number(let x), .number(let y)): if x != y { return false }
            case (.string(let x), .string(let y)): if x != y { return false }
            case (.bool(let x), .bool(let y)): if x != y { return false }
            case (.none, .none): continue
            case (.list(let x), .list(let y)):
                if x === y || !comparedLists.insert([ObjectIdentifier(x), ObjectIdentifier(y)]).inserted { continue }
                guard x.items.count == y.items.count else { return false }
                pending += zip(x.items, y.items).reversed()
            case (.tuple(let x), .tuple(let y)):
                guard x.count == y.count else { return false }
                pending += zip(x.items, y.items).reversed()
            default: if !equalLeaves(x, y) { return false }
            }
        }
        return true
    }

    /// Equality of two lists or tuples whose items hold no items themselves (`(a, b) == (1, 2)`),
    /// without the work list; nil when an item is a list or tuple (the work list decides).
    private static func equalShallow(_ a: Value, _ b: Value) -> Bool? {
        let x: [Value], y: [Value]
        switch (a, b) {
        case (.tuple(let p), .tuple(let q)): (x, y) = (p.items, q.items)
        case (.list(let p), .list(let q)): if p === q { return true }; (x, y) = (p.items, q.items)
        default: return nil
        }
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) {
            switch (p, q) {
            case (.number(let p), .number(let q)): if p != q { return false }
            case (.string(let p), .string(let q)): if p != q { return false }
            case (.bool(let p), .bool(let q)): if p != q { return false }
            case (.none, .none): continue
            default: if p.holdsItems || q.holdsItems { return nil } else if !equalLeaves(p, q) { return false }
            }
        }
        return true
    }

    /// Python's `a is b`: lists, functions and objects are the same one; numbers, strings, bools,
    /// none and tuples (immutable, so identity cannot be told from equality) are equal.
    public static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)): x === y
        case (.number, .number), (.string, .string), (.bool, .bool), (.none, .none), (.tuple, .tuple): equal(a, b)
        default: equalLeaves(a, b)
        }
    }

    /// Equality of values that hold no items: functions and objects by identity.
    private static func equalLeaves(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.function(let x), .function(let y)): x === y
        case (.object(let x), .object(let y)): x === y
        default: false
        }
    }
}
