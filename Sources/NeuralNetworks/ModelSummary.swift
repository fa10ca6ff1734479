import TensorEngine

/// What `show model` reports: each layer's output shape, parameters and FLOPs per example.
public struct ModelSummary: Sendable {
    /// One row per top-level layer.
    public struct Row: Sendable {
        /// The layer as typed, e.g. `conv2d(1, 16, 3, padding: 1)`.
        public var layer: String
        /// The builder name, e.g. `conv2d`.
        public var kind: String
        /// Per-example output shape, when the input shape is known.
        public var outputShape: Shape?
        /// Trainable scalars.
        public var parameters: Int
        /// Forward FLOPs per example (0 when the input shape is unknown).
        public var flops: Int
    }

    /// The rows, in order.
    public var rows: [Row]
    /// The per-example input shape, if known.
    public var inputShape: Shape?
    /// Total trainable scalars.
    public var totalParameters: Int { rows.reduce(0) { $0 + $1.parameters } }
    /// Total forward FLOPs per example.
    public var totalFLOPs: Int { rows.reduce(0) { $0 + $1.flops } }

    /// Summarises a model; shapes and FLOPs need `inputShape` (or the model's own).
    public init(_ model: Sequential, inputShape: Shape? = nil) throws(ModelError) {
        let input = inputShape ?? model.inputShape
        let shapes = try input.map { (shape) throws(ModelError) in try model.layerOutputShapes(for: shape) }
        let inputs = input.map { [$0] + (shapes ?? []).dropLast() }
        rows = model.layers.enumerated().map { index, layer in
            Row(layer: layer.description, kind: layer.kind, outputShape: shapes?[index], parameters: layer.parameterCount,
                flops: inputs.map { layer.forwardFLOPs(for: $0[index]) } ?? 0)
        }
        self.inputShape = input
    }
}
