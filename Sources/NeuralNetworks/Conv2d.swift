import TensorEngine

/// 2-D convolution over [channels, height, width] images (`torch.nn.Conv2d`, square kernel).
public final class Conv2d: Layer {
    public let inChannels, outChannels, kernelSize, stride, padding: Int
    /// [out, in, k, k], initialised U(−1/√(in·k·k), 1/√(in·k·k)).
    public let weight: Tensor
    /// [out], same bound as the weight.
    public let bias: Tensor
    public var isTraining = true

    /// A convolution with PyTorch's default initialisation.
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0) throws(ModelError) {
        for (value, name) in [(inChannels, "input channels"), (outChannels, "output channels"), (kernelSize, "kernel size"), (stride, "stride")] {
            try Initialization.requirePositive(value, name, of: "conv2d")
        }
        guard padding >= 0 else { throw ModelError("conv2d: padding must be 0 or more, got \(padding)") }
        (self.inChannels, self.outChannels, self.kernelSize, self.stride, self.padding) =
            (inChannels, outChannels, kernelSize, stride, padding)
        let fanIn = inChannels * kernelSize * kernelSize
        weight = try Initialization.uniform([outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn)
        bias = try Initialization.uniform([outChannels], fanIn: fanIn)
    }

    public var kind: String { "conv2d" }
    public var specification: LayerSpecification {
        .conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride, padding: padding)
    }
    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.conv2d(weight: weight, bias: bias, stride: stride, padding: padding)
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        guard input.rank == 3 else {
            throw ModelError("\(self) expects images [channels, height, width], but receives shape \(input.compactDescription)",
                             hint: input.rank == 1 ? "conv2d cannot follow flatten or linear" : nil)
        }
        guard input[0] == inChannels else {
            throw ModelError("\(self) expects \(inChannels) input channels, but receives \(input[0]) (shape \(input.compactDescription))",
                             hint: "make it conv2d(\(input[0]), \(outChannels), \(kernelSize), …)")
        }
        do {
            let full = try ShapeRules.conv2d(input: Shape([1] + input.dimensions), weight: weight.shape, bias: bias.shape,
                                             stride: stride, padding: padding)
            return Shape(Array(full.dimensions.dropFirst()))
        } catch {
            throw ModelError(error)
        }
    }

    public func forwardFLOPs(for input: Shape) -> Int {
        guard let output = try? outputShape(for: input) else { return 0 }
        return output.elementCount * (2 * inChannels * kernelSize * kernelSize + 1)
    }
}
