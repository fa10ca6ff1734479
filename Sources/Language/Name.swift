import Synchronization

/// A name as written in the source, interned: every occurrence of the same text shares one
/// `id`, so the interpreter keeps variables in arrays indexed by id rather than in dictionaries.
public struct Name: Sendable, Hashable, CustomStringConvertible {
    /// The name as typed.
    public let text: String
    /// Its number in the process-wide symbol table.
    public let id: Int

    /// The interned name for `text`.
    public init(_ text: String) {
        self.text = text
        id = SymbolTable.shared.id(for: text)
    }

    public var description: String { text }
    public static func == (a: Name, b: Name) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// The process-wide table of interned names. Parsing is the only writer; ids never change, so
/// several interpreters (and parallel tests) can share it.
final class SymbolTable: Sendable {
    static let shared = SymbolTable()
    private let table = Mutex<(ids: [String: Int], names: [String])>(([:], []))

    /// The id of `text`, assigned on first sight.
    func id(for text: String) -> Int {
        table.withLock { table in
            if let id = table.ids[text] { return id }
            table.names.append(text)
            table.ids[text] = table.names.count - 1
            return table.names.count - 1
        }
    }

    /// The text of an id.
    func name(of id: Int) -> String { table.withLock { $0.names[id] } }
}
