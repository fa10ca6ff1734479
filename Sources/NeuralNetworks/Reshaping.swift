import TensorEngine

/// Flattens each example to one axis (`torch.nn.Flatten`).
public final class Flatten: StatelessLayer {
    /// A flatten layer.
    public init() {}
    public var kind: String { "flatten" }
    public var specification: LayerSpecification { .flatten }
    /// [N, …] to [N, product of the rest], written out: a -1 could not be inferred for an empty batch.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.reshaped([input.shape[0], input.shape.dimensions.dropFirst().reduce(1, *)])
    }
    public func outputShape(for input: Shape) throws(ModelError) -> Shape { [input.elementCount] }
    public func forwardFLOPs(for input: Shape) -> Int { 0 }
}

/// Keeps the last step of a [steps, features] sequence (PyTorch's `output[:, -1, :]`).
public final class LastTimeStep: StatelessLayer {
    /// A last-step selector.
    public init() {}
    public var kind: String { "last_step" }
    public var specification: LayerSpecification { .lastTimeStep }
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try input.select(axis: 1, index: -1) }
    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        guard input.rank == 2, input[0] > 0 else {
            throw ModelError("last_step expects a sequence [steps, features], but receives shape \(input.compactDescription)",
                             hint: "put it right after lstm")
        }
        return [input[1]]
    }
    public func forwardFLOPs(for input: Shape) -> Int { 0 }
}
