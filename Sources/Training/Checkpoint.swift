import Foundation
import NeuralNetworks
import TensorEngine

/// A model saved with what training needs to continue exactly (`save model to … with optimizer`):
/// the optimizer's state as tensors named `optimizer.<parameter>.<state>`, and in the metadata its
/// kind, settings and step count, the last training recipe and the random generator's state. So
/// 1 epoch, save, load, 1 epoch gives the weights of 2 epochs, bit for bit.
public struct Checkpoint {
    /// The model.
    public var model: Sequential
    /// The optimizer to continue with, when saved.
    public var optimizer: (any Optimizer)?
    /// The settings of the last `train`, when the model was trained.
    public var recipe: TrainingRecipe?
    /// The random generator as it stood at the save, when the optimizer was saved.
    public var random: RandomGenerator?

    static let optimizerKey = "tensorbook.optimizer", recipeKey = "tensorbook.training", randomKey = "tensorbook.random"

    /// A checkpoint of these parts.
    public init(model: Sequential, optimizer: (any Optimizer)? = nil, recipe: TrainingRecipe? = nil, random: RandomGenerator? = nil) {
        (self.model, self.optimizer, self.recipe, self.random) = (model, optimizer, recipe, random)
    }

    /// Writes the checkpoint to `path` as one safetensors file.
    public func save(to path: String) throws(ModelError) {
        var metadata: [String: String] = [:]
        var tensors: [(name: String, tensor: Tensor)] = []
        if let recipe, let json = try? JSONEncoder().encode(recipe) { metadata[Self.recipeKey] = String(decoding: json, as: UTF8.self) }
        if let optimizer {
            let state = optimizer.savedState(of: model.namedParameters)
            let settings = OptimizerSettings(optimizer, stepCount: state.stepCount)
            if let json = try? JSONEncoder().encode(settings) { metadata[Self.optimizerKey] = String(decoding: json, as: UTF8.self) }
            for (parameter, _) in model.namedParameters {
                for (stateName, tensor) in (state.tensors[parameter] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    tensors.append(("\(Safetensors.checkpointPrefix)\(parameter).\(stateName)", tensor))
                }
            }
        }
        if let random { metadata[Self.randomKey] = random.stateWords.map(String.init).joined(separator: " ") }
        try Safetensors.save(model, to: path, extraTensors: tensors, metadata: metadata)
    }

    /// Reads a checkpoint (or a plain saved model, whose optimizer and recipe are then nil).
    public static func load(from path: String) throws(ModelError) -> Checkpoint {
        try load(SafetensorsFile(path: path))
    }

    /// Reads a checkpoint from a parsed file.
    public static func load(_ file: SafetensorsFile) throws(ModelError) -> Checkpoint {
        let model = try Safetensors.model(in: file)
        var checkpoint = Checkpoint(model: model)
        if let json = file.metadata[recipeKey] {
            guard let recipe = try? JSONDecoder().decode(TrainingRecipe.self, from: Data(json.utf8)) else { throw tampered(file, "an unreadable training recipe") }
            if let problem = recipe.problem() { throw tampered(file, "a training recipe tensorbook did not write: \(problem)") }
            checkpoint.recipe = recipe
        }
        if let json = file.metadata[optimizerKey] {
            guard let settings = try? JSONDecoder().decode(OptimizerSettings.self, from: Data(json.utf8)) else { throw tampered(file, "an unreadable optimizer entry") }
            if let problem = settings.problem() { throw tampered(file, "an optimizer entry tensorbook did not write: \(problem)") }
            guard let kind = OptimizerKind(rawValue: settings.kind) else { throw tampered(file, "an unreadable optimizer entry") }
            let optimizer = kind.make(learningRate: settings.learningRate, momentum: settings.momentum)
            var tensors: [String: [String: Tensor]] = [:]
            for (parameter, _) in model.namedParameters {
                let prefix = "\(Safetensors.checkpointPrefix)\(parameter)."
                for key in file.entries.keys where key.hasPrefix(prefix) {
                    tensors[parameter, default: [:]][String(key.dropFirst(prefix.count))] = try file.tensor(key)
                }
            }
            try optimizer.restore(OptimizerState(stepCount: settings.stepCount, tensors: tensors), for: model.namedParameters)
            checkpoint.optimizer = optimizer
        }
        if let text = file.metadata[randomKey] {
            guard let words = randomState(text) else { throw tampered(file, "a random generator state tensorbook did not write (four words, not all zero)") }
            var generator = RandomGenerator(seed: 0)
            generator.stateWords = words
            checkpoint.random = generator
        }
        return checkpoint
    }

    /// The error for metadata that was edited by hand or by someone else.
    private static func tampered(_ file: SafetensorsFile, _ what: String) -> ModelError {
        ModelError("load: '\(file.name)' has \(what) in its metadata",
                   hint: "the file was edited after tensorbook saved it; load only its weights into a model you build: load \"\(file.name)\" into model")
    }
}

/// An optimizer's kind and settings as a checkpoint's metadata records them.
struct OptimizerSettings: Codable {
    var kind: String
    var learningRate: Float
    var momentum: Float
    var stepCount: Int

    init(_ optimizer: any Optimizer, stepCount: Int) {
        (kind, learningRate, momentum, self.stepCount) = (optimizer.kind.rawValue, optimizer.learningRate, optimizer.momentumFactor, stepCount)
    }
}
