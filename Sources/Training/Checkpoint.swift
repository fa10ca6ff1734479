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
        checkpoint.recipe = file.metadata[recipeKey].flatMap { try? JSONDecoder().decode(TrainingRecipe.self, from: Data($0.utf8)) }
        if let json = file.metadata[optimizerKey] {
            guard let settings = try? JSONDecoder().decode(OptimizerSettings.self, from: Data(json.utf8)),
                  let kind = OptimizerKind(rawValue: settings.kind) else {
                throw ModelError("load: '\(file.name)' has an unreadable optimizer entry in its metadata", hint: "the file was edited; load the model without it by saving again")
            }
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
        if let words = file.metadata[randomKey]?.split(separator: " ").compactMap({ UInt64($0) }), words.count == 4 {
            var generator = RandomGenerator(seed: 0)
            generator.stateWords = words
            checkpoint.random = generator
        }
        return checkpoint
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
