import TensorEngine

/// max(x, 0) elementwise.
public final class ReLU: ElementwiseLayer {
    /// A ReLU layer.
    public init() {}
    public var kind: String { "relu" }
    public var specification: LayerSpecification { .relu }
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.relu() }
}

/// 1 / (1 + e⁻ˣ) elementwise.
public final class Sigmoid: ElementwiseLayer {
    /// A sigmoid layer.
    public init() {}
    public var kind: String { "sigmoid" }
    public var specification: LayerSpecification { .sigmoid }
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.sigmoid() }
}

/// tanh x elementwise.
public final class Tanh: ElementwiseLayer {
    /// A tanh layer.
    public init() {}
    public var kind: String { "tanh" }
    public var specification: LayerSpecification { .tanh }
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.tanh() }
}

/// softmax over the last axis.
public final class Softmax: ElementwiseLayer {
    /// A softmax layer.
    public init() {}
    public var kind: String { "softmax" }
    public var specification: LayerSpecification { .softmax }
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try input.softmax(axis: -1) }
}

/// Zeroes elements with probability p while training and rescales the rest by 1/(1 − p);
/// the identity in evaluation mode (`torch.nn.Dropout`).
public final class Dropout: ElementwiseLayer {
    public let probability: Float
    public var isTraining = true

    /// A dropout layer; p must be in [0, 1).
    public init(probability: Float) throws(ModelError) {
        guard probability >= 0 && probability < 1 else {
            throw ModelError("dropout: probability must be in [0, 1), got \(probability)")
        }
        self.probability = probability
    }

    public var kind: String { "dropout" }
    public var specification: LayerSpecification { .dropout(probability: probability) }
    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        isTraining ? try input.dropout(probability: probability) : input
    }
}
