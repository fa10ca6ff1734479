import Diagnostics
import Datasets
import Display
import Language
import NeuralNetworks
import Training

extension Builtins {
    /// `train MODEL on DATA [clauses]`: fits, reporting progress; returns the history.
    static func train(_ invocation: CommandInvocation) throws -> Value {
        let model = try modelOperand(invocation)
        let data = try dataOperand(invocation, forEvaluation: false)
        let settings = try TrainSettings(invocation)
        let optimizer = reusableOptimizer(for: model, settings)
        let configuration = TrainingConfiguration(epochs: settings.epochs, batchSize: settings.batch, loss: settings.loss)
        let history = try withModelErrors(model, invocation, activity: "training") {
            try Training.fit(model.model, on: data, optimizer: optimizer, configuration: configuration,
                             shouldStop: { !invocation.context.engine.mayTrainNextBatch() }) { event in
                invocation.sink.emit(.progress(progress(event)))
            }
        }
        model.trainedLoss = history.loss
        model.recipe = TrainingRecipe(
            optimizer: settings.optimizer.rawValue, learningRate: settings.learningRate, momentum: settings.momentum, batchSize: settings.batch,
            epochs: settings.epochs, loss: history.loss.rawValue, data: DataReference(data),
            evaluationData: evaluationReference(invocation))
        if let characters = data.characters { model.characters = characters }
        let result = HistoryObject(history)
        if case .interrupted(let epoch, let batch, let batches, let lastLoss)? = history.stop {
            let loss = lastLoss.map { " (last loss \(Format.fixed($0, 4)))" } ?? ""
            invocation.sink.emit(.text("stopped by \(invocation.context.engine.interruptionReason) at epoch \(epoch), batch \(batch) of \(batches); the model keeps every step taken\(loss)"))
        }
        let untimed = Cost.lines(history, wattsPerCore: result.wattsPerCore, withTiming: false).joined(separator: "\n")
        invocation.sink.emit(invocation.showsTimings
            ? .timed(Cost.lines(history, wattsPerCore: result.wattsPerCore, withTiming: true).joined(separator: "\n"), untimed: untimed)
            : .text(untimed))
        return .object(result)
    }

    private static func progress(_ event: TrainingEvent) -> Display.Progress {
        switch event {
        case .batchEnded(let p):
            Display.Progress(epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, loss: p.runningLoss, accuracy: p.runningAccuracy,
                             examplesPerSecond: Double(p.examples) / max(p.seconds, 1e-9), seconds: p.seconds, isEpochSummary: false,
                             perplexity: p.runningPerplexity)
        case .epochEnded(let e):
            Display.Progress(epoch: e.epoch, epochs: e.epochs, batch: 0, batches: 0, loss: e.loss, accuracy: e.accuracy,
                             examplesPerSecond: Double(e.examples) / max(e.seconds, 1e-9), seconds: e.seconds, isEpochSummary: true,
                             perplexity: e.perplexity)
        }
    }

    /// The examples a script evaluates on: the test split of data with splits; for a single split
    /// or a slice (`mnist.train[0:1000]`), nil, so the script uses its source's whole test split.
    private static func evaluationReference(_ invocation: CommandInvocation) -> DataReference? {
        guard case .object(let data as DatasetObject) = invocation["data"], case .splits(let splits) = data.content else { return nil }
        return DataReference(splits.test)
    }

    /// What identifies an optimizer's settings: a later `train` with the same key continues it.
    static func optimizerKey(_ kind: OptimizerKind, _ learningRate: Float, _ momentum: Float) -> String {
        "\(kind.rawValue) \(learningRate) \(momentum)"
    }

    /// The model keeps its optimizer (and so Adam's moments) across `train` commands while the
    /// optimizer, learning rate and momentum stay the same, as one PyTorch optimizer would.
    static func reusableOptimizer(for model: ModelObject, _ settings: TrainSettings) -> any Optimizer {
        let key = optimizerKey(settings.optimizer, settings.learningRate, settings.momentum)
        if let existing = model.optimizer, existing.key == key { return existing.instance }
        let fresh = settings.optimizer.make(learningRate: settings.learningRate, momentum: settings.momentum)
        model.optimizer = (key, fresh)
        return fresh
    }
}

/// The clauses of `train` and `step`, as the engine takes them.
struct TrainSettings {
    var epochs = 1
    var batch = 64
    var learningRate: Float = 0.001
    var optimizer = OptimizerKind.adam
    var loss: Loss?
    var momentum: Float = 0
    var verbose = false

    /// Reads the bound clauses (the interpreter checked each one against its rule and choices).
    init(_ invocation: CommandInvocation) throws {
        let arguments = invocation.arguments
        epochs = try arguments.optionalInteger("epochs") ?? epochs
        batch = try arguments.integer("batch")
        learningRate = Float(try arguments.number("lr"))
        optimizer = OptimizerKind(rawValue: try arguments.string("optimizer")) ?? optimizer
        if case .string(let name) = invocation["loss"] { loss = Loss(rawValue: name) }
        momentum = Float(try arguments.number("momentum"))
        if invocation.wasWritten("momentum") && optimizer != .sgd {
            throw HostError("momentum is a setting of sgd, not \(optimizer.rawValue)", hint: "add optimizer sgd", argument: "momentum")
        }
        if case .bool(true) = invocation["verbose"] { verbose = true }
    }
}
