import Diagnostics
import Foundation
import Language
import NeuralNetworks
import TensorEngine
import Training

/// The road to PyTorch and back (DESIGN.md §8): `save` and `load` (safetensors under the
/// exported module's `state_dict` names, with the optimizer for an exact resume), `load … into`
/// for weights trained in PyTorch, and `export` of a runnable PyTorch script.
extension Builtins {
    static func registerBridgeCommands(in registry: Registry) {
        registry.register(CommandDefinition(
            "save", grammar: CommandGrammar([.operand("MODEL"), .word("to"), .operand("\"FILE.safetensors\"")],
                                            clauses: [ClauseDefinition("with", .symbol(choices: ["optimizer"])), ClauseDefinition("overwrite", .flag)]),
            documentation: "Writes weights and architecture (safetensors, readable by Python); with optimizer, all that training needs to resume exactly. A file tensorbook did not write is replaced only with overwrite.",
            example: "save model to \"model.safetensors\"") { try save($0) })
        registry.register(CommandDefinition(
            "load", grammar: CommandGrammar([.operand("\"FILE.safetensors\"")],
                                            clauses: [ClauseDefinition("into", .value(placeholder: "MODEL", example: "model"))]),
            documentation: "Rebuilds a model saved with save; into MODEL copies weights (e.g. trained in PyTorch) into a model built here.",
            example: "model = load \"model.safetensors\"", displaysResult: true) { try load($0) })
        registry.register(CommandDefinition(
            "export", grammar: CommandGrammar([.operand("MODEL"), .word("to"), .operand("\"FILE.py\"")], clauses: [ClauseDefinition("overwrite", .flag)]),
            documentation: "Writes a PyTorch script: the model as an nn.Module, a loader for saved weights, and main() training as the last train did (torchrun for several processes). A file tensorbook did not write is replaced only with overwrite.",
            example: "export model to \"model.py\"") { try export($0) })
    }

    /// `save MODEL to "F" [with optimizer]`, or `save TENSOR to "F"` (one tensor named "tensor").
    private static func save(_ invocation: CommandInvocation) throws -> Value {
        let path = try fileOperand(invocation, command: "save")
        try refuseReplacingAFileOfOthers(path, invocation, command: "save", written: SafetensorsFile.isWrittenByTensorbook)
        if case .object(let tensor as TensorObject) = invocation["model"] {
            try hosted { try SafetensorsFile.write([("tensor", tensor.tensor)], metadata: ["format": "pt", "tensorbook.saved": "tensor"], to: path) }
            invocation.sink.emit(.text("saved the \(tensor.tensor.shape) tensor to \(path) (as \"tensor\")"))
            return .none
        }
        let model = try modelOperand(invocation)
        let withOptimizer = invocation.wasWritten("with")
        if withOptimizer && model.optimizer == nil {
            throw HostError("the model has no optimizer yet: it is made by the first train", hint: "train it first, or save without 'with optimizer'",
                            argument: "with")
        }
        let checkpoint = Checkpoint(model: model.model, optimizer: withOptimizer ? model.optimizer?.instance : nil, recipe: model.recipe,
                                    random: withOptimizer ? GlobalRandom.generator : nil)
        try hosted { try checkpoint.save(to: path) }
        let state = withOptimizer ? model.optimizer.map { " with \($0.instance.summary) after \(Format.grouped($0.instance.stepCount)) steps and the random state" } ?? "" : ""
        invocation.sink.emit(.text("saved the model (\(Format.grouped(model.model.parameterCount)) parameters)\(state) to \(path)"))
        return .none
    }

