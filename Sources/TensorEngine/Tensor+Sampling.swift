extension Tensor {
    /// `steps` evenly spaced values from `start` to `end` inclusive, computed as `torch.linspace`
    /// does (the first half counted up from start, the second half down from end, in float32).
    public static func linspace(_ start: Float, _ end: Float, steps: Int) throws(TensorError) -> Tensor {
        guard steps >= 0 else { throw TensorError("linspace: the number of steps must be non-negative, got \(steps)") }
        let result = Tensor(uninitialized: try Shape.validated([steps], for: "linspace"))
        guard steps > 1 else {
            if steps == 1 { result.pointer[0] = start }
            return result
        }
        let step = (end - start) / Float(steps - 1)
        let halfway = steps / 2
        for i in 0..<steps {
            result.pointer[i] = i < halfway ? start + step * Float(i) : end - step * Float(steps - i - 1)
        }
        return result
    }

    /// `count` category indices drawn from each row of non-negative weights (`torch.multinomial`):
    /// a vector gives [count], a [rows, categories] matrix [rows, count]. Without replacement a
    /// category is drawn at most once per row. Repeatable after `seed`.
    public func multinomial(_ count: Int, replacement: Bool) throws(TensorError) -> Tensor {
        guard rank == 1 || rank == 2 else {
            throw TensorError("multinomial: the probabilities must be a vector or a matrix of rows, got shape \(shape)")
        }
        let categories = shape[rank - 1], rows = rank == 1 ? 1 : shape[0]
        guard categories > 0 else { throw TensorError("multinomial: there are no categories to draw from") }
        guard count > 0 else { throw TensorError("multinomial: the number of samples must be positive, got \(count)") }
        let values = scalars
        guard values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw TensorError("multinomial: the probabilities must be finite and non-negative",
                              hint: "softmax(logits) gives valid probabilities")
        }
        let result = Tensor(uninitialized: try Shape.validated(rank == 1 ? [count] : [rows, count], for: "multinomial"))
        try GlobalRandom.withGenerator { (generator) throws(TensorError) in
            for row in 0..<rows {
                var weights = Array(values[(row * categories)..<((row + 1) * categories)])
                let available = weights.filter { $0 > 0 }.count
                guard available > 0 else {
                    throw TensorError("multinomial: row \(row) of the probabilities sums to 0", hint: "every row needs a positive weight")
                }
                guard replacement || count <= available else {
                    throw TensorError("multinomial: cannot draw \(count) samples without replacement from \(available) categories with a positive weight",
                                      hint: "pass replacement: true, or draw at most \(available)")
                }
                for sample in 0..<count {
                    let drawn = Tensor.draw(from: weights, &generator)
                    result.pointer[row * count + sample] = Float(drawn)
                    if !replacement { weights[drawn] = 0 }
                }
            }
        }
        return result
    }

    /// One index drawn with probability weight / Σ weights (inverse of the cumulative sum).
    private static func draw(from weights: [Float], _ generator: inout RandomGenerator) -> Int {
        let total = weights.reduce(0.0) { $0 + Double($1) }
        let target = Double(generator.next() >> 11) * 0x1p-53 * total
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() where weight > 0 {
            cumulative += Double(weight)
            if target < cumulative { return index }
        }
        return weights.lastIndex { $0 > 0 }!
    }
}
