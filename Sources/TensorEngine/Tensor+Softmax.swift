import Kernels

/// How a loss over a batch is reduced to one number.
public enum LossReduction: String, Sendable {
    /// The average over examples (PyTorch's default).
    case mean
    /// The total over examples.
    case sum
    /// One loss per example (or per element), not reduced.
    case none

    /// The per-element or per-example losses reduced as asked.
    public func apply(_ losses: Tensor) throws(TensorError) -> Tensor {
        switch self {
        case .mean: try losses.mean()
        case .sum: try losses.sum()
        case .none: losses
        }
    }
}

extension Tensor {
    /// log(softmax(x)) along `axis`, computed stably (the maximum is subtracted first).
    public func logSoftmax(axis: Int = -1) throws(TensorError) -> Tensor {
        let normalized = try ShapeRules.axis(axis, rank: rank, operation: "log_softmax")
        let outer = shape.dimensions[..<normalized].reduce(1, *)
        let classes = shape[normalized]
        let inner = shape.dimensions[(normalized + 1)...].reduce(1, *)
        let result = Tensor(uninitialized: shape)
        Softmax.logSoftmax(pointer, result.pointer, outer: outer, classes: classes, inner: inner)
        if Tensor.shouldRecord(self) {
            let output = result.detached()
            result.record("log_softmax", inputs: [self], saving: [output]) { g in
                let gradient = Tensor(uninitialized: output.shape)
                Softmax.logSoftmaxBackward(output: output.pointer, upstream: g.pointer, gradient.pointer,
                                           outer: outer, classes: classes, inner: inner)
                return [gradient]
            }
        }
        return result
    }

    /// softmax(x) along `axis` (composed: exp of log-softmax).
    public func softmax(axis: Int = -1) throws(TensorError) -> Tensor {
        try logSoftmax(axis: axis).exp()
    }

    /// Cross entropy of [batch, classes] logits against [batch] class indices, as
    /// `torch.nn.functional.cross_entropy`.
    // NOTE: fused log-softmax + negative log-likelihood: one pass forward, and a backward of
    // softmax − one-hot, which stays exact for logits of any size.
    public func crossEntropy(targets: Tensor, reduction: LossReduction = .mean) throws(TensorError) -> Tensor {
        if reduction == .none {  // per example: −log p[target], composed
            try checkCrossEntropyShapes(targets)
            let picked = try logSoftmax(axis: 1).gather(axis: 1, index: targets.reshaped([-1, 1]))
            return try -picked.reshaped([-1])
        }
        try checkCrossEntropyShapes(targets)
        let (rows, classes) = (shape[0], shape[1])
        guard rows > 0 else { throw TensorError("cross_entropy: the batch is empty") }
        let targetIndices = try targets.indices(below: classes, "cross_entropy: target")
        let logProbabilities = Tensor(uninitialized: shape)
        Softmax.logSoftmax(pointer, logProbabilities.pointer, outer: rows, classes: classes, inner: 1)
        var total: Double = 0
        for r in 0..<rows { total -= Double(logProbabilities.pointer[r * classes + Int(targetIndices[r])]) }
        let scale: Float = reduction == .mean ? 1 / Float(rows) : 1
        let result = Tensor(Float(total) * scale)
        if Tensor.shouldRecord(self) {
            result.record("cross_entropy", inputs: [self]) { g in
                let gradient = Tensor(uninitialized: logProbabilities.shape)
                targetIndices.withUnsafeBufferPointer { targets in
                    Softmax.crossEntropyBackward(logProbabilities: logProbabilities.pointer, targets: targets.baseAddress!,
                                                 scale: scale * g.pointer[0], gradient.pointer, rows: rows, classes: classes)
                }
                return [gradient]
            }
        }
        return result
    }

    private func checkCrossEntropyShapes(_ targets: Tensor) throws(TensorError) {
        guard rank == 2 else {
            throw TensorError("cross_entropy: logits must have shape [batch, classes], got \(shape)")
        }
        guard targets.rank == 1, targets.shape[0] == shape[0] else {
            throw TensorError("cross_entropy: targets of shape \(targets.shape) do not match logits of shape \(shape)",
                              hint: "give one class index per example: shape [\(shape[0])]")
        }
    }
}
