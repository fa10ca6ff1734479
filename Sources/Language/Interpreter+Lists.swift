import Diagnostics

extension Interpreter {
    /// The methods of a list, which the list itself changes (every name bound to it sees it).
    static let listMethods = ["append", "extend", "pop", "insert"]

    /// `xs.append(v)`, `xs.extend(ys)`, `xs.pop()`, `xs.pop(i)`, `xs.insert(i, v)`.
    func callListMethod(_ list: ValueList, _ name: String, _ arguments: [Argument], _ values: [Value], nameSpan: SourceSpan,
                        at span: SourceSpan) throws(Diagnostic) -> Value {
        func expect(_ count: ClosedRange<Int>, _ usage: String) throws(Diagnostic) {
            try expectPositional(count, name, usage, arguments, values, at: span)
        }
        switch name {
        case "append":
            try expect(1...1, "xs.append(value)")
            try checkSize(list.items.count + 1, of: "list", at: span)
            list.items.append(values[0])
        case "extend":
            try expect(1...1, "xs.extend([a, b])")
            let more = try itemsToAdd(values[0], at: arguments[0].span)
            try checkSize(list.items.count + more.count, of: "list", at: span)
            list.items += more
        case "insert":
            try expect(2...2, "xs.insert(position, value)")
            try checkSize(list.items.count + 1, of: "list", at: span)
            let position = try wholeNumber(values[0], "a list position", at: arguments[0].span)
            let count = list.items.count
            list.items.insert(values[1], at: min(max(position < 0 ? position + count : position, 0), count))
        case "pop":
            try expect(0...1, "xs.pop() or xs.pop(i)")
            guard !list.items.isEmpty else { throw Diagnostic("pop from an empty list", at: span, hint: "check len(xs) > 0 first") }
            let count = list.items.count
            let position = values.isEmpty ? count - 1 : try wholeNumber(values[0], "a list position", at: arguments[0].span)
            let index = position < 0 ? position + count : position
            guard (0..<count).contains(index) else {
                throw Diagnostic("index \(position) is out of range for a list of \(count) item\(count == 1 ? "" : "s")", at: arguments[0].span,
                                 hint: "valid indices are \(-count) to \(count - 1)")
            }
            return list.items.remove(at: index)
        default:
            let suggestion = Suggestions.closest(to: name, in: Self.listMethods)
            throw Diagnostic("a list has no method '\(name)'", at: nameSpan,
                             hint: suggestion.map { "did you mean '\($0)'?" } ?? "list methods: \(Self.listMethods.joined(separator: ", "))")
        }
        return .none
    }

    /// A list or string method's arguments: positional, as many as `count` allows.
    func expectPositional(_ count: ClosedRange<Int>, _ name: String, _ usage: String, _ arguments: [Argument], _ values: [Value],
                          at span: SourceSpan) throws(Diagnostic) {
        guard count.contains(values.count), arguments.allSatisfy({ $0.label == nil }) else {
            let allowed = count.lowerBound == count.upperBound ? "\(count.lowerBound)" : count.count == 2 ? "\(count.lowerBound) or \(count.upperBound)" : "\(count.lowerBound) to \(count.upperBound)"
            throw Diagnostic("\(name) takes \(allowed) argument\(count.upperBound == 1 ? "" : "s"), given \(values.count)", at: span, hint: "usage: \(usage)")
        }
    }

    private func itemsToAdd(_ value: Value, at span: SourceSpan) throws(Diagnostic) -> [Value] {
        if let items = value.items { return items }
        if case .object(let object) = value, let length = object.length { try checkSize(length, of: "list", at: span) }
        let iterator = try makeIterator(value, at: span)
        var items: [Value] = []
        while let item = try hostCall(span: span, what: "extend", { try iterator.next() }) { items.append(item) }
        return items
    }

    /// A whole number argument, or an error naming what it was for.
    func wholeNumber(_ value: Value, _ what: String, at span: SourceSpan) throws(Diagnostic) -> Int {
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 1e15 else {
            throw Diagnostic("\(what) must be a whole number, got \(value.typeName) \(value.quotedDescription)", at: span)
        }
        return Int(number)
    }
}
