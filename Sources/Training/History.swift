import Foundation
import NeuralNetworks

/// One epoch's averages.
public struct EpochSummary: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Total epochs planned.
    public var epochs: Int
    /// Mean training loss over the epoch's batches, weighted by batch size.
    public var loss: Float
    /// Fraction of training predictions that were right during the epoch (examples, or
    /// positions of a language model's windows), when defined.
    public var accuracy: Float?
    /// exp(loss) for a language model (the loss is a mean over tokens); nil otherwise.
    public var perplexity: Float?
    /// Examples seen.
    public var examples: Int
    /// Wall-clock seconds the epoch took.
    public var seconds: Double
    /// Set when training stopped inside this epoch: how many of its batches ran.
    public var partial: PartialEpoch? = nil

    /// Where in the epoch the plot puts it: its end, or as far as a stopped epoch got (0.68 for
    /// epoch 1 stopped at batch 637 of 938).
    public var position: Double {
        guard let partial, partial.batches > 0 else { return Double(epoch) }
        return Double(epoch - 1) + Double(partial.batch) / Double(partial.batches)
    }
}

/// The part of an epoch that ran before training stopped.
public struct PartialEpoch: Sendable, Equatable {
    /// Batches that ran, and batches the epoch has.
    public var batch: Int, batches: Int

    /// `batch` of `batches` ran.
    public init(batch: Int, batches: Int) {
        (self.batch, self.batches) = (batch, batches)
    }

    /// "stopped at batch 637 of 938"
    public var description: String { "stopped at batch \(batch) of \(batches)" }
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
    /// exp(running loss) for a language model.
    public var runningPerplexity: Float?
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
    /// Mean loss per example (per token for a language model, in nats).
    public var loss: Float
    /// Fraction predicted correctly, when defined for the loss and targets.
    public var accuracy: Float?
    /// Examples evaluated.
    public var count: Int
    /// The loss used.
    public var lossName: String
    /// Tokens predicted, for a language model (windows × positions); nil for other models.
    public var tokens: Int? = nil

    /// exp(loss): how many choices the model is as unsure as, per token (language models only).
    public var perplexity: Float? { tokens == nil ? nil : Self.perplexity(ofLoss: loss) }
    /// The loss in bits per token (nats / ln 2): bits per character for a character model.
    public var bitsPerToken: Float? { tokens == nil ? nil : loss / Float(M_LN2) }

    /// exp(loss), kept finite in the display's sense (an exploding loss gives +inf, not a trap).
    public static func perplexity(ofLoss loss: Float) -> Float { Float(Foundation.exp(Double(loss))) }
}
