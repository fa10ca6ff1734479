import Diagnostics

extension Interpreter {
    /// Stores `value` in `target`. Unpacking checks the count before storing anything, so a
    /// failed assignment changes nothing. `iterating` names the loop's iterable in messages.
    func assign(_ value: Value, to target: Target, iterating: Expression? = nil) throws(Diagnostic) {
        switch target.kind {
        case .local(let slot, _): frame.locals[slot] = value
        case .name(let name):
            if globals[name.id] != nil { globals[name.id] = value } else { setGlobal(name, value, at: target.span) }
            assignedAt[name.id] = target.span
        case .tuple(let targets):
            let items = try unpack(value, into: targets, at: target.span, iterating: iterating)
            for (item, inner) in zip(items, targets) { try assign(item, to: inner, iterating: iterating) }
        case .subscripts(let baseExpression, let itemExpressions):
            try setSubscripts(of: try evaluate(baseExpression), try evaluate(itemExpressions), to: value, at: target.span)
        case .member(let baseExpression, let name, let nameSpan):
            try setMember(name, of: try evaluate(baseExpression), to: value, nameSpan: nameSpan, at: target.span)
        }
    }

    /// `base[items] = value` with base and items already evaluated (so `xs[f()] += 1` calls f once).
    private func setSubscripts(of base: Value, _ items: [SubscriptValue], to value: Value, at span: SourceSpan) throws(Diagnostic) {
        if case .object(let object) = base {
            try hostCall(span: span, what: "\(object.typeName)[…] =") { try object.setSubscripts(items, to: value, at: span) }
            return
        }
        guard items.count == 1, case .index(let index) = items[0] else {
            throw Diagnostic("a \(base.typeName) item is assigned one index at a time, as xs[i] = value", at: span,
                             hint: "for a list of lists write xs[0][1] = value")
        }
        try setItem(of: base, at: index, to: value, span: span)
    }

    /// `base.name = value` with base already evaluated.
    func setMember(_ name: String, of base: Value, to value: Value, nameSpan: SourceSpan, at span: SourceSpan) throws(Diagnostic) {
        guard case .object(let object) = base else {
            throw Diagnostic("a \(base.typeName) has no member '\(name)' to assign to", at: nameSpan)
        }
        try hostCall(span: span, what: "\(object.typeName).\(name)") { try object.setMember(name, to: value) }
    }

    /// A global assignment; giving a builtin's name a new meaning is allowed, with a warning the
    /// first time (DESIGN.md §3a), so a later `sum(x)` that fails is explained.
    func setGlobal(_ name: Name, _ value: Value, at span: SourceSpan) {
        if globals.value(at: name.id) == nil, registry.functions[name.text] != nil || registry.values[name.text] != nil {
            warnings.append(Diagnostic(
                "'\(name)' was a builtin; from now on it names your \(value.typeName)", at: span, severity: .warning,
                hint: "del \(name) brings the builtin back; or choose another name, e.g. my_\(name)"))
        }
        globals.set(value, at: name.id)
    }

    private func unpack(_ value: Value, into targets: [Target], at span: SourceSpan, iterating: Expression?) throws(Diagnostic) -> [Value] {
        let names = targets.map(\.span.text).joined(separator: ", ")
        let source = iterating.map { "each item of \($0.span.text) is" } ?? "the value is"
        guard let items = value.items else {
            throw Diagnostic("\(source) a \(value.typeName), which cannot be unpacked into \(targets.count) names (\(names))", at: span,
                             hint: iterating == nil ? "the right side needs \(targets.count) values, e.g. a tuple (a, b)" : "loop with one name: for item in …")
        }
        guard items.count == targets.count else {
            throw Diagnostic("\(source) a \(value.typeName) of \(items.count) item\(items.count == 1 ? "" : "s"), but there are \(targets.count) names (\(names))",
                             at: span, hint: "use as many names as there are items")
        }
        return items
    }

    /// `xs[i] = value` on a list.
    private func setItem(of base: Value, at index: Value, to value: Value, span: SourceSpan) throws(Diagnostic) {
        guard case .list(let list) = base else {
            throw Diagnostic("the items of a \(base.typeName) cannot be assigned to", at: span,
                             hint: base.typeName == "tuple" ? "a tuple cannot change; use a list [ ]" : "only list items can be assigned (xs[i] = value)")
        }
        guard case .number(let number) = index, number == number.rounded(), abs(number) < 1e15 else {
            throw Diagnostic("a list index must be a whole number, got \(index.typeName) \(index.quotedDescription)", at: span)
        }
        let count = list.items.count, position = Int(number) < 0 ? Int(number) + count : Int(number)
        guard (0..<count).contains(position) else {
            throw Diagnostic("index \(Int(number)) is out of range for a list of \(count) item\(count == 1 ? "" : "s")", at: span,
                             hint: count == 0 ? "it is empty; add items with append" : "valid indices are \(-count) to \(count - 1)")
        }
        list.items[position] = value
    }

    /// `target op= value`. A tensor changes in place (`w -= lr * w.grad` updates the weight every
    /// model holding it sees); a list's `+=` extends it; anything else is rebound to `target op value`.
    func update(_ target: Target, _ op: BinaryOperator, with value: Value, at span: SourceSpan) throws(Diagnostic) {
        let current: Value
        switch target.kind {
        case .local(let slot, let name):
            current = try localValue(slot, name, at: target.span)
            if case .number(let a) = current, case .number(let b) = value {
                frame.locals[slot] = try binary(op, .number(a), .number(b), at: span)
                return
            }
        case .name(let name):
            current = try lookup(name, at: target.span)
            if case .number(let a) = current, case .number(let b) = value {
                globals[name.id] = try binary(op, .number(a), .number(b), at: span)
                return
            }
        case .subscripts(let baseExpression, let itemExpressions):
            // The base and the index are evaluated once, as Python does: `xs[f()] += 1` calls f once.
            let base = try evaluate(baseExpression), items = try evaluate(itemExpressions)
            current = try subscriptValue(base, items, at: target.span)
            if case .object(let object) = base {  // x[0, 1] of a tensor is a copy: compute, then write it back
                let updated = try binary(op, current, value, at: span)
                try hostCall(span: span, what: "\(object.typeName)[…] \(op.rawValue)=") { try object.setSubscripts(items, to: updated, at: span) }
                return
            }
            if try updateInPlace(current, op, value, at: span) { return }
            try setSubscripts(of: base, items, to: try binary(op, current, value, at: span), at: target.span)
            return
        case .member(let baseExpression, let name, let nameSpan):
            let base = try evaluate(baseExpression)
            current = try member(base, name, at: nameSpan)
            if try updateInPlace(current, op, value, at: span) { return }
            try setMember(name, of: base, to: try binary(op, current, value, at: span), nameSpan: nameSpan, at: target.span)
            return
        case .tuple: throw Diagnostic("\(op.rawValue)= needs one target", at: target.span)
        }
        if try updateInPlace(current, op, value, at: span) { return }
        try assign(try binary(op, current, value, at: span), to: target)
    }

    /// `current op= value` in place: a host object's own update (a tensor), or a list's `+=`.
    private func updateInPlace(_ current: Value, _ op: BinaryOperator, _ value: Value, at span: SourceSpan) throws(Diagnostic) -> Bool {
        if case .object(let object) = current,
           try hostCall(span: span, what: "\(op.rawValue)=", { try object.updateInPlace(op, value, at: span) }) {
            return true
        }
        if case .list(let list) = current, op == .add, let items = value.items {
            try checkSize(list.items.count + items.count, of: "list", at: span)
            list.items += items
            return true
        }
        return false
    }
}
