import Diagnostics

extension Interpreter {
    /// The value of an expression.
    public func evaluate(_ expression: Expression) throws(Diagnostic) -> Value {
        switch expression.kind {
        case .number(let value): return .number(value)
        case .string(let text): return .string(text)
        case .boolean(let value): return .bool(value)
        case .none: return .none
        case .identifier(let name): return try lookup(name, at: expression.span)
        case .local(let slot, let name):
            if let value = frame.locals[slot] { return value }
            return try localValue(slot, name, at: expression.span)
        case .list(let items): return .makeList(try evaluateAll(items))
        case .tuple(let items):
            let tuple = ValueTuple(try evaluateAll(items))
            guard tuple.depth <= ValueTuple.maximumDepth else {
                throw Diagnostic(ValueTuple.tooDeep, at: expression.span, hint: ValueTuple.tooDeepHint)
            }
            return .tuple(tuple)
        case .negate(let operand): return try negate(try evaluate(operand), at: expression.span)
        case .not(let operand): return .bool(!(try isTrue(try evaluate(operand), at: operand.span)))
        case .logical(let op, let left, let right):
            let first = try evaluate(left)
            let decided = try isTrue(first, at: left.span) == (op == .or)
            return decided ? first : try evaluate(right)
        case .comprehension(let element, let target, let source, let condition):
            return try comprehension(element, target, source, condition, at: expression.span)
        case .dictionary(let pairs): return try dictionary(pairs, at: expression.span)
        case .conditional(let chosen, let condition, let otherwise):
            return try evaluate(try isTrue(try evaluate(condition), at: condition.span) ? chosen : otherwise)
        case .binary(let op, let left, let right, _):
            return try binary(op, try evaluate(left), try evaluate(right), at: expression.span)
        case .call(let callee, let arguments): return try call(callee, arguments, at: expression.span)
        case .subscripts(let base, let items): return try subscriptValue(try evaluate(base), try evaluate(items), at: expression.span)
        case .member(let base, let name, let nameSpan):
            do { return try member(try evaluate(base), name, at: nameSpan) } catch {
                throw pointingAtTheAssignment(error, of: base, member: name)
            }
        case .formatString(let parts): return .string(try format(parts))
        case .command(let command): return try run(command)
        }
    }

