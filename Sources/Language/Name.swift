import Synchronization

/// A name as written in the source, interned: every occurrence of the same text shares one
/// `id`, so the interpreter keeps variables in arrays indexed by id rather than in dictionaries.
/// A `Name` is just the id, so copying one costs nothing; its text is looked up when a message
/// or the registry needs it.
public struct Name: Sendable, Hashable, CustomStringConvertible {
    /// Its number in the process-wide symbol table.
    public let id: Int

    /// The interned name for `text`.
    public init(_ text: String) {
        id = SymbolTable.shared.id(for: text)
    }

    /// The name as typed.
    public var text: String { SymbolTable.shared.name(of: id) }
    public var description: String { text }
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
