import Foundation
import Language
import NeuralNetworks
import TensorEngine

/// One operation on a tensor, written once: it becomes the function `name(x, …)` and the tensor
/// method `x.name(…)` with the same parameters and doc, and — for an activation — the layer a
/// bare `name` stands for in `sequential`. Elementwise ones also take a plain number.
struct TensorOperation: Sendable {
    let name: String
    let documentation: String
    /// The parameters after the tensor.
    let parameters: [Signature.Parameter]
    let apply: @Sendable (Tensor, Arguments) throws -> Tensor
    /// The layer written bare (`sequential(linear(2, 4), relu)`); nil for a plain operation.
    var layer: (@Sendable () -> any Layer)? = nil
    /// Whether `name(3.0)` gives a number (elementwise operations).
    var takesNumbers = false
    /// Whether the result holds indices (printed as PyTorch's int64 tensors).
    var givesIndices = false
    /// A Python form of the function tried first (`sum([1, 2])`, `max(a, b)`); nil to go on.
    var pythonForm: (@Sendable (Arguments) throws -> Value?)? = nil

    /// The signature of the free function: the tensor first (optional for a layer).
    var functionParameters: [Signature.Parameter] {
        [layer == nil ? .init("x") : .init("x", default: .none)] + parameters
    }
}

extension TensorOperation {
    /// An elementwise function of one tensor (or number) and nothing else.
    static func elementwise(_ name: String, _ documentation: String, layer: (@Sendable () -> any Layer)? = nil,
                            _ body: @escaping @Sendable (Tensor) throws -> Tensor) -> TensorOperation {
        TensorOperation(name: name, documentation: documentation, parameters: [], apply: { tensor, _ in try body(tensor) },
                        layer: layer, takesNumbers: true)
    }

    /// A reduction over all elements or one axis (`dim:` as PyTorch), keeping it if `keepdim: true`.
    static func reduction(_ name: String, _ documentation: String, pythonForm: (@Sendable (Arguments) throws -> Value?)? = nil,
                          _ body: @escaping @Sendable (Tensor, [Int]?, Bool) throws -> Tensor) -> TensorOperation {
        TensorOperation(name: name, documentation: documentation, parameters: [axisParameter, keepdimParameter],
                        apply: { tensor, arguments in try body(tensor, try Builtins.axes(arguments), try arguments.flag("keepdim")) },
                        pythonForm: pythonForm)
    }

    /// `axis: none` (all axes), also spelled `dim:`.
    static let axisParameter = Signature.Parameter("axis", default: .none, aliases: ["dim"])
    /// `keepdim: false`, also spelled `keepdims:` (NumPy's spelling, which PyTorch accepts).
    static let keepdimParameter = Signature.Parameter("keepdim", default: .bool(false), namedOnly: true, aliases: ["keepdims"])

    /// Every operation, in `help` order.
    static let all: [TensorOperation] = elementwiseOperations + activations + reductions + shapeOperations

    private static let elementwiseOperations: [TensorOperation] = [
        .elementwise("exp", "eˣ elementwise.") { $0.exp() },
        .elementwise("log", "Natural logarithm elementwise.") { $0.log() },
        .elementwise("sqrt", "Square root elementwise.") { $0.sqrt() },
        .elementwise("abs", "Absolute value elementwise.") { $0.abs() },
        .elementwise("sin", "sin x elementwise (radians).") { $0.sin() },
        .elementwise("cos", "cos x elementwise (radians).") { $0.cos() },
        TensorOperation(name: "pow", documentation: "xʸ elementwise, the same as x ** y (y a number or a tensor that broadcasts).",
                        parameters: [.init("exponent")], apply: { tensor, arguments in
                            try tensor.pow(try Builtins.operand(arguments, "exponent"))
                        }, pythonForm: { arguments in
                            guard case .number(let base)? = arguments.value("x"), case .number(let exponent)? = arguments.value("exponent") else { return nil }
                            return .number(Foundation.pow(base, exponent))
                        }),
        TensorOperation(name: "clamp", documentation: "The values limited to [min, max] (either may be none), as torch.clamp.",
                        parameters: [.init("min", default: .none), .init("max", default: .none)], apply: { tensor, arguments in
                            let (low, high) = (try arguments.optionalNumber("min"), try arguments.optionalNumber("max"))
                            guard low != nil || high != nil else { throw HostError("clamp needs min:, max: or both", argument: "min") }
                            return try tensor.clamped(low: low.map(Float.init), high: high.map(Float.init))
                        }),
    ]

