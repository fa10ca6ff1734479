import Diagnostics
import Display
import Language
import NeuralNetworks
import TensorEngine

/// nn.Module's side of a class instance: which attributes are weights and parts (in the order
/// assigned, named as PyTorch's `state_dict` names them: `embedding.weight`, `fc.bias`), the
/// methods every module has (`parameters()`, `zero_grad()`, `train()`…), and its printout.
final class ModuleSupport: InstanceSupport {
    static let shared = ModuleSupport()

    func method(named name: String) -> HostMethod? { Self.methods[name] }
    var methodNames: [String] { Self.methods.keys.sorted() }

    func summary(of instance: InstanceObject) -> String? {
        let parameters = ModuleParts.namedParameters(of: instance)
        guard !parameters.isEmpty else { return nil }
        return "\(instance.typeName) with \(Format.grouped(parameters.reduce(0) { $0 + $1.tensor.elementCount })) parameters"
    }

    /// PyTorch's printout: each part on its line, then the parameter count.
    func display(_ instance: InstanceObject) -> [DisplayValue]? {
        let parts = ModuleParts.parts(of: instance)
        guard !parts.isEmpty || !ModuleParts.namedParameters(of: instance).isEmpty else { return nil }
        let lines = parts.map { "  (\($0.name)): \($0.description)" }
        let count = ModuleParts.namedParameters(of: instance).reduce(0) { $0 + $1.tensor.elementCount }
        return [.text(([instance.typeName + "("] + lines + [")"]).joined(separator: "\n") + "\n\(Format.grouped(count)) parameters")]
    }

    /// The parts with their parameters, and every weight with its shape.
    func show(_ instance: InstanceObject) -> [DisplayValue]? {
        let parameters = ModuleParts.namedParameters(of: instance)
        guard !parameters.isEmpty else { return nil }
        let rows = parameters.map { [$0.name, $0.tensor.shape.description, Format.grouped($0.tensor.elementCount)] }
        let total = parameters.reduce(0) { $0 + $1.tensor.elementCount }
        var cost: [DisplayValue] = []
        if let model = instance.hostState as? ModelObject, let input = model.model.inputShape {
            let flops = model.model.forwardFLOPs(for: input)
            if flops > 0 {
                cost = [.text("forward: \(Format.flops(Double(flops))) per example of shape \(input) (the layers it calls; the class's own arithmetic is not counted)")]
            }
        }
        return display(instance).map { $0 + [.table(Table(title: "\(instance.typeName) parameters", headers: ["name", "shape", "count"],
                                                           rows: rows, footer: ["total", "", Format.grouped(total)]))] + cost }
    }

    private static let methods: [String: HostMethod] = [
        HostMethod("parameters", on: InstanceObject.self, documentation: "Every weight tensor, as PyTorch's model.parameters() (for an optimizer).") { instance, _ in
            .makeList(ModuleParts.namedParameters(of: instance).map { TensorObject.value($0.tensor) })
        },
        HostMethod("named_parameters", on: InstanceObject.self,
                   documentation: "(name, tensor) for every weight, named as PyTorch's state_dict (fc.weight, fc.bias, …).") { instance, _ in
            .makeList(ModuleParts.namedParameters(of: instance).map { .tuple([.string($0.name), TensorObject.value($0.tensor)]) })
        },
        HostMethod("zero_grad", on: InstanceObject.self, documentation: "Forgets every weight's gradient (each grad is none until the next backward()).") { instance, _ in
            for parameter in ModuleParts.namedParameters(of: instance) { parameter.tensor.zeroGrad() }
            return .none
        },
        HostMethod("train", on: InstanceObject.self, documentation: "Training mode: dropout is active.") { instance, _ in
            ModuleParts.setTraining(true, in: instance)
            return .none
        },
        HostMethod("eval", on: InstanceObject.self, documentation: "Evaluation mode: dropout passes everything through.") { instance, _ in
            ModuleParts.setTraining(false, in: instance)
            return .none
        },
    ].byName
}

/// The weights and parts found in an instance's attributes, as PyTorch registers them: tensors
/// that need a gradient, layers, models, other instances, and lists of those (a ModuleList).
enum ModuleParts {
    /// A part of a module: its attribute name and how it prints.
    struct Part {
        let name: String
        let description: String
    }

