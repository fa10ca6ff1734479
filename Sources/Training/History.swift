import NeuralNetworks

/// One epoch's averages.
public struct EpochSummary: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Total epochs planned.
    public var epochs: Int
    /// Mean training loss over the epoch's batches, weighted by batch size.
    public var loss: Float
    /// Fraction of training examples classified correctly during the epoch, when defined.
    public var accuracy: Float?
    /// Examples seen.
    public var examples: Int
    /// Wall-clock seconds the epoch took.
    public var seconds: Double
}

/// Progress after one batch, for live progress bars.
public struct BatchProgress: Sendable {
    public var epoch: Int, epochs: Int, batch: Int, batches: Int
    /// This batch's loss.
    public var loss: Float
    /// Mean loss so far this epoch.
    public var runningLoss: Float
    /// Accuracy so far this epoch, when defined.
    public var runningAccuracy: Float?
    /// Examples seen so far this epoch and the seconds they took.
    public var examples: Int
    public var seconds: Double
}

/// What `fit` reports as it goes.
public enum TrainingEvent: Sendable {
    case batchEnded(BatchProgress)
    case epochEnded(EpochSummary)
}

/// Why training ended before its last epoch.
public enum StopReason: Sendable, Equatable {
    /// Ctrl-C: the model keeps every step up to and including `batch` of `epoch`.
    case interrupted(epoch: Int, batch: Int, batches: Int, lastLoss: Float?)
}

/// The arithmetic and time a training run cost (the essay's point: big models cost energy).
public struct TrainingCost: Sendable, Equatable {
    /// Floating-point operations: 3 × forward FLOPs per example × examples (backward ≈ 2 × forward).
    public var flops: Double
    /// Wall-clock seconds spent training.
    public var seconds: Double
    /// CPU threads the engine used.
    public var threads: Int
    /// Achieved rate.
    public var gigaflopsPerSecond: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
}

/// The record of a `train` command: per-epoch results, what was used, what it cost.
public struct History: Sendable {
    /// Completed epochs, in order.
    public var epochs: [EpochSummary]
    /// The loss that was minimised.
    public var loss: Loss
    /// The optimizer, e.g. "adam(lr 0.001)".
    public var optimizer: String
    /// Examples per batch.
    public var batchSize: Int
    /// Set when training stopped early.
    public var stop: StopReason?
    /// Arithmetic and time.
    public var cost: TrainingCost
    /// The loss of every batch, in order (a hand-written loop can be compared with it).
    public var batchLosses: [Float] = []
}

/// The result of `evaluate`: mean loss and accuracy over a dataset.
public struct Metrics: Sendable, Equatable {
    /// Mean loss per example.
    public var loss: Float
    /// Fraction classified correctly, when defined for the loss and targets.
    public var accuracy: Float?
    /// Examples evaluated.
    public var count: Int
    /// The loss used.
    public var lossName: String
}
