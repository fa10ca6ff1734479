extension Tensor {
    /// A dropout mask: each element is 0 with probability `probability`, otherwise 1/(1 − p)
    /// (inverted dropout, as PyTorch, so evaluation needs no rescaling).
    public static func dropoutMask(
        _ shape: Shape, probability: Float, generator: inout RandomGenerator
    ) throws(TensorError) -> Tensor {
        guard probability >= 0 && probability < 1 else {
            throw TensorError("dropout: probability must be in [0, 1), got \(probability)")
        }
        let mask = Tensor(uninitialized: shape)
        let keep = 1 / (1 - probability)
        for i in 0..<mask.elementCount { mask.pointer[i] = generator.nextUniform() < probability ? 0 : keep }
        return mask
    }

    /// Randomly zeroes elements with probability `probability` and scales the rest by 1/(1 − p),
    /// drawing from the global generator (composed: a product with a constant mask).
    public func dropout(probability: Float) throws(TensorError) -> Tensor {
        if probability == 0 { return self }
        let mask = try GlobalRandom.withGenerator { (generator) throws(TensorError) in
            try Tensor.dropoutMask(shape, probability: probability, generator: &generator)
        }
        return try self * mask
    }
}