    /// Every weight with its `state_dict` name; a tensor shared by two parts is listed once.
    static func namedParameters(of instance: InstanceObject) -> [(name: String, tensor: Tensor)] {
        var found: [(name: String, tensor: Tensor)] = [], seen = Set<ObjectIdentifier>()
        func add(_ name: String, _ tensor: Tensor) {
            if seen.insert(ObjectIdentifier(tensor)).inserted { found.append((name, tensor)) }
        }
        walk(instance) { value, name in
            switch value {
            case .object(let tensor as TensorObject) where tensor.tensor.requiresGrad && tensor.tensor.isLeaf: add(name, tensor.tensor)
            case .object(let layer as LayerObject): layer.layer.namedParameters.forEach { add("\(name).\($0.name)", $0.tensor) }
            case .object(let model as ModelObject): model.model.namedParameters.forEach { add("\(name).\($0.name)", $0.tensor) }
            default: break
            }
        }
        return found
    }

    /// Calls `body` with every attribute value that is not an instance or a list, named as in the
    /// `state_dict` (`fc`, `blocks.0.fc`), going into nested instances (each once) and lists.
    private static func walk(_ instance: InstanceObject, _ body: (Value, String) -> Void) {
        var visited = Set<ObjectIdentifier>()
        func visit(_ value: Value, _ name: String) {
            switch value {
            case .object(let inner as InstanceObject):
                guard visited.insert(ObjectIdentifier(inner)).inserted else { return }
                for (attribute, value) in inner.attributes { visit(value, name.isEmpty ? attribute : "\(name).\(attribute)") }
            case .list(let list): for (index, item) in list.items.enumerated() { visit(item, "\(name).\(index)") }
            default: body(value, name)
            }
        }
        visit(.object(instance), "")
    }

    /// The attributes that are layers, models, modules or lists of them, for the printout.
    static func parts(of instance: InstanceObject) -> [Part] {
        instance.attributes.compactMap { name, value in
            switch value {
            case .object(let layer as LayerObject): Part(name: name, description: layer.layer.description)
            case .object(let model as ModelObject): Part(name: name, description: model.summary)
            case .object(let inner as InstanceObject) where !namedParameters(of: inner).isEmpty: Part(name: name, description: inner.summary)
            case .object(let tensor as TensorObject) where tensor.tensor.requiresGrad: Part(name: name, description: "parameter \(tensor.tensor.shape)")
            default: nil
            }
        }
    }

    /// Every layer and model in the attributes by identity, named as in the `state_dict` (`fc`, `blocks.0.fc`).
    static func layerNames(of instance: InstanceObject) -> [ObjectIdentifier: String] {
        var names: [ObjectIdentifier: String] = [:]
        walk(instance) { value, name in
            switch value {
            case .object(let layer as LayerObject): names[ObjectIdentifier(layer.layer)] = names[ObjectIdentifier(layer.layer)] ?? name
            case .object(let model as ModelObject): names[ObjectIdentifier(model.model)] = names[ObjectIdentifier(model.model)] ?? name
            default: break
            }
        }
        return names
    }

    /// `model.train()` / `model.eval()`: every layer inside, nested parts included.
    static func setTraining(_ training: Bool, in instance: InstanceObject) {
        forEachLayer(in: instance) { $0.isTraining = training }
    }

    /// Whether any layer inside, nested parts included, is in training mode.
    static func isTraining(_ instance: InstanceObject) -> Bool {
        var training = false
        forEachLayer(in: instance) { training = training || $0.isTraining }
        return training
    }

    /// Visits every layer and model in the attributes, through nested instances and lists.
    private static func forEachLayer(in instance: InstanceObject, _ body: (any Layer) -> Void) {
        walk(instance) { value, _ in
            switch value {
            case .object(let layer as LayerObject): body(layer.layer)
            case .object(let model as ModelObject): body(model.model)
            default: break
            }
        }
    }

    /// The model a class instance trains as: made once, so `train` keeps its optimizer and
    /// recipe across commands; nil when the instance holds no weights.
    static func model(of instance: InstanceObject, calledAt span: SourceSpan? = nil) -> ModelObject? {
        let model = existingOrNewModel(of: instance)
        if let span, let module = model?.model.layers.first as? ScriptedModule { module.callSite = span }
        return model
    }

    private static func existingOrNewModel(of instance: InstanceObject) -> ModelObject? {
        if let model = instance.hostState as? ModelObject { return model }
        guard !namedParameters(of: instance).isEmpty else { return nil }
        let model = ModelObject(Sequential(module: ScriptedModule(instance)))
        instance.hostState = model
        return model
    }
}

