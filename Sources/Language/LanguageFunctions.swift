import Foundation

/// The functions the language itself provides (no engine needed): registered in every registry.
enum LanguageFunctions {
    static func register(in registry: Registry) {
        registry.register(Callable("len", parameters: [.init("x")],
                                   documentation: "Number of items of a list, characters of a string, rows of a tensor, examples of a dataset.") { arguments in
            let value = arguments.value("x")!
            switch value {
            case .list(let list): return .number(Double(list.items.count))
            case .tuple(let items): return .number(Double(items.count))
            case .string(let text): return .number(Double(text.count))
            case .object(let object):
                guard let length = object.length else { throw HostError("a \(object.typeName) has no length", argument: "x") }
                return .number(Double(length))
            default: throw arguments.mismatch("x", expected: "a list, string, tensor or dataset", got: value)
            }
        })
        registry.register(Callable("range", parameters: [.init("start"), .init("end", default: .none), .init("step", default: .number(1))],
                                   documentation: "Whole numbers from start (default 0) up to, not including, end: range(3) is 0, 1, 2.") { arguments in
            let first = try arguments.integer("start")
            let (start, end) = try arguments.optionalInteger("end").map { (first, $0) } ?? (0, first)
            let step = try arguments.integer("step")
            guard step != 0 else { throw HostError("range: step must not be 0", argument: "step") }
            return .object(RangeObject(start: start, end: end, step: step))
        })
        registry.register(Callable("sorted", parameters: [.init("items"), .init("reverse", default: .bool(false), namedOnly: true)],
                                   documentation: "A new list of the items in order (numbers or strings), largest first with reverse: true.") { arguments in
            try sorted(arguments)
        })
        registry.register(SuperObject.function)
        registerConversions(in: registry)
        registerIteration(in: registry)
    }

