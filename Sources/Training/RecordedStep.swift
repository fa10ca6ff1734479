import Datasets
import NeuralNetworks
import TensorEngine

/// Everything that happened in one training step, with copies of the real numbers, so a lesson
/// can narrate the forward pass, the loss, backpropagation and the optimizer update.
public struct RecordedStep {
    /// One layer's output during the forward pass.
    public struct LayerOutput {
        /// The layer as typed, e.g. `relu`.
        public var layer: String
        /// The builder name.
        public var kind: String
        /// Its output for the batch.
        public var output: Tensor
    }

    /// A parameter before and after the step, with its gradient and optimizer state.
    public struct ParameterRecord {
        /// PyTorch-style name, e.g. "4.weight".
        public var name: String
        public var before: Tensor
        public var gradient: Tensor
        public var after: Tensor
        /// Optimizer state by name ("m", "v", "momentum") before and after the update.
        public var stateBefore: [String: Tensor]
        public var stateAfter: [String: Tensor]
    }

    /// The batch's inputs and targets.
    public var inputs: Tensor, targets: Tensor
    /// Each top-level layer's output, in order (for a class model: each part its forward called,
    /// then the forward's own output).
    public var layers: [LayerOutput]
    /// The loss used and its value for the batch.
    public var loss: Loss
    public var lossValue: Float
    /// Every parameter, in order.
    public var parameters: [ParameterRecord]
    /// The optimizer, e.g. "adam(lr 0.001)", and its step number after this step (1 for the first).
    public var optimizer: String
    public var optimizerStep: Int
    public var learningRate: Float
    /// For a Transformer: each block's attention weights [1, heads, T, T] for the batch's first
    /// example, from the forward pass of this step (before the update).
    public var attentionOfFirstExample: [(layer: Int, weights: Tensor)] = []
}

extension Training {
    /// Takes exactly one optimizer step on the first batch of a seeded shuffle of `data`,
    /// recording activations, gradients and the update. The model really changes.
    public static func recordStep(
        _ model: Sequential, on data: Dataset, optimizer: any Optimizer, batchSize: Int = 64, loss requested: Loss? = nil
    ) throws -> RecordedStep {
        try model.build(for: data.exampleShape)
        let loss = try LossSelection.loss(for: model, data: data, requested: requested)
        let seed = GlobalRandom.withGenerator { $0.next() }
        guard let positions = try DataLoader(data, batchSize: batchSize, shuffleSeed: seed).first(where: { _ in true }) else {
            throw TrainingError("\(data.name) has no examples")
        }
        let (inputs, targets) = try data.batch(positions)
        let named = model.namedParameters
        let before = named.map { $0.tensor.copy() }
        let stateBefore = named.map { optimizer.state(for: $0.tensor).mapValues { $0.copy() } }
        let previousMode = model.isTraining
        model.isTraining = true
        defer { model.isTraining = previousMode }
        var rows = model.layers.map { (description: $0.description, kind: $0.kind) }
        let activations: [Tensor]
        if model.layers.count == 1, let traced = model.layers[0] as? PartTracingLayer {
            // A class model: the rows are the parts its forward called, then the forward's output.
            let (output, parts) = try traced.forwardTracingParts(inputs)
            rows = parts.map { (description: "\($0.name): \($0.layer.description)", kind: $0.layer.kind) }
                + [(description: "= \(traced.description) output", kind: traced.kind)]
            activations = parts.map(\.output) + [output]
        } else {
            activations = try model.forwardRecordingActivations(inputs)
        }
        let lossTensor = try loss.ofBatch(activations.last!, targets)
        let value = try lossTensor.item()
        guard value.isFinite else {
            throw TrainingError("the loss is \(value) for this batch; no step was taken", hint: "lower the learning rate")
        }
        for parameter in model.parameters { parameter.zeroGrad() }
        try lossTensor.backward()
        let gradients = named.map { $0.tensor.grad?.copy() ?? Tensor.zeros($0.tensor.shape) }
        let attention = try model.attentionWeights(inputs.slice(axis: 0, start: 0, end: 1))
        GradientMode.withoutRecording { optimizer.update(model.parameters) }
        let records = named.indices.map { index in
            RecordedStep.ParameterRecord(
                name: named[index].name, before: before[index], gradient: gradients[index], after: named[index].tensor.copy(),
                stateBefore: stateBefore[index], stateAfter: optimizer.state(for: named[index].tensor).mapValues { $0.copy() })
        }
        let outputs = zip(rows, activations).map {
            RecordedStep.LayerOutput(layer: $0.0.description, kind: $0.0.kind, output: $0.1.detached())
        }
        return RecordedStep(inputs: inputs, targets: targets, layers: outputs, loss: loss, lossValue: value, parameters: records,
                            optimizer: optimizer.summary, optimizerStep: optimizer.stepCount,
                            learningRate: optimizer.learningRate, attentionOfFirstExample: attention)
    }
}
