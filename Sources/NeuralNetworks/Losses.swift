import TensorEngine

/// The losses of the essay, with PyTorch's definitions, shape checks and reductions (mean by default).
public enum Loss: String, CaseIterable, Sendable {
    /// mean((prediction − target)²) (`nn.MSELoss`).
    case meanSquaredError = "mse"
    /// Softmax cross entropy of logits against class indices (`nn.CrossEntropyLoss`).
    case crossEntropy = "cross_entropy"
    /// Sigmoid cross entropy of one logit against 0/1 targets (`nn.BCEWithLogitsLoss`).
    case binaryCrossEntropy = "bce"

    /// The loss of a batch of model outputs against targets.
    public func callAsFunction(_ output: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws(TensorError) -> Tensor {
        switch self {
        case .meanSquaredError: try Self.meanSquaredError(output, target, reduction: reduction)
        case .crossEntropy: try Self.crossEntropy(output, target, reduction: reduction)
        case .binaryCrossEntropy: try Self.binaryCrossEntropyWithLogits(output, target, reduction: reduction)
        }
    }

    /// Cross entropy of logits [N, C] against N class indices; a sequence of logits [B, T, C]
    /// against [B, T] targets is flattened first (the mean over every position, as nanoGPT's
    /// `F.cross_entropy(logits.view(-1, C), targets.view(-1))`).
    public static func crossEntropy(_ logits: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws(TensorError) -> Tensor {
        guard logits.rank == 3, target.rank == 2 else { return try logits.crossEntropy(targets: target, reduction: reduction) }
        guard target.shape[0] == logits.shape[0], target.shape[1] == logits.shape[1] else {
            throw TensorError("cross_entropy: targets of shape \(target.shape) do not match logits of shape \(logits.shape)",
                              hint: "give one class index per position: shape [\(logits.shape[0]), \(logits.shape[1])]")
        }
        let losses = try logits.reshaped([-1, logits.shape[2]]).crossEntropy(targets: target.reshaped([-1]), reduction: reduction)
        return reduction == .none ? try losses.reshaped(target.shape.dimensions) : losses
    }

    /// mean((prediction − target)²), for operands of one shape. PyTorch broadcasts other shapes
    /// with a warning that the result is "likely incorrect" (a [N] target against [N, 1]
    /// predictions becomes an N×N matrix); here that is an error naming both shapes.
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws(TensorError) -> Tensor {
        try requireSameShape(prediction, target, "mse")
        return try reduction.apply(try (prediction - target).squared())
    }

    /// mean(max(x, 0) − x·y + log(1 + e^{−|x|})), the numerically stable form PyTorch uses:
    /// no exp of a large positive number is ever taken (composed from primitives). The targets
    /// must have the logits' shape, as PyTorch requires.
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, _ target: Tensor, reduction: LossReduction = .mean) throws(TensorError) -> Tensor {
        try requireSameShape(logits, target, "bce")
        let softplusOfNegativeMagnitude = ((-logits.abs()).exp() + 1).log()
        return try reduction.apply(try logits.relu() - logits * target + softplusOfNegativeMagnitude)
    }

    /// The loss of a training batch: as `callAsFunction`, except that one label per example
    /// ([N]) is laid out as the model's one output per example ([N, 1]) for mse and bce — what
    /// `train`, `evaluate` and `step` do with a dataset's labels, stated rather than guessed.
    public func ofBatch(_ output: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        guard self != .crossEntropy, output.rank == 2, output.shape[1] == 1, target.rank == 1,
              target.shape[0] == output.shape[0] else { return try callAsFunction(output, target) }
        return try callAsFunction(output, target.reshaped([-1, 1]))
    }

    private static func requireSameShape(_ prediction: Tensor, _ target: Tensor, _ name: String) throws(TensorError) {
        guard target.shape != prediction.shape else { return }
        let (p, t) = (prediction.shape, target.shape)
        let oneColumn = (p.rank == 2 && p[1] == 1 && t.rank == 1 && t[0] == p[0]) || (t.rank == 2 && t[1] == 1 && p.rank == 1 && p[0] == t[0])
        let hint = oneColumn
            ? "one value per example, laid out two ways: write \(name)(output, target.reshape(\(p.dimensions.map(String.init).joined(separator: ", ")))) or \(name)(output.flatten(), target.flatten())"
            : "the predictions and the targets need the same shape (PyTorch refuses or broadcasts them into a wrong result)"
        throw TensorError("\(name): predictions of shape \(p) and targets of shape \(t) differ", hint: hint)
    }
}
