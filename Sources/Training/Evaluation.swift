import Datasets
import NeuralNetworks
import TensorEngine

extension Training {
    /// Mean loss and accuracy of `model` over `data`, in evaluation mode with no graph recorded.
    public static func evaluate(
        _ model: Sequential, on data: Dataset, loss requested: Loss? = nil, batchSize: Int = 256
    ) throws -> Metrics {
        try model.build(for: data.exampleShape)
        let loss = try LossSelection.loss(for: model, data: data, requested: requested)
        var lossSum: Double = 0, correct: Int? = nil, predictions = 0
        try forEachBatch(of: model, on: data, batchSize: batchSize) { outputs, targets, count in
            lossSum += Double(try loss.ofBatch(outputs, targets).item()) * Double(count)
            predictions += targets.elementCount
            if let batchCorrect = LossSelection.correctCount(outputs: outputs, targets: targets, loss: loss, binaryTargets: data.hasBinaryTargets) {
                correct = (correct ?? 0) + batchCorrect
            }
        }
        let count = max(data.count, 1)
        return Metrics(loss: Float(lossSum / Double(count)), accuracy: correct.map { Float($0) / Float(max(predictions, 1)) },
                       count: data.count, lossName: loss.rawValue, tokens: data.hasSequenceTargets ? predictions : nil)
    }

    /// The model's predictions for every example: class ids for a classifier (cross entropy),
    /// 0/1 for one logit against binary targets, otherwise the raw outputs.
    public static func predict(_ model: Sequential, on data: Dataset, loss requested: Loss? = nil, batchSize: Int = 256) throws -> Tensor {
        try model.build(for: data.exampleShape)
        let loss = try LossSelection.loss(for: model, data: data, requested: requested)
        var parts: [Tensor] = []
        try forEachBatch(of: model, on: data, batchSize: batchSize) { outputs, _, _ in
            switch loss {
            case .crossEntropy: parts.append(try outputs.argmax(axis: outputs.rank - 1))
            case .binaryCrossEntropy: parts.append(try outputs.greater(Tensor(0)).reshaped([-1]))
            case .meanSquaredError: parts.append(outputs)
            }
        }
        return try Tensor.concatenate(parts, axis: 0)
    }

    /// Runs the model over `data` in evaluation mode without recording, batch by batch.
    static func forEachBatch(
        of model: Sequential, on data: Dataset, batchSize: Int,
        _ body: (_ outputs: Tensor, _ targets: Tensor, _ count: Int) throws -> Void
    ) throws {
        guard data.count > 0 else { throw TrainingError("\(data.name) has no examples") }
        guard batchSize >= 1 else { throw TrainingError("batch must be at least 1, got \(batchSize)") }
        let previousMode = model.isTraining
        model.isTraining = false
        defer { model.isTraining = previousMode }
        try GradientMode.withoutRecording {
            for positions in try DataLoader(data, batchSize: batchSize) {
                let (inputs, targets) = try data.batch(positions)
                try body(try model(inputs), targets, positions.count)
            }
        }
    }
}
