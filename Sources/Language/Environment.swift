/// A scope of variables: the session's globals (slots indexed by `Name.id`), or one call of a
/// user function (slots numbered by the resolver). A function's scope has the globals as its
/// parent; names the resolver did not make local are read from there.
public final class Environment {
    /// The variables of this scope; nil is "not assigned yet".
    var slots: ContiguousArray<Value?>
    /// The enclosing scope (the globals, for a function call); nil for the globals themselves.
    public let parent: Environment?

    /// A scope with `count` unassigned slots.
    init(slotCount count: Int, parent: Environment?) {
        slots = ContiguousArray(repeating: nil, count: count)
        self.parent = parent
    }

    /// The value in a slot, or nil.
    @inline(__always) func value(at slot: Int) -> Value? {
        slot < slots.count ? slots[slot] : nil
    }

    /// Stores a value, growing the slots of the global scope as new names appear.
    @inline(__always) func set(_ value: Value?, at slot: Int) {
        if slot >= slots.count { slots.append(contentsOf: repeatElement(nil, count: slot + 1 - slots.count)) }
        slots[slot] = value
    }

    /// Forgets every variable.
    func removeAll() {
        for index in slots.indices { slots[index] = nil }
    }
}

extension Environment {
    /// The global variables by name (for `:vars`, completion and `explain`).
    var globalVariables: [String: Value] {
        var result: [String: Value] = [:]
        for (id, value) in slots.enumerated() {
            if let value { result[SymbolTable.shared.name(of: id)] = value }
        }
        return result
    }
}