    private static let activations: [TensorOperation] = [
        .elementwise("relu", "max(x, 0); bare relu is a layer in sequential.", layer: { ReLU() }) { $0.relu() },
        .elementwise("sigmoid", "1 / (1 + e⁻ˣ); bare sigmoid is a layer.", layer: { Sigmoid() }) { $0.sigmoid() },
        .elementwise("tanh", "tanh x; bare tanh is a layer.", layer: { Tanh() }) { $0.tanh() },
        .elementwise("gelu", "x · Φ(x), the smooth ReLU of Transformers; bare gelu is a layer.", layer: { GELU() }) { $0.gelu() },
        TensorOperation(name: "softmax", documentation: "softmax over an axis (the last by default); bare softmax is a layer.",
                        parameters: [.init("axis", default: .number(-1), aliases: ["dim"])],
                        apply: { tensor, arguments in try tensor.softmax(axis: try arguments.integer("axis")) }, layer: { Softmax() }),
    ]

    private static let reductions: [TensorOperation] = [
        .reduction("sum", "Sum of all elements, or over one axis; of a list, its items added (numbers or tensors).",
                   pythonForm: { arguments in try arguments.value("x")?.items.map { try Builtins.sumOfItems($0) } }) {
            try $0.sum(axes: $1, keepingDimensions: $2)
        },
        .reduction("mean", "Mean of all elements, or over one axis.") { try $0.mean(axes: $1, keepingDimensions: $2) },
        .reduction("max", "Largest element, or largest along one axis; of a list or two numbers, the largest (Python's max).",
                   pythonForm: { try Builtins.extreme($0, largest: true) }) { try $0.max(axes: $1, keepingDimensions: $2) },
        .reduction("min", "Smallest element, or smallest along one axis; of a list or two numbers, the smallest (Python's min).",
                   pythonForm: { try Builtins.extreme($0, largest: false) }) { try $0.min(axes: $1, keepingDimensions: $2) },
        .reduction("argmax", "Index of the largest element (along an axis).") { try $0.argmax(axis: try single($1), keepingDimensions: $2) }.indices,
        .reduction("argmin", "Index of the smallest element (along an axis).") { try $0.argmin(axis: try single($1), keepingDimensions: $2) }.indices,
    ]

    private static let shapeOperations: [TensorOperation] = [
        TensorOperation(name: "unsqueeze", documentation: "The tensor with a new axis of size 1 at axis (dim).",
                        parameters: [.init("axis", aliases: ["dim"])],
                        apply: { tensor, arguments in try tensor.unsqueezed(axis: try arguments.integer("axis")) }),
        TensorOperation(name: "squeeze", documentation: "The tensor without its axes of size 1 (or only axis, if it has size 1).",
                        parameters: [axisParameter],
                        apply: { tensor, arguments in try tensor.squeezed(axis: try arguments.optionalInteger("axis")) }),
        TensorOperation(name: "long", documentation: "The values rounded toward zero, as x.long() makes indices (tensors stay float32 here).",
                        parameters: [], apply: { tensor, _ in tensor.truncated() }, givesIndices: true),
    ]

    /// The same operation, giving indices.
    private var indices: TensorOperation {
        var copy = self
        copy.givesIndices = true
        return copy
    }

    private static func single(_ axes: [Int]?) throws -> Int? { axes?.first }

    /// The operations by name.
    static let byName: [String: TensorOperation] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    private func wrap(_ result: Tensor) -> Value { givesIndices ? TensorObject.integral(result) : TensorObject.value(result) }

    /// The free function of this operation.
    func callable() -> Callable {
        let operation = self
        return Callable(name, kind: layer == nil ? .function : .layer, parameters: functionParameters, documentation: documentation) { arguments in
            try hosted {
                if let form = operation.pythonForm, let value = try form(arguments) { return value }
                if let layer = operation.layer, arguments["x"] == nil { return .object(LayerObject(layer())) }
                if operation.takesNumbers, case .number(let number)? = arguments.value("x") {
                    return .number(Double(try operation.apply(Tensor(Float(number)), arguments).item()))
                }
                return operation.wrap(try operation.apply(try Builtins.tensor(arguments, "x"), arguments))
            }
        }
    }

    /// The tensor method of this operation.
    func method() -> HostMethod {
        let operation = self
        return HostMethod(name, on: TensorObject.self, parameters: parameters, documentation: documentation) { object, arguments in
            operation.wrap(try hosted { try operation.apply(object.tensor, arguments) })
        }
    }
}

extension Arguments {
    /// A true/false argument.
    func flag(_ name: String) throws(HostError) -> Bool {
        switch value(name) ?? .none {
        case .bool(let flag): return flag
        case let other: throw mismatch(name, expected: "true or false", got: other)
        }
    }
}
