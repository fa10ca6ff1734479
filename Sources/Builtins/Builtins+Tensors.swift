import Language
import TensorEngine

extension Builtins {
    /// `grad: true`, or PyTorch's `requires_grad=True`, on the functions that make a tensor.
    private static let gradParameters: [Signature.Parameter] = [
        .init("grad", default: .bool(false), namedOnly: true), .init("requires_grad", default: .bool(false), namedOnly: true),
    ]

    /// `tensor` as a value, tracking gradients when either spelling asked for it.
    private static func tracked(_ tensor: Tensor, _ arguments: Arguments) throws -> Value {
        tensor.requiresGrad = try arguments.number("grad") != 0 || arguments.number("requires_grad") != 0
        return TensorObject.value(tensor)
    }

    /// `sum(xs)`: numbers added to a number; tensors (and numbers with them) to a tensor.
    static func sumOfItems(_ items: [Value]) throws -> Value {
        var number = 0.0
        var total: Tensor?
        for item in items {
            switch item {
            case .number(let value): number += value
            case .bool(let flag): number += flag ? 1 : 0
            case .object(let object as TensorObject): total = try total.map { try $0 + object.tensor } ?? object.tensor
            default: throw HostError("sum adds numbers or tensors, got a \(item.typeName) \(item.shortDescription)", argument: "x")
            }
        }
        guard let total else { return .number(number) }
        return TensorObject.value(number == 0 ? total : total + Float(number))
    }

    /// Python's max/min: of a list or tuple of numbers (or strings), or of two numbers; nil when
    /// `x` is a tensor (the tensor reduction then applies).
    static func extreme(_ arguments: Arguments, largest: Bool, second: String = "axis") throws -> Value? {
        var items: [Value]
        switch (arguments.value("x")!, arguments.value(second) ?? .none) {
        case (.number(let a), .number(let b)): items = [.number(a), .number(b)]
        case (let list, .none) where list.items != nil: items = list.items!
        default: return nil
        }
        guard !items.isEmpty else { throw HostError("\(largest ? "max" : "min") of an empty list", argument: "x") }
        if items.allSatisfy({ if case .number = $0 { true } else { false } }) {
            let numbers = items.compactMap { item -> Double? in if case .number(let n) = item { n } else { nil } }
            return .number(largest ? numbers.max()! : numbers.min()!)
        }
        if items.allSatisfy({ if case .string = $0 { true } else { false } }) {
            let texts = items.compactMap { item -> String? in if case .string(let t) = item { t } else { nil } }
            return .string(largest ? texts.max()! : texts.min()!)
        }
        throw HostError("\(largest ? "max" : "min") compares numbers or strings, not a mixture of \(Set(items.map(\.typeName)).sorted().joined(separator: " and "))",
                        argument: "x")
    }

    static func registerTensorFunctions(in registry: Registry) {
        register(registry, "tensor", parameters: [.init("values")] + gradParameters,
                 "A tensor from a number or nested lists: tensor([[1, 2], [3, 4]]); grad: true (or requires_grad=True) tracks gradients.") { arguments in
            try tracked(try Tensor(nested: try nested(arguments.value("values")!)), arguments)
        }
        let shapeDoc = "sizes, e.g. (2, 3) or ([2, 3]); grad: true (or requires_grad=True) tracks gradients"
        register(registry, "zeros", parameters: gradParameters, variadic: "sizes", "A tensor of zeros; \(shapeDoc).") {
            try tracked(try Tensor.zeros(validating: try shape(from: $0)), $0)
        }
        register(registry, "ones", parameters: gradParameters, variadic: "sizes", "A tensor of ones; \(shapeDoc).") {
            try tracked(try Tensor.ones(validating: try shape(from: $0)), $0)
        }
        register(registry, "full", parameters: [.init("size"), .init("fill_value")] + gradParameters,
                 "A tensor of one value: full([2, 3], 0.5); full((), 0.3) is a single number (0-d), as torch.full.") { arguments in
            let sizes = try (arguments.value("size")!.items ?? [arguments.value("size")!]).map { item throws(HostError) in
                guard case .number(let number) = item else {
                    throw HostError("full: the size is a list of whole numbers, got \(item.typeName)", hint: "full([2, 3], 0.5)", argument: "size")
                }
                return try Arguments.wholeNumberValue(number, "size")
            }
            let value = Float(try arguments.number("fill_value"))
            return try tracked(try Tensor.full(try Shape.validated(sizes, for: "full"), value: value), arguments)
        }
        register(registry, "randn", parameters: gradParameters, variadic: "sizes", "Standard normal samples (repeatable after seed N); \(shapeDoc).") {
            try tracked(try Tensor.randn(Shape(try shape(from: $0))), $0)
        }
        register(registry, "rand", parameters: gradParameters, variadic: "sizes", "Uniform samples in [0, 1); \(shapeDoc).") {
            try tracked(try Tensor.rand(Shape(try shape(from: $0))), $0)
        }
        register(registry, "randint", parameters: [.init("low"), .init("high"), .init("shape")],
                 "Whole numbers uniform in [low, high), e.g. randint(0, 2, [1000, 1]).") { arguments in
            let sizes: [Int]
            switch arguments.value("shape")! {
            case .number(let count): sizes = [try Arguments.wholeNumberValue(count, "shape")]
            case .list(let list): sizes = try list.items.map { item in
                guard case .number(let number) = item else { throw arguments.mismatch("shape", expected: "a list of sizes", got: item) }
                return try Arguments.wholeNumberValue(number, "shape")
            }
            case let other: throw arguments.mismatch("shape", expected: "a list of sizes", got: other)
            }
            return TensorObject.value(try Tensor.randint(try arguments.integer("low"), try arguments.integer("high"), Shape(sizes)))
        }
        register(registry, "arange", parameters: [.init("start"), .init("end", default: .none), .init("step", default: .number(1))],
                 "start, start + step, … below end; arange(5) is 0…4.") { arguments in
            let first = try arguments.number("start")
            let (start, end) = try arguments.optionalNumber("end").map { (first, $0) } ?? (0, first)
            return TensorObject.value(try Tensor.arange(Float(start), Float(end), step: Float(try arguments.number("step"))))
        }
        register(registry, "eye", parameters: [.init("n"), .init("m", default: .none)], "The identity matrix (n×n, or n×m).") { arguments in
            TensorObject.value(try Tensor.eye(try arguments.integer("n"), try arguments.optionalInteger("m")))
        }
        register(registry, "causal_mask", parameters: [.init("n")],
                 "n×n: 0 on and below the diagonal, −inf above; added to attention scores, it hides later positions.") { arguments in
            TensorObject.value(try Tensor.causalMask(try arguments.integer("n", minimum: 1)))
        }
        registerMath(in: registry)
    }

    private static func registerMath(in registry: Registry) {
        for operation in TensorOperation.all { registry.register(operation.callable()) }
        register(registry, "matmul", parameters: [.init("a"), .init("b")], "Matrix product, the same as a @ b.") {
            TensorObject.value(try tensor($0, "a").matmul(try tensor($0, "b")))
        }
    }
}
