import TensorEngine

/// Layers applied in order (`torch.nn.Sequential`). Knows every layer's output shape as soon as
/// the input shape is known, so a layer that does not fit is an error before any data flows.
public final class Sequential: Layer {
    /// The layers, in order.
    public let layers: [any Layer]
    /// The per-example input shape, once known (given, or taken from the first data).
    public private(set) var inputShape: Shape?

    /// Whether this wraps one module whose parameter names are the model's own (a class
    /// model: `fc.weight`, as its `state_dict` names it, not `0.fc.weight`).
    public let wrapsModule: Bool

    /// A sequential model; with `inputShape` its shapes are checked now.
    public init(_ layers: [any Layer], inputShape: Shape? = nil) throws(ModelError) {
        guard !layers.isEmpty else { throw ModelError("sequential: needs at least one layer") }
        self.layers = layers
        wrapsModule = false
        if let inputShape { try build(for: inputShape) }
    }

    /// One module as a model (a class written in the language), so training, evaluation and
    /// saving take it as they take a sequential; its parameters keep their own names.
    public init(module: any Layer) {
        layers = [module]
        wrapsModule = true
    }

    public var kind: String { "sequential" }
    public var specification: LayerSpecification {
        wrapsModule ? layers[0].specification : .sequential(layers: layers.map(\.specification), inputShape: inputShape?.dimensions)
    }
    public var isTraining: Bool {
        get { layers.contains { $0.isTraining } }
        set { for index in layers.indices { layers[index].isTraining = newValue } }
    }

    /// Parameters named as PyTorch names them in an `nn.Sequential`: "0.weight", "0.bias", …
    public var namedParameters: [(name: String, tensor: Tensor)] {
        if wrapsModule { return layers[0].namedParameters }
        return layers.enumerated().flatMap { index, layer in
            layer.namedParameters.map { ("\(index).\($0.name)", $0.tensor) }
        }
    }

    /// Checks the layers against a per-example input shape and remembers it.
    public func build(for input: Shape) throws(ModelError) {
        _ = try layerOutputShapes(for: input)
        inputShape = input
    }

    /// Each layer's per-example output shape for this input, or the first layer that does not fit.
    public func layerOutputShapes(for input: Shape) throws(ModelError) -> [Shape] {
        var shapes: [Shape] = []
        var current = input
        for (index, layer) in layers.enumerated() {
            do {
                current = try layer.outputShape(for: current)
            } catch {
                let beforePrevious = index >= 2 ? shapes[index - 2] : input
                throw located(error, at: index, input: current, beforePrevious: beforePrevious)
            }
            shapes.append(current)
        }
        return shapes
    }

    /// Prefixes a layer's error with its position and, after a flatten, what the flatten was given.
    private func located(_ error: ModelError, at index: Int, input: Shape, beforePrevious: Shape) -> ModelError {
        if wrapsModule || error.cause != nil { return error }
        var message = "layer \(index + 1), \(error.message)"
        if index > 0, layers[index - 1] is Flatten {
            message += " (flatten turned \(beforePrevious.compactDescription) into \(input.elementCount))"
        }
        return ModelError(message, hint: error.hint, layerIndex: error.layerIndex ?? index)
    }

    /// Runs the batch through every layer. A new per-example input shape is checked first, so a
    /// misfit is reported with the layer's position rather than as a failed multiplication.
    /// A ReLU followed by a max-pool runs as one pass (`rectifiedMaxPool2d`: the same values and
    /// gradients); `forwardRecordingActivations` keeps every layer's own output.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let example = Shape(Array(input.shape.dimensions.dropFirst()))
        if inputShape != example { try build(for: example) }
        var current = input
        var index = 0
        while index < layers.count {
            let layer = layers[index]
            do {
                if layer is ReLU, index + 1 < layers.count, let pool = layers[index + 1] as? MaxPool2d {
                    index += 1
                    current = try current.rectifiedMaxPool2d(kernel: pool.size, stride: pool.stride)
                } else {
                    current = try layer(current)
                }
            } catch let error as TensorError {
                throw ModelError("layer \(index + 1) (\(layers[index])): \(error.message)", hint: error.hint, layerIndex: index)
            }
            index += 1
        }
        return current
    }

    /// Runs the batch and also returns every layer's output (for teaching and gradient checks).
    public func forwardRecordingActivations(_ input: Tensor) throws -> [Tensor] {
        var outputs: [Tensor] = []
        var current = input
        for layer in layers {
            current = try layer(current)
            outputs.append(current)
        }
        return outputs
    }

    public func outputShape(for input: Shape) throws(ModelError) -> Shape {
        try layerOutputShapes(for: input).last ?? input
    }

    public func forwardFLOPs(for input: Shape) -> Int {
        guard let shapes = try? layerOutputShapes(for: input) else { return 0 }
        return zip(layers, [input] + shapes.dropLast()).reduce(0) { $0 + $1.0.forwardFLOPs(for: $1.1) }
    }
}
