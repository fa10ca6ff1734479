import Diagnostics

extension Interpreter {
    /// `while condition: body`
    func runWhile(_ condition: Expression, _ body: Block) throws(Diagnostic) -> Flow {
        while try isTrue(try evaluate(condition), at: condition.span) {
            switch try execute(body) {
            case .breakLoop: return .normal
            case .returnValue(let value): return .returnValue(value)
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    /// `for target in iterable: body`. A `range` is counted directly, without an iterator.
    /// `[element for target in source if condition]`. At the top level the names it assigns get
    /// their values back afterwards (Python 3 gives a comprehension its own scope).
    func comprehension(_ element: Expression, _ target: Target, _ source: Expression, _ condition: Expression?,
                       at span: SourceSpan) throws(Diagnostic) -> Value {
        let iterator = try makeIterator(try evaluate(source), at: source.span)
        let hidden = frame === globals ? globalNames(in: target).map { ($0, globals.value(at: $0)) } : []
        defer { for (slot, value) in hidden { globals.set(value, at: slot) } }
        var items: [Value] = []
        while let item = try nextItem(iterator, of: source) {
            try assign(item, to: target, iterating: source)
            if let condition, !(try isTrue(try evaluate(condition), at: condition.span)) { continue }
            items.append(try evaluate(element))
            try checkSize(items.count, of: "list", at: span)
        }
        return .makeList(items)
    }

    private func globalNames(in target: Target) -> [Int] {
        switch target.kind {
        case .name(let name): [name.id]
        case .tuple(let items): items.flatMap(globalNames)
        case .local, .subscripts, .member: []
        }
    }

    func runFor(_ target: Target, _ iterableExpression: Expression, _ body: Block) throws(Diagnostic) -> Flow {
        let iterable = try evaluate(iterableExpression)
        if case .object(let range as RangeObject) = iterable {
            let counter = LoopCounter(target, interpreter: self)
            for index in stride(from: range.start, to: range.end, by: range.step) {
                try counter.store(.number(Double(index)), target: target)
                switch try execute(body) {
                case .breakLoop: return .normal
                case .returnValue(let value): return .returnValue(value)
                case .normal, .continueLoop: continue
                }
            }
            return .normal
        }
        let iterator = try makeIterator(iterable, at: iterableExpression.span)
        while let item = try nextItem(iterator, of: iterableExpression) {
            try assign(item, to: target, iterating: iterableExpression)
            switch try execute(body) {
            case .breakLoop: return .normal
            case .returnValue(let value): return .returnValue(value)
            case .normal, .continueLoop: continue
            }
        }
        return .normal
    }

    /// An iterator over a list, tuple, string or iterable host object.
    func makeIterator(_ value: Value, at span: SourceSpan) throws(Diagnostic) -> any ValueIterator {
        switch value {
        case .list(let list): return ListIterator(list)
        case .tuple(let items): return ArrayIterator(items)
        case .string(let text): return ArrayIterator(text.map { .string(String($0)) })
        case .object(let object):
            if let iterator = try hostCall(span: span, what: "for", { try object.makeIterator() }) { return iterator }
            throw Diagnostic("a \(object.typeName) cannot be looped over", at: span, hint: Self.iterableHint)
        default:
            throw Diagnostic("a \(value.typeName) cannot be looped over", at: span,
                             hint: value.typeName == "number" ? "to count, loop over range(n)" : Self.iterableHint)
        }
    }

    private static let iterableHint = "for loops over lists, tuples, strings, range(n), tensors (by rows), datasets (by examples) and batches(…)"

    private func nextItem(_ iterator: any ValueIterator, of iterable: Expression) throws(Diagnostic) -> Value? {
        try hostCall(span: iterable.span, what: "for") { try iterator.next() }
    }
}

/// Where a counting loop stores its number: straight into a slot when the target is one name.
private struct LoopCounter {
    private enum Place {
        case local(Environment, Int)
        case global(Environment, Int)
        case target(Interpreter)
    }

    private let place: Place

    init(_ target: Target, interpreter: Interpreter) {
        switch target.kind {
        case .local(let slot, _): place = .local(interpreter.frame, slot)
        case .name(let name):
            interpreter.setGlobal(name, .none, at: target.span)
            place = .global(interpreter.globals, name.id)
        default: place = .target(interpreter)
        }
    }

    @inline(__always)
    func store(_ value: Value, target: Target) throws(Diagnostic) {
        switch place {
        case .local(let scope, let slot): scope.locals[slot] = value
        case .global(let scope, let slot): scope[slot] = value
        case .target(let interpreter): try interpreter.assign(value, to: target)
        }
    }
}

/// A `range(start, end, step)`: counted, never stored as a list.
public final class RangeObject: HostObject {
    let start: Int, end: Int, step: Int

    init(start: Int, end: Int, step: Int) {
        (self.start, self.end, self.step) = (start, end, step)
    }

    public var typeName: String { "range" }
    public var summary: String { step == 1 ? "range(\(start), \(end))" : "range(\(start), \(end), \(step))" }
    public var length: Int? { step > 0 ? max(0, (end - start + step - 1) / step) : max(0, (start - end - step - 1) / -step) }
    public func truthValue() throws(HostError) -> Bool { length! > 0 }

    public func makeIterator() throws(HostError) -> (any ValueIterator)? {
        ArrayIterator(stride(from: start, to: end, by: step).lazy.map { .number(Double($0)) })
    }

    public func index(_ index: Value) throws(HostError) -> Value {
        guard case .number(let number) = index, number == number.rounded(), abs(number) < 1e15 else {
            throw HostError("a range index must be a whole number, got \(index.typeName) \(index.quotedDescription)")
        }
        let count = length!, position = Int(number) < 0 ? Int(number) + count : Int(number)
        guard (0..<count).contains(position) else { throw HostError("index \(Int(number)) is out of range for \(summary) (\(count) numbers)") }
        return .number(Double(start + position * step))
    }
}

/// The items of a list, read as the loop goes (as Python does, appending during the loop extends it).
final class ListIterator: ValueIterator {
    private let list: ValueList
    private var position = 0

    init(_ list: ValueList) { self.list = list }

    func next() throws(HostError) -> Value? {
        guard position < list.items.count else { return nil }
        defer { position += 1 }
        return list.items[position]
    }
}

/// The items of any Swift sequence of values.
public final class ArrayIterator<Items: Sequence>: ValueIterator where Items.Element == Value {
    private var iterator: Items.Iterator

    /// An iterator over `items`.
    public init(_ items: Items) { iterator = items.makeIterator() }

    public func next() throws(HostError) -> Value? { iterator.next() }
}
