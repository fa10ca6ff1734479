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
        case .list(let items): return .list(try items.map { (item) throws(Diagnostic) in try evaluate(item) })
        case .tuple(let items): return .tuple(try items.map { (item) throws(Diagnostic) in try evaluate(item) })
        case .negate(let operand): return try negate(try evaluate(operand), at: expression.span)
        case .binary(let op, let left, let right, _):
            return try binary(op, try evaluate(left), try evaluate(right), at: expression.span)
        case .call(let callee, let arguments): return try call(callee, arguments, at: expression.span)
        case .index(let base, let index): return try subscriptValue(try evaluate(base), index: try evaluate(index), at: expression.span)
        case .slice(let base, let start, let end):
            let startValue = try start.map { (value) throws(Diagnostic) in try evaluate(value) }
            let endValue = try end.map { (value) throws(Diagnostic) in try evaluate(value) }
            return try sliceValue(try evaluate(base), start: startValue, end: endValue, at: expression.span)
        case .member(let base, let name, let nameSpan): return try member(try evaluate(base), name, at: nameSpan)
        case .command(let command): return try run(command)
        }
    }

    private func call(_ calleeExpression: Expression, _ arguments: [Argument], at span: SourceSpan) throws(Diagnostic) -> Value {
        let callee = try evaluate(calleeExpression)
        let values = try arguments.map { (argument) throws(Diagnostic) in try evaluate(argument.value) }
        switch callee {
        case .function(let function):
            let bound = try bind(function, arguments, values, at: span)
            return try hostCall(span: span, what: function.name, argumentSpans: bound.spans) { try function.implementation(bound) }
        case .object(let object):
            if let labelled = arguments.first(where: { $0.label != nil }) {
                throw Diagnostic("a \(object.typeName) takes no named arguments", at: labelled.span)
            }
            return try hostCall(span: span, what: object.typeName) { try object.call(values) }
        default:
            throw Diagnostic("a \(callee.typeName) cannot be called", at: calleeExpression.span,
                             hint: "only functions, layers and models can be called with ( )")
        }
    }

    /// Matches arguments to parameters: positional in order, then by name; checks counts and names.
    func bind(_ function: NativeFunction, _ arguments: [Argument], _ values: [Value], at span: SourceSpan) throws(Diagnostic) -> Arguments {
        var bound: [String: Value] = [:], spans: [String: SourceSpan] = [:], rest: [Value] = []
        let positional = function.parameters.filter { !$0.namedOnly }
        var nextPositional = 0
        for (argument, value) in zip(arguments, values) {
            if let label = argument.label {
                guard function.parameters.contains(where: { $0.name == label }) else {
                    let suggestion = Suggestions.closest(to: label, in: function.parameters.map(\.name))
                    throw Diagnostic("\(function.name) has no parameter named '\(label)'", at: argument.span,
                                     hint: suggestion.map { "did you mean '\($0)'?" } ?? "usage: \(function.signature)")
                }
                guard bound[label] == nil else {
                    throw Diagnostic("'\(label)' is given twice", at: argument.span, hint: "usage: \(function.signature)")
                }
                bound[label] = value
                spans[label] = argument.span
            } else if nextPositional < positional.count {
                bound[positional[nextPositional].name] = value
                spans[positional[nextPositional].name] = argument.span
                nextPositional += 1
            } else if function.variadic != nil {
                spans["#\(rest.count)"] = argument.span
                rest.append(value)
            } else {
                let count = positional.count
                throw Diagnostic("\(function.name) takes \(count) positional argument\(count == 1 ? "" : "s") but \(arguments.filter { $0.label == nil }.count) were given",
                                 at: argument.span, hint: "usage: \(function.signature)")
            }
        }
        for parameter in function.parameters where bound[parameter.name] == nil {
            guard let defaultValue = parameter.defaultValue else {
                throw Diagnostic("\(function.name) is missing its '\(parameter.name)' argument", at: span, hint: "usage: \(function.signature)")
            }
            bound[parameter.name] = defaultValue
        }
        return Arguments(values: bound, rest: rest, spans: spans, callSpan: span, functionName: function.name, sink: sink)
    }

    private func member(_ base: Value, _ name: String, at span: SourceSpan) throws(Diagnostic) -> Value {
        guard case .object(let object) = base else {
            throw Diagnostic("a \(base.typeName) has no member '\(name)'", at: span)
        }
        return try hostCall(span: span, what: "\(object.typeName).\(name)") { try object.member(name) }
    }

    private func subscriptValue(_ base: Value, index: Value, at span: SourceSpan) throws(Diagnostic) -> Value {
        switch base {
        case .list(let items), .tuple(let items):
            guard case .number(let number) = index, number == number.rounded(), abs(number) < 1e15 else {
                throw Diagnostic("a list index must be a whole number, got \(index.typeName) \(index.quotedDescription)", at: span)
            }
            let position = Int(number) < 0 ? Int(number) + items.count : Int(number)
            guard items.indices.contains(position) else {
                throw Diagnostic("index \(Int(number)) is out of range for a \(base.typeName) of \(items.count) item\(items.count == 1 ? "" : "s")",
                                 at: span, hint: items.isEmpty ? "it is empty" : "valid indices are \(-items.count) to \(items.count - 1)")
            }
            return items[position]
        case .string(let text):
            return try subscriptValue(.list(text.map { .string(String($0)) }), index: index, at: span)
        case .object(let object):
            return try hostCall(span: span, what: "\(object.typeName)[…]") { try object.index(index) }
        default:
            throw Diagnostic("a \(base.typeName) cannot be indexed", at: span)
        }
    }

    private func sliceValue(_ base: Value, start: Value?, end: Value?, at span: SourceSpan) throws(Diagnostic) -> Value {
        switch base {
        case .list(let items):
            func bound(_ value: Value?, _ fallback: Int) throws(Diagnostic) -> Int {
                guard let value else { return fallback }
                guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
                    throw Diagnostic("slice bounds must be whole numbers, got \(value.typeName) \(value.quotedDescription)", at: span)
                }
                let index = Int(number) < 0 ? Int(number) + items.count : Int(number)
                return min(max(index, 0), items.count)
            }
            let lower = try bound(start, 0), upper = try bound(end, items.count)
            return .list(lower < upper ? Array(items[lower..<upper]) : [])
        case .object(let object):
            return try hostCall(span: span, what: "\(object.typeName)[…:…]") { try object.slice(start: start, end: end) }
        default:
            throw Diagnostic("a \(base.typeName) cannot be sliced", at: span)
        }
    }
}
