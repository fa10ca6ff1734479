import Diagnostics
import Foundation

extension Interpreter {
    /// `-x`
    func negate(_ value: Value, at span: SourceSpan) throws(Diagnostic) -> Value {
        switch value {
        case .number(let number): return .number(-number)
        case .object(let object): return try hostCall(span: span, what: "-") { try object.negated() }
        default: throw Diagnostic("a \(value.typeName) cannot be negated", at: span)
        }
    }

    /// `a op b`: numbers, strings and lists here; anything involving a host object is asked of it.
    func binary(_ op: BinaryOperator, _ left: Value, _ right: Value, at span: SourceSpan) throws(Diagnostic) -> Value {
        if case .number(let a) = left, case .number(let b) = right { return try arithmetic(op, a, b, at: span) }
        if op == .isIn || op == .isNotIn { return .bool(try contains(right, left, at: span) == (op == .isIn)) }
        if op == .isSame || op == .isNotSame { return .bool(Value.same(left, right) == (op == .isSame)) }
        if case .object(let object) = left,
           let result = try hostCall(span: span, what: op.rawValue, { try object.binary(op, right, isLeft: true) }) {
            return result
        }
        if case .object(let object) = right,
           let result = try hostCall(span: span, what: op.rawValue, { try object.binary(op, left, isLeft: false) }) {
            return result
        }
        switch (op, left, right) {
        case (.add, .string(let a), .string(let b)):
            try checkSize(a.utf8.count + b.utf8.count, of: "string", at: span)
            return .string(a + b)
        case (.add, .list(let a), .list(let b)):
            try checkSize(a.items.count + b.items.count, of: "list", at: span)
            return .makeList(a.items + b.items)
        case (.add, .tuple(let a), .tuple(let b)):
            try checkSize(a.count + b.count, of: "tuple", at: span)
            let joined = ValueTuple(a.items + b.items)
            guard joined.depth <= ValueTuple.maximumDepth else { throw Diagnostic(ValueTuple.tooDeep, at: span, hint: ValueTuple.tooDeepHint) }
            return .tuple(joined)
        case (.multiply, .string(let text), .number(let count)), (.multiply, .number(let count), .string(let text)):
            let times = try repetitions(count, at: span)
            try checkSize(text.utf8.count * times, of: "string", at: span)
            return .string(String(repeating: text, count: times))
        case (.multiply, .list(let list), .number(let count)), (.multiply, .number(let count), .list(let list)):
            let times = try repetitions(count, at: span)
            try checkSize(list.items.count * times, of: "list", at: span)
            return .makeList(Array((0..<times).map { _ in list.items }.joined()))
        case (.equal, _, _): return .bool(Value.equal(left, right))
        case (.notEqual, _, _): return .bool(!Value.equal(left, right))
        case (.less, .string(let a), .string(let b)): return .bool(a < b)
        case (.greater, .string(let a), .string(let b)): return .bool(a > b)
        default:
            throw Diagnostic("cannot apply '\(op.rawValue)' to a \(left.typeName) and a \(right.typeName)", at: span,
                             hint: op == .add && (left.typeName == "string" || right.typeName == "string")
                                 ? "turn the number into text first: \"loss \" + str(x), or use an f-string f\"loss {x}\"" : nil)
        }
    }

    /// Lists and tuples hold at most this many items, strings this many bytes: a runaway loop
    /// that doubles a list is an error, not an exhausted machine.
    static let maximumSize = 10_000_000

    /// Refuses a list, tuple or string that would exceed `maximumSize`.
    func checkSize(_ size: Int, of kind: String, at span: SourceSpan) throws(Diagnostic) {
        guard size > Self.maximumSize else { return }
        throw Diagnostic("that would make a \(kind) of \(size) \(kind == "string" ? "bytes" : "items"), more than the \(Self.maximumSize) allowed", at: span,
                         hint: kind == "string" ? "build long text in pieces, or write it to a file" : "keep big data in a tensor instead of a list")
    }

    private func repetitions(_ count: Double, at span: SourceSpan) throws(Diagnostic) -> Int {
        guard count == count.rounded(), count >= 0, count <= Double(Self.maximumSize) else {
            throw Diagnostic("can repeat only a whole number of times (0 to \(Self.maximumSize)), got \(Value.format(count))", at: span)
        }
        return Int(count)
    }

    /// `item in container` for lists, tuples, strings (substrings) and ranges.
    private func contains(_ container: Value, _ item: Value, at span: SourceSpan) throws(Diagnostic) -> Bool {
        switch container {
        case .list(let list): return list.items.contains { Value.equal($0, item) }
        case .tuple(let items): return items.contains { Value.equal($0, item) }
        case .string(let text):
            guard case .string(let part) = item else {
                throw Diagnostic("'in' looks for text inside a string, not a \(item.typeName)", at: span)
            }
            return text.contains(part)
        case .object(let dictionary as DictionaryObject): return dictionary.contains(item)
        case .object(let set as SetObject): return set.contains(item)
        case .object(let range as RangeObject):
            guard case .number(let number) = item, number == number.rounded() else { return false }
            let value = Int(number)
            return range.step > 0 ? (range.start..<range.end).contains(value) && (value - range.start) % range.step == 0
                : value <= range.start && value > range.end && (range.start - value) % -range.step == 0
        default:
            throw Diagnostic("'in' needs a list, tuple, string or range on its right, got a \(container.typeName)", at: span)
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ a: Double, _ b: Double, at span: SourceSpan) throws(Diagnostic) -> Value {
        switch op {
        case .add: return .number(a + b)
        case .subtract: return .number(a - b)
        case .multiply: return .number(a * b)
        case .divide:
            guard b != 0 else { throw Diagnostic("division by zero", at: span, hint: "the right-hand side of / is 0") }
            return .number(a / b)
        case .floorDivide:
            guard b != 0 else { throw Diagnostic("division by zero", at: span, hint: "the right-hand side of // is 0") }
            return .number((a / b).rounded(.down))
        case .remainder:
            guard b != 0 else { throw Diagnostic("remainder of a division by zero", at: span, hint: "the right-hand side of % is 0") }
            let remainder = a.truncatingRemainder(dividingBy: b)
            return .number(remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder)  // the sign of b, as in Python
        case .power: return .number(Foundation.pow(a, b))
        case .matrixMultiply: throw Diagnostic("'@' multiplies matrices, not numbers", at: span, hint: "use * for numbers")
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less: return .bool(a < b)
        case .lessOrEqual: return .bool(a <= b)
        case .greater: return .bool(a > b)
        case .greaterOrEqual: return .bool(a >= b)
        case .isSame: return .bool(a == b)
        case .isNotSame: return .bool(a != b)
        case .isIn, .isNotIn: throw Diagnostic("'\(op.rawValue)' needs a list, tuple, string or range on its right, got a number", at: span)
        }
    }

    /// The truth value of `if x:`, `while x:`, `not x`, `and` and `or`, as in Python: 0, "", [],
    /// () and none are false; a one-element tensor is its value.
    func isTrue(_ value: Value, at span: SourceSpan) throws(Diagnostic) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .number(let number): return number != 0
        case .none: return false
        case .string(let text): return !text.isEmpty
        case .list(let list): return !list.items.isEmpty
        case .tuple(let items): return !items.isEmpty
        case .function: return true
        case .object(let object): return try hostCall(span: span, what: "if") { try object.truthValue() }
        }
    }
}
