import TensorEngine

/// The losses of the essay, with PyTorch's definitions and mean reduction.
public enum Loss: String, CaseIterable, Sendable {
    /// mean((prediction − target)²) (`nn.MSELoss`).
    case meanSquaredError = "mse"
    /// Softmax cross entropy of logits against class indices (`nn.CrossEntropyLoss`).
    case crossEntropy = "cross_entropy"
    /// Sigmoid cross entropy of one logit against 0/1 targets (`nn.BCEWithLogitsLoss`).
    case binaryCrossEntropy = "bce"

    /// The loss of a batch of model outputs against targets.
    public func callAsFunction(_ output: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        switch self {
        case .meanSquaredError: try Self.meanSquaredError(output, target)
        case .crossEntropy: try Self.crossEntropy(output, target)
        case .binaryCrossEntropy: try Self.binaryCrossEntropyWithLogits(output, target)
        }
    }

    /// Cross entropy of logits [N, C] against N class indices; a sequence of logits [B, T, C]
    /// against [B, T] targets is flattened first (the mean over every position, as nanoGPT's
    /// `F.cross_entropy(logits.view(-1, C), targets.view(-1))`).
    public static func crossEntropy(_ logits: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        guard logits.rank == 3, target.rank == 2 else { return try logits.crossEntropy(targets: target) }
        guard target.shape[0] == logits.shape[0], target.shape[1] == logits.shape[1] else {
            throw TensorError("cross_entropy: targets of shape \(target.shape) do not match logits of shape \(logits.shape)",
                              hint: "give one class index per position: shape [\(logits.shape[0]), \(logits.shape[1])]")
        }
        return try logits.reshaped([-1, logits.shape[2]]).crossEntropy(targets: target.reshaped([-1]))
    }

    /// mean((prediction − target)²); a target with the same number of elements is reshaped to match
    /// (PyTorch would broadcast [N] against [N, 1] into an N×N matrix, almost always a bug).
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        let matched = try matching(target, to: prediction, "mse")
        return try (prediction - matched).squared().mean()
    }

    /// mean(max(x, 0) − x·y + log(1 + e^{−|x|})), the numerically stable form PyTorch uses:
    /// no exp of a large positive number is ever taken (composed from primitives).
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, _ target: Tensor) throws(TensorError) -> Tensor {
        let y = try matching(target, to: logits, "bce")
        let softplusOfNegativeMagnitude = ((-logits.abs()).exp() + 1).log()
        return try (logits.relu() - logits * y + softplusOfNegativeMagnitude).mean()
    }

    private static func matching(_ target: Tensor, to prediction: Tensor, _ name: String) throws(TensorError) -> Tensor {
        if target.shape == prediction.shape { return target }
        guard target.elementCount == prediction.elementCount else {
            throw TensorError("\(name): predictions of shape \(prediction.shape) and targets of shape \(target.shape) differ",
                              hint: "the model must output one value per target")
        }
        return try target.reshaped(prediction.shape.dimensions)
    }
}
