import TensorEngine

/// A building block of a model: a function of a batched input tensor with explicit parameters.
/// Shapes in `outputShape` and `forwardFLOPs` are per example (no batch axis).
public protocol Layer: AnyObject, CustomStringConvertible {
    /// The builder name users type, e.g. "linear" or "conv2d".
    var kind: String { get }
    /// Trainable tensors with PyTorch's names ("weight", "bias", …), in PyTorch's order.
    var namedParameters: [(name: String, tensor: Tensor)] { get }
    /// How to rebuild this layer (for saving and for messages).
    var specification: LayerSpecification { get }
    /// Training mode (dropout active) or evaluation mode.
    var isTraining: Bool { get set }
    /// Applies the layer to a batch.
    func callAsFunction(_ input: Tensor) throws -> Tensor
    /// The per-example output shape for a per-example input shape, or why the input does not fit.
    func outputShape(for input: Shape) throws(ModelError) -> Shape
    /// Floating-point operations of the forward pass for one example (a multiply-add counts 2).
    func forwardFLOPs(for input: Shape) -> Int
}

extension Layer {
    /// The layer as it would be typed, e.g. `linear(3136, 120)`.
    public var description: String { specification.description }
    /// The trainable tensors.
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }
    /// Total number of trainable scalars.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.tensor.elementCount } }
}

/// Layers without parameters or modes share these defaults.
public protocol StatelessLayer: Layer {}

extension StatelessLayer {
    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
    public var isTraining: Bool {
        get { false }
        set {}
    }
}

/// Layers whose forward cost is about one operation per output element share this default.
public protocol ElementwiseLayer: StatelessLayer {}

extension ElementwiseLayer {
    public func outputShape(for input: Shape) throws(ModelError) -> Shape { input }
    public func forwardFLOPs(for input: Shape) -> Int { input.elementCount }
}

/// A layer whose forward is code that calls parts of its own (a model written as a class): it
/// can run once reporting each part it called, in order, for `step`'s narration.
public protocol PartTracingLayer: Layer {
    /// The output, and each part called on the way with its name and output.
    func forwardTracingParts(_ input: Tensor) throws -> (output: Tensor, parts: [TracedPart])
}

/// One call of a part during a traced forward.
public struct TracedPart {
    /// Its name in the model (`fc`, `blocks.0.fc`), as in the `state_dict`.
    public let name: String
    public let layer: any Layer
    public let output: Tensor

    public init(name: String, layer: any Layer, output: Tensor) {
        (self.name, self.layer, self.output) = (name, layer, output)
    }
}
