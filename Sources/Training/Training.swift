import Datasets
import Foundation
import Kernels
import NeuralNetworks
import TensorEngine

/// How `fit` trains: DESIGN.md §3's defaults (1 epoch, batch 64, loss inferred from the data).
public struct TrainingConfiguration: Sendable {
    /// Passes over the training data.
    public var epochs: Int
    /// Examples per optimizer step.
    public var batchSize: Int
    /// The loss to minimise; nil infers it (see `LossSelection`).
    public var loss: Loss?
    /// Whether each epoch visits the examples in a fresh seeded random order.
    public var shuffle: Bool

    /// A configuration; every argument has the default a PyTorch user would expect.
    public init(epochs: Int = 1, batchSize: Int = 64, loss: Loss? = nil, shuffle: Bool = true) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.loss = loss
        self.shuffle = shuffle
    }
}

/// The training, evaluation and prediction loops.
public enum Training {
    /// CPU threads the engine computes with.
    public static var threadCount: Int { Parallel.threadCount }

    /// A loss past this has exploded: cross entropy starts near ln(classes) and MSE on data of any
    /// sensible scale far below it, and float32 updates from such a loss no longer mean anything.
    public static let explodedLoss: Float = 1e15

    /// Trains `model` on `data` with `optimizer`, reporting each batch and epoch to `events`.
    /// Stops early (without error) at a batch boundary when `shouldStop` says so (by default when
    /// Ctrl-C sets `Interrupt`); a NaN or infinite loss, or one past `explodedLoss`, stops with an
    /// error before that step is applied, so the model keeps its last good weights.
    public static func fit(
        _ model: Sequential, on data: Dataset, optimizer: any Optimizer,
        configuration: TrainingConfiguration = TrainingConfiguration(), shouldStop: () -> Bool = { Interrupt.isRequested },
        events: (TrainingEvent) -> Void = { _ in }
    ) throws -> History {
        try validate(configuration, data: data)
        try model.build(for: data.exampleShape)
        let loss = try LossSelection.loss(for: model, data: data, requested: configuration.loss)
        let parameters = model.parameters
        let previousMode = model.isTraining
        model.isTraining = true
        defer { model.isTraining = previousMode }
        var history = History(epochs: [], loss: loss, optimizer: optimizer.summary, batchSize: configuration.batchSize,
                              stop: nil, cost: TrainingCost(flops: 0, seconds: 0, threads: Parallel.threadCount))
        let flopsPerExample = 3 * Double(model.forwardFLOPs(for: data.exampleShape))
        let clock = ContinuousClock(), runStart = clock.now
        for epoch in 1...configuration.epochs {
            let shuffleSeed = configuration.shuffle ? GlobalRandom.withGenerator { $0.next() } : nil
            var data = data
            if configuration.shuffle, data.largestWindowOffset > 0 {
                data.windowOffset = GlobalRandom.withGenerator { $0.nextInt(in: 0..<(data.largestWindowOffset + 1)) }
            }
            let loader = try DataLoader(data, batchSize: configuration.batchSize, shuffleSeed: shuffleSeed)
            var tally = EpochTally(epoch: epoch, epochs: configuration.epochs, batches: loader.batchCount, start: clock.now,
                                   reportsPerplexity: data.hasSequenceTargets)
            for (batchIndex, positions) in loader.enumerated() {
                if shouldStop() {
                    history.stop = .interrupted(epoch: epoch, batch: batchIndex, batches: loader.batchCount, lastLoss: tally.lastLoss)
                    if tally.examples > 0 {
                        var summary = tally.summary(clock)
                        summary.partial = PartialEpoch(batch: batchIndex, batches: loader.batchCount)
                        history.epochs.append(summary)
                    }
                    history.cost.seconds = seconds(since: runStart, clock)
                    return history
                }
                let (inputs, targets) = try data.batch(positions)
                let outputs = try model(inputs)
                let lossTensor = try loss.ofBatch(outputs, targets)
                let value = try lossTensor.item()
                guard value.isFinite, abs(value) <= Self.explodedLoss else {
                    let what = value.isNaN ? "became NaN" : value.isInfinite ? "became \(value > 0 ? "" : "-")infinite"
                        : "reached \(value), past \(Self.explodedLoss) (no run that is learning gets there)"
                    throw TrainingError(
                        "the loss \(what) at epoch \(epoch), batch \(batchIndex + 1) of \(loader.batchCount); the model keeps the weights from the step before",
                        hint: "lower the learning rate (e.g. lr \(optimizer.learningRate / 10)), or check the data for NaN or huge values",
                        completedEpochs: history.epochs)
                }
                for parameter in parameters { parameter.zeroGrad() }
                try lossTensor.backward()
                GradientMode.withoutRecording { optimizer.update(parameters) }
                let correct = LossSelection.correctCount(outputs: outputs, targets: targets, loss: loss, binaryTargets: data.hasBinaryTargets)
                tally.add(loss: value, count: positions.count, correct: correct, predictions: targets.elementCount)
                history.batchLosses.append(value)
                history.cost.flops += flopsPerExample * Double(positions.count)
                events(.batchEnded(tally.progress(batch: batchIndex + 1, clock)))
            }
            let summary = tally.summary(clock)
            history.epochs.append(summary)
            history.cost.seconds = seconds(since: runStart, clock)
            events(.epochEnded(summary))
        }
        return history
    }

