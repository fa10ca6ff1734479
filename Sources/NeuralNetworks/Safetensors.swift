import Foundation
import TensorEngine

/// Saves and loads models as safetensors files (`SafetensorsFile`): the parameters under PyTorch's
/// `state_dict` names for the exported module ("0.weight", "3.weight_ih_l0", …) and the
/// architecture in the metadata. Python's `safetensors` reads these files as they are.
public enum Safetensors {
    /// The metadata key holding the model's architecture as JSON.
    static let architectureKey = "tensorbook.architecture"

    /// Writes the model's parameters and architecture to `path` (atomically), followed by
    /// `extraTensors` (a checkpoint's optimizer state) and with `metadata` added to the header.
    public static func save(
        _ model: Sequential, to path: String, extraTensors: [(name: String, tensor: Tensor)] = [], metadata: [String: String] = [:]
    ) throws(ModelError) {
        let architecture = String(decoding: (try? JSONEncoder().encode(model.specification)) ?? Data(), as: UTF8.self)
        let header = metadata.merging(["format": "pt", architectureKey: architecture]) { _, ours in ours }
        try SafetensorsFile.write(model.namedParameters + extraTensors, metadata: header, to: path)
    }

    /// Rebuilds the model stored at `path`: its architecture from the metadata, its parameters from the data.
    public static func load(from path: String) throws(ModelError) -> Sequential {
        try model(in: SafetensorsFile(path: path))
    }

    /// Rebuilds the model stored in the bytes of a safetensors file; `name` names it in errors.
    public static func load(_ bytes: Data, name: String) throws(ModelError) -> Sequential {
        try model(in: SafetensorsFile(bytes, name: name))
    }

    /// Rebuilds the model a parsed file describes.
    public static func model(in file: SafetensorsFile) throws(ModelError) -> Sequential {
        guard let architecture = file.metadata[architectureKey],
              let specification = try? JSONDecoder().decode(LayerSpecification.self, from: Data(architecture.utf8)) else {
            throw ModelError("load: '\(file.name)' has no tensorbook architecture in its metadata",
                             hint: "weights saved by PyTorch load into a model built here: load \"\(file.name)\" into model")
        }
        if case .module(let name) = specification {
            throw ModelError("load: '\(file.name)' holds the weights of a \(name), a model written as a class, and only its class can build it",
                             hint: "run the class statement, make the model (model = \(name)(…)), then: load \"\(file.name)\" into model")
        }
        guard let model = try specification.makeLayer() as? Sequential else {
            throw ModelError("load: the architecture in '\(file.name)' is not a sequential model")
        }
        for (name, parameter) in model.namedParameters { try file.copy(name, into: parameter) }
        return model
    }

    /// Copies weights saved elsewhere (PyTorch's `save_file(module.state_dict())` of the exported
    /// module) into `model`. Every name and shape is checked before anything is copied, so a
    /// mismatch leaves the model as it was. A `module.` prefix (a DistributedDataParallel
    /// wrapper's state_dict) is read through.
    public static func loadWeights(_ file: SafetensorsFile, into model: Sequential) throws(ModelError) {
        let parameters = model.namedParameters
        let fileNames = Set(file.entries.keys.filter { !$0.hasPrefix(checkpointPrefix) })
        let wrapped = !fileNames.isEmpty && fileNames.allSatisfy { $0.hasPrefix("module.") }
        func stored(_ name: String) -> String { wrapped ? "module." + name : name }
        let expected = parameters.map(\.name).joined(separator: ", ")
        for (name, parameter) in parameters {
            guard let entry = file.entries[stored(name)] else {
                throw ModelError("load: '\(file.name)' has no tensor '\(name)' (\(parameter.shape)), which this model needs",
                                 hint: "the model's tensors are \(expected); build the same architecture as the file's (export writes it)")
            }
            guard entry.shape == parameter.shape.dimensions else {
                throw ModelError("load: tensor '\(name)' in '\(file.name)' has shape \(Shape(entry.shape)); this model's '\(name)' has \(parameter.shape)",
                                 hint: "the file holds another architecture's weights; compare `show model` with the module that saved it")
            }
        }
        let known = Set(parameters.map { stored($0.name) })
        if let extra = fileNames.subtracting(known).sorted().first {
            throw ModelError("load: '\(file.name)' has a tensor '\(extra)' that this model has no place for",
                             hint: "the model's tensors are \(expected); the file holds a larger or different architecture")
        }
        for (name, parameter) in parameters { try file.copy(stored(name), into: parameter) }
    }

    /// Names of a checkpoint's non-parameter tensors start with this (the optimizer's state).
    public static let checkpointPrefix = "optimizer."
}
