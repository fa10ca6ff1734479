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
        case .tuple(let items): return .tuple(try evaluateAll(items))
        case .negate(let operand): return try negate(try evaluate(operand), at: expression.span)
        case .not(let operand): return .bool(!(try isTrue(try evaluate(operand), at: operand.span)))
        case .logical(let op, let left, let right):
            let first = try evaluate(left)
            let decided = try isTrue(first, at: left.span) == (op == .or)
            return decided ? first : try evaluate(right)
        case .binary(let op, let left, let right, _):
            return try binary(op, try evaluate(left), try evaluate(right), at: expression.span)
        case .call(let callee, let arguments): return try call(callee, arguments, at: expression.span)
        case .index(let base, let index): return try subscriptValue(try evaluate(base), index: try evaluate(index), at: expression.span)
        case .slice(let base, let start, let end):
            let startValue = try start.map { (value) throws(Diagnostic) in try evaluate(value) }
            let endValue = try end.map { (value) throws(Diagnostic) in try evaluate(value) }
            return try sliceValue(try evaluate(base), start: startValue, end: endValue, at: expression.span)
        case .member(let base, let name, let nameSpan): return try member(try evaluate(base), name, at: nameSpan)
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

    func subscriptValue(_ base: Value, index: Value, at span: SourceSpan) throws(Diagnostic) -> Value {
        switch base {
        case .list(let list): return list.items[try position(index, count: list.items.count, in: base, at: span)]
        case .tuple(let items): return items[try position(index, count: items.count, in: base, at: span)]
        case .string(let text):
            let characters = Array(text)
            return .string(String(characters[try position(index, count: characters.count, in: base, at: span)]))
        case .object(let object):
            return try hostCall(span: span, what: "\(object.typeName)[…]") { try object.index(index) }
        default:
            throw Diagnostic("a \(base.typeName) cannot be indexed", at: span)
        }
    }

    private func sliceValue(_ base: Value, start: Value?, end: Value?, at span: SourceSpan) throws(Diagnostic) -> Value {
        func range(count: Int) throws(Diagnostic) -> Range<Int> {
            func bound(_ value: Value?, _ fallback: Int) throws(Diagnostic) -> Int {
                guard let value, !isNone(value) else { return fallback }
                guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
                    throw Diagnostic("slice bounds must be whole numbers, got \(value.typeName) \(value.quotedDescription)", at: span)
                }
                let index = Int(number) < 0 ? Int(number) + count : Int(number)
                return min(max(index, 0), count)
            }
            let lower = try bound(start, 0), upper = try bound(end, count)
            return lower < upper ? lower..<upper : lower..<lower
        }
        switch base {
        case .list(let list): return .makeList(Array(list.items[try range(count: list.items.count)]))
        case .tuple(let items): return .tuple(Array(items[try range(count: items.count)]))
        case .string(let text):
            let characters = Array(text)
            return .string(String(characters[try range(count: characters.count)]))
        case .object(let object):
            return try hostCall(span: span, what: "\(object.typeName)[…:…]") { try object.slice(start: start, end: end) }
        default:
            throw Diagnostic("a \(base.typeName) cannot be sliced", at: span)
        }
    }

    private func isNone(_ value: Value) -> Bool { if case .none = value { true } else { false } }
}