    private static func validate(_ configuration: TrainingConfiguration, data: Dataset) throws {
        guard configuration.epochs >= 1 else {
            throw TrainingError("epochs must be at least 1, got \(configuration.epochs)")
        }
        guard configuration.batchSize >= 1 else {
            throw TrainingError("batch must be at least 1, got \(configuration.batchSize)")
        }
        guard data.count > 0 else {
            throw TrainingError("\(data.name) has no examples to train on")
        }
    }

    static func seconds(since start: ContinuousClock.Instant, _ clock: ContinuousClock) -> Double {
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

/// Running sums for one epoch.
private struct EpochTally {
    let epoch: Int, epochs: Int, batches: Int
    let start: ContinuousClock.Instant
    /// Whether the loss is a mean over tokens, so exp(loss) is a perplexity.
    let reportsPerplexity: Bool
    var lossSum: Double = 0
    var examples = 0
    /// Targets predicted: one per example, or one per position for sequence targets.
    var predictions = 0
    var correct: Int?
    var lastLoss: Float?

    init(epoch: Int, epochs: Int, batches: Int, start: ContinuousClock.Instant, reportsPerplexity: Bool) {
        (self.epoch, self.epochs, self.batches, self.start) = (epoch, epochs, batches, start)
        self.reportsPerplexity = reportsPerplexity
    }

    mutating func add(loss: Float, count: Int, correct batchCorrect: Int?, predictions batchPredictions: Int) {
        lossSum += Double(loss) * Double(count)
        examples += count
        predictions += batchPredictions
        lastLoss = loss
        if let batchCorrect { correct = (correct ?? 0) + batchCorrect }
    }

    var meanLoss: Float { examples > 0 ? Float(lossSum / Double(examples)) : .nan }
    var accuracy: Float? { correct.map { Float($0) / Float(max(predictions, 1)) } }
    var perplexity: Float? { reportsPerplexity ? Metrics.perplexity(ofLoss: meanLoss) : nil }

    func progress(batch: Int, _ clock: ContinuousClock) -> BatchProgress {
        BatchProgress(epoch: epoch, epochs: epochs, batch: batch, batches: batches, loss: lastLoss ?? .nan,
                      runningLoss: meanLoss, runningAccuracy: accuracy, runningPerplexity: perplexity, examples: examples,
                      seconds: Training.seconds(since: start, clock))
    }

    func summary(_ clock: ContinuousClock) -> EpochSummary {
        EpochSummary(epoch: epoch, epochs: epochs, loss: meanLoss, accuracy: accuracy, perplexity: perplexity, examples: examples,
                     seconds: Training.seconds(since: start, clock))
    }
}
