/// A scope of variables: the session's globals (slots indexed by `Name.id`), or one call of a
/// user function (slots numbered by the resolver, parameters first). A function's scope has the
/// globals as its parent; names the resolver did not make local are read from there. A call's
/// scope is reused by a later call of the same size once it returns (`Interpreter.makeFrame`).
///
/// A call's locals are one small array. The globals live in pages of 256 slots, made when first
/// written: names are numbered process-wide, so a session that uses name 50,000 stores one page,
/// not 50,000 empty slots.
public final class Environment {
    private static let pageBits = 8
    private static let pageMask = (1 << pageBits) - 1
    /// A function call's variables, by slot.
    var locals: ContiguousArray<Value?>
    /// The globals, page by page; an empty page has no variables yet.
    private var pages: ContiguousArray<ContiguousArray<Value?>> = []
    /// The enclosing scope (the globals, for a function call); nil for the globals themselves.
    public let parent: Environment?

    /// A function call's scope with `count` local slots, or (with no parent) the globals.
    init(slotCount count: Int, parent: Environment?) {
        self.parent = parent
        locals = ContiguousArray(repeating: nil, count: count)
    }

    /// A global variable by name id, or nil when it was never assigned.
    @inline(__always) subscript(slot: Int) -> Value? {
        get {
            let page = slot >> Self.pageBits, index = slot & Self.pageMask
            guard page < pages.count, index < pages[page].count else { return nil }
            return pages[page][index]
        }
        set {
            let page = slot >> Self.pageBits, index = slot & Self.pageMask
            if page < pages.count, index < pages[page].count {
                pages[page][index] = newValue
                return
            }
            grow(toHold: page, index)
            pages[page][index] = newValue
        }
    }

    private func grow(toHold page: Int, _ index: Int) {
        if page >= pages.count { pages.append(contentsOf: repeatElement([], count: page + 1 - pages.count)) }
        let needed = index + 1 - pages[page].count
        if needed > 0 { pages[page].append(contentsOf: repeatElement(nil, count: max(needed, min(16, Self.pageMask + 1 - pages[page].count)))) }
    }

    /// The global in a slot, or nil.
    @inline(__always) func value(at slot: Int) -> Value? { self[slot] }

    /// Stores a global (nil forgets it).
    @inline(__always) func set(_ value: Value?, at slot: Int) { self[slot] = value }

    /// Forgets every global.
    func removeAll() { pages = [] }

    /// Every assigned global slot and its value.
    var assigned: [(slot: Int, value: Value)] {
        pages.enumerated().flatMap { page, values in
            values.enumerated().compactMap { index, value in value.map { ((page << Self.pageBits) + index, $0) } }
        }
    }
}

extension Environment {
    /// The global variables by name (for `:vars`, completion and `explain`).
    var globalVariables: [String: Value] {
        Dictionary(assigned.map { (SymbolTable.shared.name(of: $0.slot), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
