import Foundation

/// A set, `set("hello")`: unique hashable items (numbers, strings, bools, none, tuples of them)
/// kept in the order first added, so that printing and iteration are repeatable (Python's order
/// is by hash; `sorted(set(…))` gives the same list in both).
public final class SetObject: HostObject, @unchecked Sendable {
    private var order: [DictionaryKey] = []
    private var members: Set<DictionaryKey> = []

    /// A set of these items; an item that cannot be a member is an error naming it.
    init(_ items: [Value]) throws(HostError) {
        for item in items { try add(item) }
    }

    private func add(_ item: Value) throws(HostError) {
        guard let key = DictionaryKey(item) else {
            throw HostError("a \(item.typeName) cannot be in a set", hint: "set members are numbers, strings, bools or tuples of them")
        }
        if members.insert(key).inserted { order.append(key) }
    }

    public var typeName: String { "set" }
    public var summary: String { order.isEmpty ? "set()" : "{" + order.map(\.value.quotedDescription).joined(separator: ", ") + "}" }
    public var length: Int? { order.count }
    public func truthValue() throws(HostError) -> Bool { !order.isEmpty }
    public func makeIterator() throws(HostError) -> (any ValueIterator)? { ArrayIterator(order.map(\.value)) }

    /// Whether `item` is a member (`item in s`).
    public func contains(_ item: Value) -> Bool { DictionaryKey(item).map { members.contains($0) } ?? false }

    public var memberNames: [String] { Self.methods.keys.sorted() }
    public func method(named name: String) -> HostMethod? { Self.methods[name] }

    private static let methods: [String: HostMethod] = [
        HostMethod("add", on: SetObject.self, parameters: [.init("item")], documentation: "Adds an item (nothing happens if it is there).") { object, arguments in
            try object.add(arguments.value("item")!)
            return .none
        },
    ].byName
}

/// A file opened for reading with `open(path)`: `f.read()` is its text, `f.readlines()` its lines.
final class TextFileObject: HostObject, @unchecked Sendable {
    let path: String
    let text: String

    /// Reads the whole file as UTF-8 now, so that an error points at the `open`.
    init(path: String) throws(HostError) {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw HostError("open: there is no file '\(path)' (looked from \(FileManager.default.currentDirectoryPath))",
                            hint: "give a path from the folder tensorbook runs in, or an absolute one", argument: "path")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw HostError("open: '\(path)' cannot be read as UTF-8 text", hint: "open reads text files", argument: "path")
        }
        self.text = text
    }

    var typeName: String { "file" }
    var summary: String { "file '\(path)' (\(text.utf8.count) bytes)" }
    var memberNames: [String] { Self.methods.keys.sorted() }
    func method(named name: String) -> HostMethod? { Self.methods[name] }
    func makeIterator() throws(HostError) -> (any ValueIterator)? { ArrayIterator(Self.lines(of: text, keepingEnds: true)) }

    private static let methods: [String: HostMethod] = [
        HostMethod("read", on: TextFileObject.self, documentation: "The whole text.") { object, _ in .string(object.text) },
        HostMethod("readlines", on: TextFileObject.self, documentation: "The lines, each with its line end.") { object, _ in
            .makeList(lines(of: object.text, keepingEnds: true))
        },
        HostMethod("close", on: TextFileObject.self, documentation: "Nothing to do: the file was read when opened.") { _, _ in .none },
    ].byName

    /// The lines of a text as Python's splitlines/readlines cut them (\n, \r\n or \r).
    static func lines(of text: String, keepingEnds: Bool) -> [Value] {
        var lines: [Value] = []
        var current = ""
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            if scalar == "\n" || scalar == "\r" {
                var end = String(scalar)
                if scalar == "\r", pending == "\n" { end += "\n"; pending = iterator.next() }
                lines.append(.string(keepingEnds ? current + end : current))
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(.string(current)) }
        return lines
    }
}
