import TensorEngine

/// PyTorch's default initialisers, drawing from the global generator (so `seed` fixes them).
enum Initialization {
    /// U(−1/√fanIn, 1/√fanIn): `nn.Linear` and `nn.Conv2d` weights and biases (kaiming_uniform with
    /// a = √5 reduces to this bound), and every LSTM tensor with fanIn = hidden size.
    static func uniform(_ shape: Shape, fanIn: Int) throws(ModelError) -> Tensor {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return try parameter(shape) { () throws(TensorError) in try Tensor.rand(shape, low: -bound, high: bound) }
    }

    /// N(0, 1): `nn.Embedding` weights.
    static func standardNormal(_ shape: Shape) throws(ModelError) -> Tensor {
        try parameter(shape) { () throws(TensorError) in try Tensor.randn(shape) }
    }

    /// N(0, σ²): GPT-2's initialisation of every weight (σ = 0.02).
    static func normal(_ shape: Shape, standardDeviation: Float) throws(ModelError) -> Tensor {
        try parameter(shape) { () throws(TensorError) in try Tensor.randn(shape) * standardDeviation }
    }

    /// A parameter filled with one value (layer norm's weight 1 and bias 0).
    static func constant(_ shape: Shape, _ value: Float) -> Tensor {
        let tensor = (try? Tensor.full(shape, value: value)) ?? Tensor.zeros(shape)
        tensor.requiresGrad = true
        return tensor
    }

    /// Redraws an existing parameter from N(0, σ²) (presets that initialise as a paper does).
    static func fillNormal(_ tensor: Tensor, standardDeviation: Float) throws(ModelError) {
        let values: [Float]
        do { values = try Tensor.randn(tensor.shape).scalars } catch { throw ModelError(error) }
        tensor.updateScalars { for i in $0.indices { $0[i] = values[i] * standardDeviation } }
    }

    /// Sets every element of a parameter to `value`.
    static func fill(_ tensor: Tensor, with value: Float) {
        tensor.updateScalars { for i in $0.indices { $0[i] = value } }
    }

    private static func parameter(_ shape: Shape, _ make: () throws(TensorError) -> Tensor) throws(ModelError) -> Tensor {
        do {
            try MemoryBudget.check(shape.dimensions, for: "a parameter")
            let tensor = try make()
            tensor.requiresGrad = true
            return tensor
        } catch {
            throw ModelError(error)
        }
    }

    /// Rejects sizes below 1 with a message naming the layer and the argument.
    static func requirePositive(_ value: Int, _ argument: String, of layer: String) throws(ModelError) {
        guard value >= 1 else {
            throw ModelError("\(layer): \(argument) must be at least 1, got \(value)")
        }
    }
}
