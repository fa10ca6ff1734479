import Datasets
import NeuralNetworks
import TensorEngine

/// Chooses the loss for a model and dataset (DESIGN.md §3) and checks that they fit: classes →
/// cross entropy; one logit with 0/1 targets → BCE with logits; otherwise MSE.
public enum LossSelection {
    /// The loss to minimise, or why this model cannot learn these targets.
    public static func loss(for model: Sequential, data: Dataset, requested: Loss?) throws -> Loss {
        let output = try model.outputShape(for: data.exampleShape)
        let outputs = output.elementCount
        let loss = requested ?? inferred(outputs: outputs, data: data)
        switch loss {
        case .crossEntropy:
            guard let largest = data.largestClassIndex else {
                throw TrainingError("cross_entropy needs class labels, but \(data.name) has real-valued targets",
                                    hint: "use loss mse")
            }
            if data.hasSequenceTargets { try checkSequenceOutputs(output, data: data, largest: largest); break }
            guard output.rank == 1, outputs > largest else {
                throw TrainingError("\(data.name) has labels up to \(largest), but the model outputs \(outputs) value\(outputs == 1 ? "" : "s") per example (classes 0 to \(outputs - 1))",
                                    hint: "the last layer needs \(largest + 1) outputs, e.g. linear(…, \(largest + 1))")
            }
        case .binaryCrossEntropy:
            guard outputs == 1, data.hasBinaryTargets else {
                throw TrainingError("bce needs one output per example and 0/1 targets; the model outputs \(outputs) and \(data.name) has \(data.classCount.map { "\($0) classes" } ?? "targets \(data.targetShape.compactDescription)")",
                                    hint: outputs == 1 ? "use loss mse" : "use loss cross_entropy")
            }
        case .meanSquaredError:
            let targets = max(1, data.targetShape.elementCount)
            guard outputs == targets else {
                throw TrainingError("mse compares outputs with targets one to one, but the model outputs \(outputs) values per example and \(data.name) has \(targets)",
                                    hint: data.classCount != nil ? "use loss cross_entropy for class labels"
                                        : "the last layer needs \(targets) output\(targets == 1 ? "" : "s")")
            }
        }
        return loss
    }

    /// A language model outputs [T, vocabulary] logits per window of T ids.
    private static func checkSequenceOutputs(_ output: Shape, data: Dataset, largest: Int) throws {
        let length = data.targetShape[0], vocabulary = data.classCount ?? largest + 1
        guard output.rank == 2, output[0] == length, output[1] >= vocabulary else {
            throw TrainingError("\(data.name) has windows of \(length) ids with a next-id target at each position (\(vocabulary) in the vocabulary), so the model must output [\(length), \(vocabulary)] logits per window; it outputs \(output.compactDescription)",
                                hint: "a language model such as gpt(vocab: data.vocab, context: \(length), layers: 2, heads: 2, embed: 64)")
        }
    }

    private static func inferred(outputs: Int, data: Dataset) -> Loss {
        if data.hasSequenceTargets { return .crossEntropy }
        if data.classCount != nil && outputs > 1 { return .crossEntropy }
        if outputs == 1 && data.hasBinaryTargets { return .binaryCrossEntropy }
        return .meanSquaredError
    }

    /// How many of a batch's predictions are right (out of `targets.elementCount`: one per
    /// example, or one per position for sequence targets): argmax for cross entropy, logit > 0 for
    /// BCE, rounding for MSE against 0/1 targets (as the essay does); nil when accuracy is undefined.
    public static func correctCount(outputs: Tensor, targets: Tensor, loss: Loss, binaryTargets: Bool) -> Int? {
        let rows = outputs.shape.rank > 0 ? outputs.shape[0] : 1
        guard rows > 0 else { return 0 }
        let width = outputs.elementCount / rows
        let values = outputs.scalars, truth = targets.scalars
        switch loss {
        case .crossEntropy:
            // One prediction per row of the last axis: [B, C] for a classifier, [B, T, C] for a language model.
            let classes = outputs.shape.rank > 0 ? outputs.shape[outputs.shape.rank - 1] : 1
            guard classes > 0, truth.count * classes == values.count else { return nil }
            return values.withUnsafeBufferPointer { logits in
                (0..<truth.count).reduce(0) { count, row in
                    let start = row * classes
                    var best = 0
                    for column in 1..<max(classes, 1) where logits[start + column] > logits[start + best] { best = column }
                    return count + (best == Int(truth[row]) ? 1 : 0)
                }
            }
        case .binaryCrossEntropy:
            return zip(values, truth).reduce(0) { $0 + (($1.0 > 0 ? 1 : 0) == $1.1 ? 1 : 0) }
        case .meanSquaredError:
            guard binaryTargets, width == 1 else { return nil }
            return zip(values, truth).reduce(0) { $0 + ($1.0.rounded(.toNearestOrEven) == $1.1 ? 1 : 0) }
        }
    }
}
