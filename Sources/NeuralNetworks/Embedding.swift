import TensorEngine

/// A lookup table of learned vectors for token ids (`torch.nn.Embedding`): [steps] → [steps, dimension].
public final class Embedding: Layer {
    public let vocabularySize: Int
    public let dimension: Int
    /// [vocabularySize, dimension], initialised N(0, 1).
    public let weight: Tensor
    public var isTraining = true

    /// An embedding with PyTorch's default initialisation.
    public init(vocabularySize: Int, dimension: Int) throws(ModelError) {
        try Initialization.requirePositive(vocabularySize, "vocabulary size", of: "embedding")
        try Initialization.requirePositive(dimension, "dimension", of: "embedding")
        self.vocabularySize = vocabularySize
        self.dimension = dimension
        weight = try Initialization.standardNormal([vocabularySize, dimension])
    }

    public var kind: String { "embedding" }
    public var specification: LayerSpecification { .embedding(vocabularySize: vocabularySize, dimension: dimension) }
    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try weight.embeddingLookup(input)
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        Shape(input.dimensions + [dimension])
    }

    public func forwardFLOPs(for input: Shape) -> Int { 0 }
}
