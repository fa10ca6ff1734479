import TensorEngine

/// PyTorch's default initialisers, drawing from the global generator (so `seed` fixes them).
enum Initialization {
    /// U(−1/√fanIn, 1/√fanIn): `nn.Linear` and `nn.Conv2d` weights and biases (kaiming_uniform with
    /// a = √5 reduces to this bound), and every LSTM tensor with fanIn = hidden size.
    static func uniform(_ shape: Shape, fanIn: Int) throws(ModelError) -> Tensor {
        let bound = 1 / Float(max(fanIn, 1)).squareRoot()
        return try parameter { () throws(TensorError) in try Tensor.rand(shape, low: -bound, high: bound) }
    }

    /// N(0, 1): `nn.Embedding` weights.
    static func standardNormal(_ shape: Shape) throws(ModelError) -> Tensor {
        try parameter { () throws(TensorError) in try Tensor.randn(shape) }
    }

    private static func parameter(_ make: () throws(TensorError) -> Tensor) throws(ModelError) -> Tensor {
        do {
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
