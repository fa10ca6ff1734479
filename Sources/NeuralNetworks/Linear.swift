import TensorEngine

/// y = x·Wᵀ + b over the last axis (`torch.nn.Linear`); W is [out, in].
public final class Linear: Layer {
    public let inputSize: Int
    public let outputSize: Int
    /// [outputSize, inputSize], initialised U(−1/√in, 1/√in).
    public let weight: Tensor
    /// [outputSize], initialised U(−1/√in, 1/√in), or nil without bias.
    public let bias: Tensor?
    public var isTraining = true

    /// A fully connected layer with PyTorch's default initialisation.
    public init(inputSize: Int, outputSize: Int, bias: Bool = true) throws(ModelError) {
        try Initialization.requirePositive(inputSize, "input size", of: "linear")
        try Initialization.requirePositive(outputSize, "output size", of: "linear")
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = try Initialization.uniform([outputSize, inputSize], fanIn: inputSize)
        self.bias = bias ? try Initialization.uniform([outputSize], fanIn: inputSize) : nil
    }

    public var kind: String { "linear" }
    public var specification: LayerSpecification { .linear(inputSize: inputSize, outputSize: outputSize, bias: bias != nil) }
    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.linear(weight: weight, bias: bias)
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        guard let features = input.dimensions.last, features == inputSize else {
            let got = input.dimensions.last.map { "\($0)" } ?? "a scalar"
            throw ModelError(
                "\(self) expects \(inputSize) input features, but receives \(got)\(input.rank > 1 ? " (shape \(input.compactDescription))" : "")",
                hint: input.rank > 1 ? "add flatten before it"
                    : input.dimensions.last == 0 ? "the data has no features: each example is empty"
                    : "make it linear(\(input.dimensions.last ?? 1), \(outputSize))")
        }
        return Shape(input.dimensions.dropLast() + [outputSize])
    }

    public func forwardFLOPs(for input: Shape) -> Int {
        let rows = input.elementCount / max(inputSize, 1)
        return rows * outputSize * (2 * inputSize + (bias == nil ? 0 : 1))
    }
}
