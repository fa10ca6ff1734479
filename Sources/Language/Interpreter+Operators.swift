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
        if case .object(let object) = left,
           let result = try hostCall(span: span, what: op.rawValue, { try object.binary(op, right, isLeft: true) }) {
            return result
        }
        if case .object(let object) = right,
           let result = try hostCall(span: span, what: op.rawValue, { try object.binary(op, left, isLeft: false) }) {
            return result
        }
        switch (op, left, right) {
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.add, .list(let a), .list(let b)): return .makeList(a.items + b.items)
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.equal, _, _): return .bool(Self.equal(left, right))
        case (.notEqual, _, _): return .bool(!Self.equal(left, right))
        default:
            throw Diagnostic("cannot apply '\(op.rawValue)' to a \(left.typeName) and a \(right.typeName)", at: span,
                             hint: op == .add && (left.typeName == "string" || right.typeName == "string") ? "join text with + between two strings" : nil)
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ a: Double, _ b: Double, at span: SourceSpan) throws(Diagnostic) -> Value {
        switch op {
        case .add: return .number(a + b)
        case .subtract: return .number(a - b)
        case .multiply: return .number(a * b)
        case .divide:
            guard b != 0 else {
                throw Diagnostic("division by zero", at: span, hint: "the right-hand side of / is 0")
            }
            return .number(a / b)
        case .power: return .number(Foundation.pow(a, b))
        case .matrixMultiply: throw Diagnostic("'@' multiplies matrices, not numbers", at: span, hint: "use * for numbers")
        case .equal: return .bool(a == b)
        case .notEqual: return .bool(a != b)
        case .less: return .bool(a < b)
        case .lessOrEqual: return .bool(a <= b)
        case .greater: return .bool(a > b)
        case .greaterOrEqual: return .bool(a >= b)
        }
    }

    static func equal(_ a: Value, _ b: Value) -> Bool { Value.equal(a, b) }
}
