import Diagnostics
import Language
import TensorEngine

/// The one registry of every function, layer, preset, dataset and command of the language
/// (DESIGN.md §3): signature, one-line doc and implementation, bridging Language to the engine.
public enum Builtins {
    /// A registry with everything registered.
    public static func makeRegistry() -> Registry {
        let registry = Registry()
        registry.engine = EngineBridge()
        registry.instanceSupport = ModuleSupport.shared
        registry.autogradFunctions = AutogradFunctionRunner.shared
        registerTensorFunctions(in: registry)
        registerVocabulary(in: registry)
        registerLayers(in: registry)
        registerPresets(in: registry)
        registerDatasets(in: registry)
        registerCommands(in: registry)
        registerLanguageModelCommands(in: registry)
        registerLessons(in: registry)
        registerLoopFunctions(in: registry)
        registerMemoryFunctions(in: registry)
        return registry
    }

    /// Registers a function whose body may throw engine errors (converted to `HostError`).
    static func register(
        _ registry: Registry, _ name: String, kind: Signature.Kind = .function, parameters: [Signature.Parameter] = [],
        variadic: String? = nil, _ documentation: String, _ body: @escaping @Sendable (Arguments) throws -> Value
    ) {
        registry.register(Callable(name, kind: kind, parameters: parameters, variadic: variadic, documentation: documentation) { arguments in
            try hosted { try body(arguments) }
        })
    }

    /// A required tensor argument.
    static func tensor(_ arguments: Arguments, _ name: String) throws -> Tensor {
        try arguments.object(name, as: TensorObject.self, expected: "a tensor").tensor
    }

    /// The `axis` argument as an axes list (nil: all axes).
    static func axes(_ arguments: Arguments) throws -> [Int]? {
        try arguments.optionalInteger("axis").map { [$0] }
    }

    /// A shape from variadic sizes (`zeros(2, 3)`) or one list (`zeros([2, 3])`).
    static func shape(from arguments: Arguments) throws -> [Int] {
        if arguments.rest.count == 1, case .list(let list) = arguments.rest[0] {
            return try list.items.enumerated().map { index, item in
                guard case .number(let number) = item else {
                    throw HostError("\(arguments.functionName): size \(index + 1) must be a number, got \(item.typeName)", argument: "#0")
                }
                return try Arguments.wholeNumberValue(number, "size")
            }
        }
        return try arguments.restIntegers()
    }

    /// An optional whole number (slice bounds).
    static func optionalInteger(_ value: Value?, _ what: String) throws(HostError) -> Int? {
        guard let value else { return nil }
        switch value {
        case .none: return nil
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: return Int(number)
        default: throw HostError("\(what) must be a whole number, got \(value.typeName) \(value.quotedDescription)")
        }
    }

    /// How deep `tensor(…)` reads nested lists: one axis per level, as torch.tensor's limit of 32.
    static let maximumAxes = 32

    /// Nested lists of numbers as the engine's input form.
    static func nested(_ value: Value, path: String = "", depth: Int = 0) throws -> NestedScalars {
        switch value {
        case .number(let number): return .scalar(Float(number))
        case .bool(let flag): return .scalar(flag ? 1 : 0)
        case .list, .tuple:
            guard depth < maximumAxes else {
                throw HostError("tensor: the values are lists nested more than \(maximumAxes) deep, and each level is an axis",
                                hint: "a tensor has at most \(maximumAxes) axes (as in PyTorch)", argument: "values")
            }
            return .list(try value.items!.enumerated().map { try nested($1, path: path + "[\($0)]", depth: depth + 1) })
        case .object(let object as TensorObject) where object.tensor.rank == 0: return .scalar(try object.tensor.item())
        default:
            throw HostError("tensor: element\(path.isEmpty ? "" : " " + path) is a \(value.typeName), not a number", argument: "values")
        }
    }
}

extension Arguments {
    /// A whole number from a plain value.
    static func wholeNumberValue(_ value: Double, _ name: String) throws(HostError) -> Int {
        try wholeNumber(value, name, minimum: Int.min, function: name)
    }
}