    /// `sorted(xs)`, `sorted(xs, reverse: true)`.
    private static func sorted(_ arguments: Arguments) throws(HostError) -> Value {
        let value = arguments.value("items")!
        guard let items = value.items else { throw arguments.mismatch("items", expected: "a list or tuple", got: value) }
        let reverse = try arguments.number("reverse") != 0
        if items.allSatisfy({ if case .number = $0 { true } else { false } }) {
            let numbers = items.compactMap { item -> Double? in if case .number(let n) = item { n } else { nil } }.sorted()
            return .makeList((reverse ? numbers.reversed() : numbers).map(Value.number))
        }
        if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
            let texts = items.compactMap { item -> String? in if case .string(let t) = item { t } else { nil } }.sorted()
            return .makeList((reverse ? texts.reversed() : texts).map(Value.string))
        }
        throw HostError("sorted orders numbers or strings, not \(Set(items.map(\.typeName)).sorted().joined(separator: " and "))", argument: "items")
    }

    private static func registerConversions(in registry: Registry) {
        registry.register(Callable("str", parameters: [.init("x")], documentation: "The value as text, as print shows it.") { arguments in
            let value = arguments.value("x")!
            if case .object(let object) = value {
                let texts = object.display().compactMap { item -> String? in if case .text(let text) = item { text } else { nil } }
                return .string(texts.isEmpty ? object.summary : texts.joined(separator: "\n"))
            }
            return .string(value.shortDescription)
        })
        registry.register(Callable("float", parameters: [.init("x")], documentation: "A number from a number, a one-element tensor or text such as \"0.5\".") { arguments in
            .number(try number(arguments))
        })
        registry.register(Callable("int", parameters: [.init("x")], documentation: "A whole number, rounding toward zero: int(2.7) is 2.") { arguments in
            let value = try number(arguments)
            guard value.isFinite, abs(value) < 1e18 else { throw HostError("int: \(Value.format(value)) has no whole-number value", argument: "x") }
            return .number(value.rounded(.towardZero))
        })
        registry.register(Callable("round", parameters: [.init("x"), .init("digits", default: .number(0))],
                                   documentation: "x rounded to digits decimals (halves to even, as Python): round(2.675, 2).") { arguments in
            let value = try number(arguments)
            let digits = try arguments.integer("digits")
            guard (-15...15).contains(digits) else { throw HostError("round: digits must be between -15 and 15", argument: "digits") }
            let scale = Foundation.pow(10, Double(digits))
            return .number((value * scale).rounded(.toNearestOrEven) / scale)
        })
    }

    /// `x` as a number: numbers, booleans, one-element tensors and numeric text.
    private static func number(_ arguments: Arguments) throws(HostError) -> Double {
        let value = arguments.value("x")!
        switch value {
        case .number(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw HostError("\(arguments.functionName): \"\(text)\" is not a number", argument: "x")
            }
            return number
        case .object(let object):
            guard let number = object.numberValue else {
                throw HostError("\(arguments.functionName): a \(object.typeName) is not one number", hint: "reduce it first, e.g. x.mean() or x.item()", argument: "x")
            }
            return number
        default: throw arguments.mismatch("x", expected: "a number", got: value)
        }
    }

    private static func registerIteration(in registry: Registry) {
        registry.register(Callable("list", parameters: [.init("x", default: .none)],
                                   documentation: "A new list: empty, or of the items of x (list(range(3)) is [0, 1, 2]).") { arguments in
            guard let value = arguments["x"] else { return .makeList([]) }
            return .makeList(try items(of: value, "list"))
        })
        registry.register(Callable("set", parameters: [.init("x", default: .none)],
                                   documentation: "A set of the unique items of x (empty without x): set(\"hello\") has h, e, l, o.") { arguments in
            guard let value = arguments["x"] else { return .object(try SetObject([])) }
            return .object(try SetObject(try items(of: value, "set")))
        })
        registry.register(Callable("dict", parameters: [.init("x", default: .none)],
                                   documentation: "A dictionary of (key, value) pairs (empty without x); {k: v for …} builds one too.") { arguments in
            guard let value = arguments["x"] else { return .object(DictionaryObject([])) }
            return .object(try DictionaryObject(pairs: try items(of: value, "dict")))
        })
        registry.register(Callable("open", parameters: [.init("path"), .init("mode", default: .string("r"))],
                                   documentation: "A text file for reading: open(\"names.txt\").read().splitlines().") { arguments in
            guard try arguments.string("mode") == "r" else {
                throw HostError("open reads files only (mode \"r\")", hint: "save and export write files", argument: "mode")
            }
            return .object(try TextFileObject(path: try arguments.string("path")))
        })
        registry.register(Callable("enumerate", parameters: [.init("x"), .init("start", default: .number(0))],
                                   documentation: "Pairs (i, item) of x's items, counting from start: for i, (x, y) in enumerate(batches(…)):") { arguments in
            .object(EnumerateObject(base: arguments.value("x")!, start: try arguments.integer("start")))
        })
        registry.register(Callable("zip", parameters: [], variadic: "sequences",
                                   documentation: "Tuples of the items at the same position: zip([1, 2], [\"a\", \"b\"]).") { arguments in
            .makeList(try zipped(arguments.rest))
        })
    }

    /// The items of a list, tuple, string or (small) iterable object.
    static func items(of value: Value, _ function: String) throws(HostError) -> [Value] {
        if let items = value.items { return items }
        if case .string(let text) = value { return text.map { .string(String($0)) } }
        guard case .object(let object) = value, let iterator = try object.makeIterator() else {
            throw HostError("\(function): a \(value.typeName) has no items to go through", argument: "x")
        }
        if let length = object.length, length > Interpreter.maximumSize {
            throw HostError("\(function): \(object.summary) has \(length) items, more than a list may hold (\(Interpreter.maximumSize))",
                            hint: "loop over it with for instead of making a list", argument: "x")
        }
        var items: [Value] = []
        while let item = try iterator.next() { items.append(item) }
        return items
    }

    /// A tuple made by a function (zip, enumerate): refused past `ValueTuple.maximumDepth`.
    static func checkedTuple(_ items: [Value]) throws(HostError) -> Value {
        let tuple = ValueTuple(items)
        guard tuple.depth <= ValueTuple.maximumDepth else { throw HostError(ValueTuple.tooDeep, hint: ValueTuple.tooDeepHint) }
        return .tuple(tuple)
    }

    private static func zipped(_ sequences: [Value]) throws(HostError) -> [Value] {
        var columns: [[Value]] = []
        for sequence in sequences { columns.append(try items(of: sequence, "zip")) }
        let count = columns.map(\.count).min() ?? 0
        var rows: [Value] = []
        for row in 0..<count { rows.append(try checkedTuple(columns.map { $0[row] })) }
        return rows
    }
}

/// `enumerate(x)`: pairs (i, item), made one at a time (x may be a long stream of batches).
final class EnumerateObject: HostObject, @unchecked Sendable {
    let base: Value
    let start: Int

    init(base: Value, start: Int) {
        self.base = base
        self.start = start
    }

    var typeName: String { "enumerate" }
    var summary: String { "enumerate(\(base.shortDescription))" }

    func makeIterator() throws(HostError) -> (any ValueIterator)? {
        let inner: any ValueIterator
        switch base {
        case .list(let list): inner = ListIterator(list)
        case .tuple(let items): inner = ArrayIterator(items)
        case .string(let text): inner = ArrayIterator(text.map { .string(String($0)) })
        case .object(let object):
            guard let iterator = try object.makeIterator() else { throw HostError("enumerate: a \(object.typeName) has no items to go through") }
            inner = iterator
        default: throw HostError("enumerate: a \(base.typeName) has no items to go through")
        }
        return CountingIterator(inner, start: start)
    }
}

private final class CountingIterator: ValueIterator {
    private let inner: any ValueIterator
    private var count: Int

    init(_ inner: any ValueIterator, start: Int) {
        self.inner = inner
        count = start
    }

    func next() throws(HostError) -> Value? {
        guard let item = try inner.next() else { return nil }
        defer { count += 1 }
        return try LanguageFunctions.checkedTuple([.number(Double(count)), item])
    }
}