/// A class instance as an engine layer: its forward is the class's `forward`, run by the
/// interpreter; its parameters are the instance's weights under their `state_dict` names.
final class ScriptedModule: PartTracingLayer {
    let instance: InstanceObject
    /// The command running the model (`train m on d`): where "called here" points.
    var callSite: SourceSpan?
    /// Per-example output shapes already worked out, by input shape.
    private var shapes: [Shape: Shape] = [:]
    /// Per-example FLOPs of the layers the forward called, by input shape.
    private var flops: [Shape: Int] = [:]

    init(_ instance: InstanceObject) {
        self.instance = instance
    }

    var kind: String { instance.typeName }
    var description: String { instance.typeName }
    var namedParameters: [(name: String, tensor: Tensor)] { ModuleParts.namedParameters(of: instance) }
    var specification: LayerSpecification { .module(className: instance.typeName) }
    var isTraining: Bool {
        get { ModuleParts.isTraining(instance) }
        set { ModuleParts.setTraining(newValue, in: instance) }
    }

    func callAsFunction(_ input: Tensor) throws -> Tensor {
        let forward = instance.type.definition.methods.first { $0.name.text == "forward" }?.headerSpan ?? instance.type.definition.headerSpan
        let result = try instance.callMethod("forward", [TensorObject.value(input)], at: callSite ?? forward)
        guard case .object(let output as TensorObject) = result else {
            throw Diagnostic("\(instance.typeName).forward returned a \(result.typeName); a model's forward must return a tensor", at: forward,
                             hint: "end forward with return followed by the output tensor",
                             notes: callSite.map { [.init("called here", span: $0)] } ?? [])
        }
        return output.tensor
    }

    /// Found by running forward once on one example of zeros, in evaluation mode without
    /// gradients, as torchinfo's summary does: the class's code is the only description.
    func outputShape(for input: Shape) throws(ModelError) -> Shape {
        if let known = shapes[input] { return known }
        let wasTraining = isTraining
        defer { isTraining = wasTraining }
        isTraining = false
        let result = Result { () throws -> (Shape, Int) in
            let zeros = try Tensor.zeros(validating: [1] + input.dimensions)
            let (output, calls) = try LayerCalls.recording { try GradientMode.withoutRecording { try self(zeros) } }
            let work = calls.reduce(0) { $0 + $1.layer.forwardFLOPs(for: Shape(Array($1.input.dimensions.dropFirst()))) }
            return (Shape(Array(output.shape.dimensions.dropFirst())), work)
        }
        switch result {
        case .success(let (shape, work)):
            shapes[input] = shape
            flops[input] = work
            return shape
        case .failure(let error): throw modelError(error, input: input)
        }
    }

    private func modelError(_ error: any Error, input: Shape) -> ModelError {
        if let error = error as? ModelError { return error }
        if let error = error as? TensorError { return ModelError(error) }
        var failure = ModelError("\(instance.typeName).forward failed on an example of shape \(input)")
        if let diagnostic = error as? Diagnostic { failure.cause = .init(diagnostic) }
        return failure
    }

    /// The FLOPs of the layers the forward calls on one example (found by the output-shape
    /// trial); the arithmetic written in the class's own code between them is not counted.
    func forwardFLOPs(for input: Shape) -> Int {
        if flops[input] == nil { _ = try? outputShape(for: input) }
        return flops[input] ?? 0
    }

    /// The forward, with each layer it called named as in the `state_dict`.
    func forwardTracingParts(_ input: Tensor) throws -> (output: Tensor, parts: [TracedPart]) {
        let (output, calls) = try LayerCalls.recording { try self(input) }
        let names = ModuleParts.layerNames(of: instance)
        return (output, calls.map { TracedPart(name: names[ObjectIdentifier($0.layer)] ?? $0.layer.kind, layer: $0.layer, output: $0.output) })
    }
}

/// The layers a class's forward calls, noted while something records them (`step`'s narration,
/// the count of a class model's FLOPs). Only the interpreter's thread calls layers from code.
enum LayerCalls {
    /// One call: the layer, its batched input shape and its output.
    typealias Call = (layer: any Layer, input: Shape, output: Tensor)

    nonisolated(unsafe) private static var calls: [Call]?

    /// Notes a call when recording.
    static func note(_ layer: any Layer, input: Shape, output: Tensor) {
        calls?.append((layer, input, output))
    }

    /// Runs `body`, returning its result and the calls it made (recordings nest).
    static func recording<T>(_ body: () throws -> T) throws -> (T, [Call]) {
        let outer = calls
        calls = []
        defer {
            if var outer, let inner = calls { outer += inner; calls = outer } else { calls = outer }
        }
        let result = try body()
        return (result, calls ?? [])
    }
}
