import TensorEngine

/// Max pooling over [channels, height, width] images with a square window (`torch.nn.MaxPool2d`).
public final class MaxPool2d: StatelessLayer {
    public let size: Int
    public let stride: Int

    /// Pools `size`×`size` windows, stepping by `stride` (default: the window size).
    public init(size: Int, stride: Int? = nil) throws(ModelError) {
        try Initialization.requirePositive(size, "size", of: "maxpool")
        try Initialization.requirePositive(stride ?? size, "stride", of: "maxpool")
        self.size = size
        self.stride = stride ?? size
    }

    public var kind: String { "maxpool" }
    public var specification: LayerSpecification { .maxPool2d(size: size, stride: stride) }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.maxPool2d(kernel: size, stride: stride)
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        guard input.rank == 3 else {
            throw ModelError("\(self) expects images [channels, height, width], but receives shape \(input.compactDescription)")
        }
        do {
            return Shape(Array(try ShapeRules.maxPool2d(Shape([1] + input.dimensions), kernel: size, stride: stride).dimensions.dropFirst()))
        } catch {
            throw ModelError(error)
        }
    }

    public func forwardFLOPs(for input: Shape) -> Int {
        ((try? outputShape(for: input))?.elementCount ?? 0) * size * size
    }
}
