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

    private static func inferred(outputs: Int, data: Dataset) -> Loss {
        if data.classCount != nil && outputs > 1 { return .crossEntropy }
        if outputs == 1 && data.hasBinaryTargets { return .binaryCrossEntropy }
        return .meanSquaredError
    }

    /// How many of a batch's outputs are right: argmax for cross entropy, logit > 0 for BCE,
    /// rounding for MSE against 0/1 targets (as the essay does); nil when accuracy is undefined.
    public static func correctCount(outputs: Tensor, targets: Tensor, loss: Loss, binaryTargets: Bool) -> Int? {
        let rows = outputs.shape.rank > 0 ? outputs.shape[0] : 1
        guard rows > 0 else { return 0 }
        let width = outputs.elementCount / rows
        let values = outputs.scalars, truth = targets.scalars
        switch loss {
        case .crossEntropy:
            return (0..<rows).reduce(0) { count, row in
                let slice = values[(row * width)..<((row + 1) * width)]
                return count + (slice.indices.max { values[$0] < values[$1] }.map { $0 - row * width } == Int(truth[row]) ? 1 : 0)
            }
        case .binaryCrossEntropy:
            return zip(values, truth).reduce(0) { $0 + (($1.0 > 0 ? 1 : 0) == $1.1 ? 1 : 0) }
        case .meanSquaredError:
            guard binaryTargets, width == 1 else { return nil }
            return zip(values, truth).reduce(0) { $0 + ($1.0.rounded(.toNearestOrEven) == $1.1 ? 1 : 0) }
        }
    }
}
