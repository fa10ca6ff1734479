import Diagnostics
import Display

/// A dictionary, `{"lr": 0.01, "epochs": 5}`: keys are numbers, strings, bools, none or tuples
/// of them, kept in the order first inserted, as Python's `dict`. Shared like a list.
public final class DictionaryObject: HostObject, @unchecked Sendable {
    private var keys: [DictionaryKey] = []
    private var values: [DictionaryKey: Value] = [:]

    /// A dictionary of these pairs; a repeated key keeps its first place and its last value.
    init(_ pairs: [(key: DictionaryKey, value: Value)]) {
        for pair in pairs { store(pair.value, at: pair.key) }
    }

    /// A dictionary of (key, value) tuples or lists (`dict(pairs)`, `{k: v for …}`).
    convenience init(pairs: [Value]) throws(HostError) {
        var entries: [(key: DictionaryKey, value: Value)] = []
        for (index, pair) in pairs.enumerated() {
            guard let items = pair.items, items.count == 2 else {
                throw HostError("dict: item \(index) is \(pair.quotedDescription), not a (key, value) pair")
            }
            guard let key = DictionaryKey(items[0]) else {
                throw HostError("a \(items[0].typeName) cannot be a dictionary key", hint: "keys are numbers, strings, bools or tuples of them")
            }
            entries.append((key, items[1]))
        }
        self.init(entries)
    }

    /// The entries in order.
    public var entries: [(key: Value, value: Value)] { keys.map { ($0.value, values[$0]!) } }

    private func store(_ value: Value, at key: DictionaryKey) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }

    public var typeName: String { "dict" }
    public var summary: String {
        "{" + entries.map { "\($0.key.quotedDescription): \($0.value.quotedDescription)" }.joined(separator: ", ") + "}"
    }
    public var length: Int? { keys.count }
    public func truthValue() throws(HostError) -> Bool { !keys.isEmpty }
    /// `for key in d:` walks the keys, as in Python.
    public func makeIterator() throws(HostError) -> (any ValueIterator)? { ArrayIterator(keys.map(\.value)) }

    /// Whether `key` is in the dictionary (`key in d`).
    public func contains(_ key: Value) -> Bool {
        DictionaryKey(key).map { values[$0] != nil } ?? false
    }

    public func index(_ index: Value) throws(HostError) -> Value {
        let key = try Self.key(index)
        guard let value = values[key] else {
            let known = keys.prefix(8).map(\.value.quotedDescription).joined(separator: ", ")
            throw HostError("the key \(index.quotedDescription) is not in the dictionary",
                            hint: keys.isEmpty ? "it is empty" : "its keys: \(known)\(keys.count > 8 ? ", …" : ""); d.get(key, default) gives a default instead")
        }
        return value
    }

    public func subscripts(_ items: [SubscriptValue]) throws(HostError) -> Value {
        guard items.count == 1, case .index(let index) = items[0] else { throw HostError("a dict takes one key between [ ]") }
        return try self.index(index)
    }

    public func setSubscripts(_ items: [SubscriptValue], to value: Value, at span: SourceSpan) throws(HostError) {
        guard items.count == 1, case .index(let index) = items[0] else { throw HostError("a dict takes one key between [ ]") }
        store(value, at: try Self.key(index))
    }

    public var memberNames: [String] { Self.methods.keys.sorted() }
    public func method(named name: String) -> HostMethod? { Self.methods[name] }

    private static let methods: [String: HostMethod] = [
        HostMethod("items", on: DictionaryObject.self, documentation: "(key, value) for every entry, in order.") { object, _ in
            .makeList(object.entries.map { .tuple([$0.key, $0.value]) })
        },
        HostMethod("keys", on: DictionaryObject.self, documentation: "The keys, in order.") { object, _ in .makeList(object.entries.map(\.key)) },
        HostMethod("values", on: DictionaryObject.self, documentation: "The values, in order.") { object, _ in .makeList(object.entries.map(\.value)) },
        HostMethod("get", on: DictionaryObject.self, parameters: [.init("key"), .init("default", default: Value.none)],
                   documentation: "The value of key, or default when it is missing.") { object, arguments in
            let key = try DictionaryObject.key(arguments.value("key")!)
            return object.values[key] ?? arguments.value("default")!
        },
        HostMethod("pop", on: DictionaryObject.self, parameters: [.init("key")], documentation: "Removes key and gives its value.") { object, arguments in
            let value = try object.index(arguments.value("key")!)
            let key = try DictionaryObject.key(arguments.value("key")!)
            object.values[key] = nil
            object.keys.removeAll { $0 == key }
            return value
        },
    ].byName

    static func key(_ value: Value) throws(HostError) -> DictionaryKey {
        guard let key = DictionaryKey(value) else {
            throw HostError("a \(value.typeName) cannot be a dictionary key", hint: "keys are numbers, strings, bools or tuples of them")
        }
        return key
    }
}

/// A value that can be a key: the immutable ones.
struct DictionaryKey: Hashable {
    private enum Kind: Hashable {
        case number(Double), string(String), bool(Bool), none
        indirect case tuple([Kind])
    }

    private let kind: Kind
    /// The key as a value again.
    let value: Value

    init?(_ value: Value) {
        func kind(of value: Value) -> Kind? {
            switch value {
            case .number(let number): return .number(number)
            case .string(let text): return .string(text)
            case .bool(let flag): return .bool(flag)
            case .none: return Kind.none
            case .tuple(let tuple):
                var items: [Kind] = []
                for item in tuple.items {
                    guard let inner = kind(of: item) else { return nil }
                    items.append(inner)
                }
                return .tuple(items)
            default: return nil
            }
        }
        guard let kind = kind(of: value) else { return nil }
        self.kind = kind
        self.value = value
    }

    static func == (a: DictionaryKey, b: DictionaryKey) -> Bool { a.kind == b.kind }
    func hash(into hasher: inout Hasher) { hasher.combine(kind) }
}

extension Interpreter {
    /// `{key: value, …}`, keys and values evaluated left to right.
    func dictionary(_ pairs: [(key: Expression, value: Expression)], at span: SourceSpan) throws(Diagnostic) -> Value {
        var entries: [(key: DictionaryKey, value: Value)] = []
        for pair in pairs {
            let key = try evaluate(pair.key)
            guard let hashable = DictionaryKey(key) else {
                throw Diagnostic("a \(key.typeName) cannot be a dictionary key", at: pair.key.span, hint: "keys are numbers, strings, bools or tuples of them")
            }
            entries.append((hashable, try evaluate(pair.value)))
        }
        return .object(DictionaryObject(entries))
    }
}