    /// `load "F"` (a new model, its optimizer and random state restored when saved with them) or
    /// `load "F" into MODEL` (weights only, names and shapes checked first).
    private static func load(_ invocation: CommandInvocation) throws -> Value {
        let path = try fileOperand(invocation, command: "load")
        let file = try hosted { try SafetensorsFile(path: path) }
        if invocation.wasWritten("into") {
            let target = invocation["into"]
            guard let model = modelObject(target) else {
                throw HostError("load … into needs a model, got \(target.typeName) \(target.shortDescription)",
                                hint: "build the architecture first, e.g. model = cnn(), then: load \"\(path)\" into model", argument: "into")
            }
            try hosted { try Safetensors.loadWeights(file, into: model.model) }
            invocation.sink.emit(.text("loaded \(model.model.namedParameters.count) tensors (\(Format.grouped(model.model.parameterCount)) parameters) from \(path) into the model"))
            return .none
        }
        let checkpoint = try hosted { try Checkpoint.load(file) }
        let model = ModelObject(checkpoint.model)
        model.recipe = checkpoint.recipe
        model.trainedLoss = checkpoint.recipe.flatMap { Loss(rawValue: $0.loss) }
        if let optimizer = checkpoint.optimizer {
            model.optimizer = (optimizerKey(optimizer.kind, optimizer.learningRate, optimizer.momentumFactor), optimizer)
            invocation.sink.emit(.text("restored \(optimizer.summary) after \(Format.grouped(optimizer.stepCount)) steps\(checkpoint.random == nil ? "" : " and the random state of the save"): training goes on as if never stopped"))
        }
        if let random = checkpoint.random { GlobalRandom.generator = random }
        return .object(model)
    }

    /// A model, or the model a class instance trains as.
    private static func modelObject(_ value: Value) -> ModelObject? {
        switch value {
        case .object(let model as ModelObject): model
        case .object(let instance as InstanceObject): ModuleParts.model(of: instance)
        default: nil
        }
    }

    /// `export MODEL to "F.py"`.
    private static func export(_ invocation: CommandInvocation) throws -> Value {
        let model = try modelOperand(invocation)
        var moduleCode: String?
        if case .object(let instance as InstanceObject) = invocation["model"] {
            moduleCode = try ClassTranslation.code(for: instance, variables: invocation.variables)
        }
        let path = try fileOperand(invocation, command: "export")
        try refuseReplacingAFileOfOthers(path, invocation, command: "export", written: PyTorchExport.isWrittenByTensorbook)
        let loss = try model.recipe.flatMap { Loss(rawValue: $0.loss) } ?? hosted { try PyTorchExport.defaultLoss(for: model.model) }
        let export = try hosted {
            try PyTorchExport(model: model.model, moduleCode: moduleCode, recipe: model.recipe ?? .defaults(loss: loss), trained: model.recipe != nil,
                              scriptPath: path, workingDirectory: FileManager.default.currentDirectoryPath)
        }
        try hosted { try export.write() }
        let data = model.recipe?.data.map { "on \($0.name)" } ?? ""
        if model.recipe == nil {
            invocation.sink.emit(.text("the model was never trained here, so \(path)'s main() uses the defaults (adam, lr 0.001, batch 64, 1 epoch, \(loss.rawValue)) and needs --data"))
        }
        let files = ([path] + export.companionFiles.map(\.path)).joined(separator: ", ")
        invocation.sink.emit(.text("wrote \(files): run it with python3 \(path)\(data.isEmpty ? "" : " (trains \(data))"), or torchrun --nproc_per_node 2 \(path)"))
        return .none
    }

    /// A notebook from elsewhere may not replace a file tensorbook did not write (a PyTorch
    /// checkpoint, someone's script, a file a link points at) unless the statement says overwrite.
    private static func refuseReplacingAFileOfOthers(_ path: String, _ invocation: CommandInvocation, command: String,
                                                     written: (String) -> Bool) throws {
        guard !invocation.isTrue("overwrite"), FileManager.default.fileExists(atPath: path) || isLink(path), !written(path) else { return }
        throw HostError("\(command): '\(path)' exists and was not written by tensorbook, so it is left as it is",
                        hint: "choose another name, or end the statement with overwrite to replace it", argument: "file")
    }

    private static func isLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    /// A quoted file name operand.
    private static func fileOperand(_ invocation: CommandInvocation, command: String) throws -> String {
        guard case .string(let path) = invocation["file"] else {
            throw HostError("\(command) needs a file name in quotes, got \(invocation["file"].typeName)", argument: "file")
        }
        return path
    }
}