    func evaluateAll(_ expressions: [Expression]) throws(Diagnostic) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(expressions.count)
        for expression in expressions { values.append(try evaluate(expression)) }
        return values
    }

    /// `x.name`: a property, or a method as a function value bound to `x`.
    func member(_ base: Value, _ name: String, at span: SourceSpan) throws(Diagnostic) -> Value {
        guard case .object(let object) = base else {
            throw Diagnostic("a \(base.typeName) has no member '\(name)'", at: span)
        }
        if let method = object.method(named: name) { return .function(Callable(method, boundTo: object)) }
        return try hostCall(span: span, what: "\(object.typeName).\(name)") { try object.member(name) }
    }

    /// A failed `w.grad` on a variable, with a note at the line that last assigned it (where
    /// `w = w - lr * w.grad` turned the weight into a computed result).
    private func pointingAtTheAssignment(_ error: Diagnostic, of base: Expression, member: String) -> Diagnostic {
        guard member == "grad", case .identifier(let name) = base.kind, let span = assignedAt[name.id], span.start != base.span.start || span.source.name != base.span.source.name else {
            return error
        }
        var pointed = error
        pointed.notes.append(Diagnostic.Note("'\(name)' was last assigned here", span: span))
        return pointed
    }

    /// A whole number used as a position, or an error naming what it indexes.
    private func position(_ index: Value, count: Int, in base: Value, at span: SourceSpan) throws(Diagnostic) -> Int {
        guard case .number(let number) = index, number == number.rounded(), abs(number) < 1e15 else {
            throw Diagnostic("a \(base.typeName) index must be a whole number, got \(index.typeName) \(index.quotedDescription)", at: span)
        }
        let position = Int(number) < 0 ? Int(number) + count : Int(number)
        guard (0..<count).contains(position) else {
            throw Diagnostic("index \(Int(number)) is out of range for a \(base.typeName) of \(count) item\(count == 1 ? "" : "s")",
                             at: span, hint: count == 0 ? "it is empty" : "valid indices are \(-count) to \(count - 1)")
        }
        return position
    }

    /// The items of `x[…]`, evaluated left to right.
    func evaluate(_ items: [SubscriptItem]) throws(Diagnostic) -> [SubscriptValue] {
        func optional(_ expression: Expression?) throws(Diagnostic) -> Value? {
            guard let expression else { return nil }
            return try evaluate(expression)
        }
        var values: [SubscriptValue] = []
        for item in items {
            switch item {
            case .index(let index): values.append(.index(try evaluate(index)))
            case .slice(let start, let end, let step): values.append(.slice(start: try optional(start), end: try optional(end), step: try optional(step)))
            }
        }
        return values
    }

    /// `base[items]`: host objects (tensors) take several items; lists, tuples and strings one.
    func subscriptValue(_ base: Value, _ items: [SubscriptValue], at span: SourceSpan) throws(Diagnostic) -> Value {
        if case .object(let object) = base {
            return try hostCall(span: span, what: "\(object.typeName)[…]") { try object.subscripts(items) }
        }
        guard items.count == 1 else {
            throw Diagnostic("a \(base.typeName) takes one index, got \(items.count)", at: span,
                             hint: "for a list of lists write xs[0][1]; a tensor takes several, as tensor(xs)[0, 1]")
        }
        switch items[0] {
        case .index(let index): return try item(of: base, at: index, span: span)
        case .slice(let start, let end, let step): return try sliceValue(base, start: start, end: end, step: step, at: span)
        }
    }

    private func item(of base: Value, at index: Value, span: SourceSpan) throws(Diagnostic) -> Value {
        switch base {
        case .list(let list): return list.items[try position(index, count: list.items.count, in: base, at: span)]
        case .tuple(let items): return items[try position(index, count: items.count, in: base, at: span)]
        case .string(let text):
            let characters = Array(text)
            return .string(String(characters[try position(index, count: characters.count, in: base, at: span)]))
        default:
            throw Diagnostic("a \(base.typeName) cannot be indexed", at: span)
        }
    }

    private func sliceValue(_ base: Value, start: Value?, end: Value?, step: Value?, at span: SourceSpan) throws(Diagnostic) -> Value {
        func positions(count: Int) throws(Diagnostic) -> [Int] {
            func whole(_ value: Value?) throws(Diagnostic) -> Int? {
                guard let value, !isNone(value) else { return nil }
                guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
                    throw Diagnostic("slice bounds must be whole numbers, got \(value.typeName) \(value.quotedDescription)", at: span)
                }
                return Int(number)
            }
            let stride = try whole(step) ?? 1
            guard stride != 0 else { throw Diagnostic("a slice step cannot be zero", at: span, hint: "::1 takes every item, ::-1 reverses") }
            return SlicePositions.python(start: try whole(start), end: try whole(end), step: stride, count: count)
        }
        switch base {
        case .list(let list): return .makeList(try positions(count: list.items.count).map { list.items[$0] })
        case .tuple(let items): return .tuple(try positions(count: items.count).map { items[$0] })
        case .string(let text):
            let characters = Array(text)
            return .string(String(try positions(count: characters.count).map { characters[$0] }))
        default:
            throw Diagnostic("a \(base.typeName) cannot be sliced", at: span)
        }
    }

    private func isNone(_ value: Value) -> Bool { if case .none = value { true } else { false } }
}

/// Python's slice arithmetic: the positions `start:end:step` takes from `count` items (negative
/// bounds count from the end, bounds out of range are clamped, a negative step walks backwards).
enum SlicePositions {
    static func python(start: Int?, end: Int?, step: Int, count: Int) -> [Int] {
        func bound(_ value: Int?, _ fallback: Int, lowest: Int, highest: Int) -> Int {
            guard let value else { return fallback }
            return min(max(value < 0 ? value + count : value, lowest), highest)
        }
        if step > 0 {
            return Array(Swift.stride(from: bound(start, 0, lowest: 0, highest: count), to: bound(end, count, lowest: 0, highest: count), by: step))
        }
        return Array(Swift.stride(from: bound(start, count - 1, lowest: -1, highest: count - 1), to: bound(end, -1, lowest: -1, highest: count - 1), by: step))
    }
}
