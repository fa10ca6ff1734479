import Kernels

/// Which GELU: the exact erf form (`nn.GELU()`) or GPT-2's tanh approximation.
public enum GELUApproximation: String, Sendable {
    case none, tanh
}

extension Tensor {
    /// Layer normalisation over the last axis, as `torch.nn.functional.layer_norm(x,
    /// [width], weight, bias, eps)`; weight and bias are [width] or absent.
    public func layerNorm(weight: Tensor? = nil, bias: Tensor? = nil, epsilon: Float = 1e-5) throws(TensorError) -> Tensor {
        guard rank >= 1, let width = shape.dimensions.last, width > 0 else {
            throw TensorError("layer_norm: needs a tensor with a non-empty last axis, got \(shape)")
        }
        for (name, parameter) in [("weight", weight), ("bias", bias)] {
            if let parameter, parameter.shape != Shape([width]) {
                throw TensorError("layer_norm: \(name) has shape \(parameter.shape), but the last axis is \(width)",
                                  hint: "give a \(name) of shape [\(width)]")
            }
        }
        let rows = elementCount / width
        let result = Tensor(uninitialized: shape)
        var mean = [Float](repeating: 0, count: rows), inverse = [Float](repeating: 0, count: rows)
        Normalization.layerNorm(pointer, weight: weight?.pointer, bias: bias?.pointer, result.pointer, mean: &mean,
                                inverseDeviation: &inverse, rows: rows, width: width, epsilon: epsilon)
        let inputs = [self] + [weight, bias].compactMap { $0 }
        if inputs.contains(where: \.requiresGrad) && GradientMode.isEnabled {
            let (x, savedWeight) = (detached(), weight?.detached())
            result.record("layer_norm", inputs: inputs) { g in
                let dx = Tensor(uninitialized: x.shape)
                let dWeight = weight.map { _ in Tensor.zeros([width]) }, dBias = bias.map { _ in Tensor.zeros([width]) }
                Normalization.layerNormBackward(x.pointer, upstream: g.pointer, weight: savedWeight?.pointer, mean: mean,
                                                inverseDeviation: inverse, dx.pointer, weightGradient: dWeight?.pointer,
                                                biasGradient: dBias?.pointer, rows: rows, width: width)
                return [dx] + [dWeight, dBias].compactMap { $0 }
            }
        }
        return result
    }

    /// GELU elementwise, as `torch.nn.functional.gelu(x, approximate=…)`.
    public func gelu(approximate: GELUApproximation = .none) -> Tensor {
        switch approximate {
        case .none: unary(GELUExact.self, "gelu", gradient: GELUExactGradient.self, fromOutput: false)
        case .tanh: unary(GELUTanh.self, "gelu", gradient: GELUTanhGradient.self, fromOutput: false)
        }
    }

    /// A [size, size] mask for causal attention: 0 where a query may look (key ≤ query) and −∞
    /// above the diagonal; added to scores before softmax.
    public static func causalMask(_ size: Int) throws(TensorError) -> Tensor {
        let mask = try Tensor.zeros(validating: [size, size])
        mask.updateScalars { values in
            for i in 0..<size { for j in (i + 1)..<Swift.max(size, i + 1) { values[i * size + j] = -.infinity } }
        }
        return mask
    }

    /// softmax(Q·Kᵀ/√d [+ causal mask]) · V over the last two axes, fused, as
    /// `torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=…)`: query
    /// [..., T, D], key and value [..., S, D] with the same leading axes. Backward keeps one
    /// log-sum-exp per query row and recomputes the scores (see `Attention`).
    public static func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, causal: Bool) throws(TensorError) -> Tensor {
        guard query.rank >= 2, key.rank == query.rank, value.rank == query.rank else {
            throw TensorError("attention: query, key and value need the same rank ≥ 2, got \(query.shape), \(key.shape), \(value.shape)")
        }
        let leading = query.shape.dimensions.dropLast(2)
        let (t, depth, s) = (query.shape[query.rank - 2], query.shape[query.rank - 1], key.shape[key.rank - 2])
        guard key.shape.dimensions.dropLast(2) == leading, value.shape.dimensions.dropLast(2) == leading,
              key.shape[key.rank - 1] == depth, value.shape == key.shape else {
            throw TensorError("attention: query \(query.shape), key \(key.shape) and value \(value.shape) do not fit",
                              hint: "query [..., T, D], key and value [..., S, D] with the same leading axes")
        }
        guard depth > 0, t > 0, s > 0 else { throw TensorError("attention: empty query or key (\(query.shape), \(key.shape))") }
        let dimensions = Attention.Dimensions(slices: leading.reduce(1, *), queries: t, keys: s, depth: depth, causal: causal)
        let result = Tensor(uninitialized: query.shape)
        var logSumExp = [Float](repeating: 0, count: dimensions.slices * t)
        Attention.forward(query: query.pointer, key: key.pointer, value: value.pointer, result.pointer, logSumExp: &logSumExp, dimensions)
        if [query, key, value].contains(where: \.requiresGrad) && GradientMode.isEnabled {
            let (q, k, v, o) = (query.detached(), key.detached(), value.detached(), result.detached())
            result.record("attention", inputs: [query, key, value]) { g in
                let (dq, dk, dv) = (Tensor(uninitialized: q.shape), Tensor(uninitialized: k.shape), Tensor(uninitialized: v.shape))
                Attention.backward(query: q.pointer, key: k.pointer, value: v.pointer, output: o.pointer, upstream: g.pointer,
                                   logSumExp: logSumExp, queryGradient: dq.pointer, keyGradient: dk.pointer, valueGradient: dv.pointer,
                                   dimensions)
                return [dq, dk, dv]
            }
        }
        return result
    }
}
