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
    }
}
