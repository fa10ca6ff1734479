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
            result.record("layer_norm", inputs: inputs, saving: [x, savedWeight]) { g in
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
            result.record("attention", inputs: [query, key, value], saving: [q, k, v, o]) { g in
                let (dq, dk, dv) = (Tensor(uninitialized: q.shape), Tensor(uninitialized: k.shape), Tensor(uninitialized: v.shape))
                Attention.backward(query: q.pointer, key: k.pointer, value: v.pointer, output: o.pointer, upstream: g.pointer,
                                   logSumExp: logSumExp, queryGradient: dq.pointer, keyGradient: dk.pointer, valueGradient: dv.pointer,
                                   dimensions)
                return [dq, dk, dv]
            }
        }
        return result
    }

    /// Multi-head self-attention straight from a fused projection, as GPT-2 computes it:
    /// `packed` is [B, T, 3E] (queries, keys and values side by side, each E = heads · D wide,
    /// heads side by side within each), the result [B, T, E] with the heads side by side again —
    /// what `q, k, v = c_attn(x).split(E, dim=2)`, a view per head, `scaled_dot_product_attention`
    /// and the transpose back give in PyTorch, without one copy: the kernel reads and writes the
    /// heads in place, and backward writes dq, dk and dv into one [B, T, 3E] gradient.
    public static func multiHeadAttention(packed: Tensor, heads: Int, causal: Bool) throws(TensorError) -> Tensor {
        guard packed.rank == 3, heads > 0, packed.shape[2] % (3 * heads) == 0, packed.shape[1] > 0, packed.shape[2] > 0 else {
            throw TensorError("attention: expects [batch, steps, 3 · heads · depth] for \(heads) heads, got \(packed.shape)")
        }
        let (batch, steps, width) = (packed.shape[0], packed.shape[1], packed.shape[2])
        let (embed, depth) = (width / 3, width / (3 * heads))
        let inputLayout = Attention.Layout.interleavedHeads(heads: heads, rows: steps, depth: depth, rowStride: width)
        let outputLayout = Attention.Layout.interleavedHeads(heads: heads, rows: steps, depth: depth, rowStride: embed)
        let dimensions = Attention.Dimensions(slices: batch * heads, queries: steps, keys: steps, depth: depth, causal: causal,
                                              queryLayout: inputLayout, keyLayout: inputLayout, outputLayout: outputLayout)
        let result = Tensor(uninitialized: [batch, steps, embed])
        var logSumExp = [Float](repeating: 0, count: batch * heads * steps)
        let base = packed.pointer
        Attention.forward(query: base, key: base + embed, value: base + 2 * embed, result.pointer, logSumExp: &logSumExp, dimensions)
        if shouldRecord(packed) {
            let (input, output) = (packed.detached(), result.detached())
            result.record("attention", inputs: [packed], saving: [input, output]) { g in
                let gradient = Tensor(uninitialized: input.shape)
                let (x, dx) = (input.pointer, gradient.pointer)
                Attention.backward(query: x, key: x + embed, value: x + 2 * embed, output: output.pointer, upstream: g.pointer,
                                   logSumExp: logSumExp, queryGradient: dx, keyGradient: dx + embed, valueGradient: dx + 2 * embed,
                                   dimensions)
                return [gradient]
            }
        }
        return result
    }
}
