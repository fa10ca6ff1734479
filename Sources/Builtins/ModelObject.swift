import Datasets
import Diagnostics
import Display
import Language
import NeuralNetworks
import TensorEngine
import Training

/// A model (a `Sequential`) as the language sees it. Remembers where each of its layers was
/// written, so that a shape error found later (at `train`) points at the offending layer in
/// the source; keeps its optimizer between `train` commands, as a PyTorch script would.
final class ModelObject: HostObject, @unchecked Sendable {
    let model: Sequential
    /// Source locations of the layers, when built with `sequential(…)` in this session.
    let layerSpans: [SourceSpan]?
    /// The optimizer of the last `train`, reused while its settings stay the same.
    var optimizer: (key: String, instance: any Optimizer)?
    /// The loss of the last `train`: `evaluate` and `predict` use it too.
    var trainedLoss: Loss?
    /// The settings and data of the last `train` (what `export` writes into the script's main()).
    var recipe: TrainingRecipe?
    /// The characters a language model's ids stand for (from `gpt(vocab: data.vocab, …)` or
    /// the last `train` on text): `generate` encodes prompts and decodes samples with them.
    var characters: CharacterVocabulary?

    init(_ model: Sequential, layerSpans: [SourceSpan]? = nil) {
        self.model = model
        self.layerSpans = layerSpans
    }

    var typeName: String { "model" }
    var summary: String { "model with \(model.layers.count) layers, \(Format.grouped(model.parameterCount)) parameters" }

    /// The layers as typed, one per line, like PyTorch's module printout.
    func display() -> [DisplayValue] {
        let lines = model.layers.enumerated().map { "  (\($0.offset)): \($0.element)" }
        return [.text((["sequential("] + lines + [")"]).joined(separator: "\n") + "\n\(Format.grouped(model.parameterCount)) parameters")]
    }

    /// The summary table: layer, output shape, parameters and FLOPs per example, with totals.
    func show() -> [DisplayValue] {
        guard let summary = try? ModelSummary(model) else { return display() }
        let rows = summary.rows.map { row in
            [row.layer, row.outputShape?.compactDescription ?? "?", Format.grouped(row.parameters), row.outputShape == nil ? "?" : Format.grouped(row.flops)]
        }
        let input = summary.inputShape.map { "input \($0.compactDescription)" } ?? "input shape unknown until the model sees data"
        let footer = ["total", "", Format.grouped(summary.totalParameters), summary.inputShape == nil ? "?" : Format.grouped(summary.totalFLOPs)]
        return [.table(Table(title: "model (\(input))", headers: ["layer", "output", "params", "FLOPs/example"], rows: rows, footer: footer))]
    }

    var memberNames: [String] { ["layers", "parameter_count", "training"] + Self.methods.keys.sorted() }

    func method(named name: String) -> HostMethod? { Self.methods[name] }

    /// `model.train()` and `model.eval()`, as in PyTorch: dropout is active only while training;
    /// `model.parameters()`, `model.named_parameters()` and `model.zero_grad()`.
    private static let methods: [String: HostMethod] = [
        HostMethod("train", on: ModelObject.self, documentation: "Training mode: dropout is active.") { object, _ in
            object.model.isTraining = true
            return .none
        },
        HostMethod("eval", on: ModelObject.self, documentation: "Evaluation mode: dropout passes everything through.") { object, _ in
            object.model.isTraining = false
            return .none
        },
        HostMethod("parameters", on: ModelObject.self, documentation: "Every weight tensor, as PyTorch's model.parameters() (for an optimizer).") { object, _ in
            .makeList(object.model.parameters.map { TensorObject.value($0) })
        },
        HostMethod("named_parameters", on: ModelObject.self,
                   documentation: "(name, tensor) for every weight, named as in show and the safetensors file (0.weight, 0.bias, …).") { object, _ in
            .makeList(object.model.namedParameters.map { name, tensor in .tuple([.string(name), TensorObject.value(tensor)]) })
        },
        HostMethod("zero_grad", on: ModelObject.self,
                   documentation: "Forgets every weight's gradient (each grad is none until the next backward()).") { object, _ in
            for parameter in object.model.parameters { parameter.zeroGrad() }
            return .none
        },
    ].byName

    /// `m[0]`, `m[-1]`: a layer, as `model[0]` in a PyTorch nn.Sequential.
    func index(_ index: Value) throws(HostError) -> Value {
        let count = model.layers.count
        guard case .number(let number) = index, number == number.rounded(), abs(number) < 1e15 else {
            throw HostError("a model index must be a whole number, got \(index.typeName) \(index.quotedDescription)")
        }
        let position = Int(number) < 0 ? Int(number) + count : Int(number)
        guard model.layers.indices.contains(position) else {
            throw HostError("layer \(Int(number)) is out of range: the model has \(count) layer\(count == 1 ? "" : "s")",
                            hint: count == 0 ? "it has no layers" : "layers are numbered 0…\(count - 1) (or -1 for the last), as in show model")
        }
        return .object(LayerObject(model.layers[position]))
    }

    /// The number of layers, for `len(m)`.
    var length: Int? { model.layers.count }

    func member(_ name: String) throws(HostError) -> Value {
        switch name {
        case "layers": return .makeList(model.layers.map { .object(LayerObject($0)) })
        case "parameter_count": return .number(Double(model.parameterCount))
        case "training": return .bool(model.isTraining)
        default: throw HostError("model has no member '\(name)'", hint: Suggestions.hint(for: name, in: memberNames) ?? "members: \(memberNames.joined(separator: ", "))")
        }
    }

    var callSignature: Signature? { Signature("model", parameters: [.init("x")], documentation: "The forward pass on a batch of inputs.") }

    /// `model(x)`: the forward pass on a batch.
    func call(_ arguments: Arguments) throws(HostError) -> Value {
        guard case .object(let input as TensorObject)? = arguments.value("x") else {
            throw HostError("a model takes one tensor, a batch of inputs", hint: "for example: model(mnist.test[0:8].x)", argument: "x")
        }
        do {
            let output = try hosted { try model(input.tensor) }
            LayerCalls.note(model, input: input.tensor.shape, output: output)
            return TensorObject.value(output)
        } catch let error as HostError { throw error } catch { throw HostError("\(error)") }
    }

    /// The diagnostic for a model error: at the offending layer's source when known.
    func diagnostic(_ error: HostError, during span: SourceSpan, activity: String) -> Diagnostic {
        if let element = error.element, let spans = layerSpans, spans.indices.contains(element) {
            return Diagnostic(error.message, at: spans[element], hint: error.hint, notes: [.init("found while \(activity) here", span: span)])
        }
        return Diagnostic(error.message, at: span, hint: error.hint)
    }
}

/// A single layer, e.g. `l = linear(3, 2)`: callable on a batch, usable in `sequential`.
final class LayerObject: HostObject, @unchecked Sendable {
    let layer: any Layer

    init(_ layer: any Layer) {
        self.layer = layer
    }

    var typeName: String { "layer" }
    var summary: String { layer.description }

    func display() -> [DisplayValue] {
        [.text("\(layer)  (\(Format.grouped(layer.parameterCount)) parameters)")]
    }

    var memberNames: [String] { layer.namedParameters.map(\.name) }

    func member(_ name: String) throws(HostError) -> Value {
        guard let parameter = layer.namedParameters.first(where: { $0.name == name }) else {
            throw HostError("\(layer.kind) has no member '\(name)'", hint: Suggestions.hint(for: name, in: memberNames)
                            ?? (memberNames.isEmpty ? "it has no parameters" : "its parameters: \(memberNames.joined(separator: ", "))"))
        }
        return TensorObject.value(parameter.tensor)
    }

    var callSignature: Signature? { Signature(layer.kind, parameters: [.init("x")], documentation: "The layer applied to a batch.") }

    /// An lstm called on its own answers as nn.LSTM does: `output, (h_n, c_n)`, every step's
    /// hidden state [batch, steps, hidden] and the last hidden and cell states [1, batch, hidden].
    /// (Inside `sequential` it passes on `output` alone.)
    private static func outputsAndState(of lstm: LSTM, _ input: Tensor) throws -> Value {
        let run = try lstm.run(input)
        LayerCalls.note(lstm, input: input.shape, output: run.outputs)
        let state = Value.tuple([TensorObject.value(try run.lastHidden.unsqueezed(axis: 0)), TensorObject.value(try run.lastCell.unsqueezed(axis: 0))])
        return .tuple([TensorObject.value(run.outputs), state])
    }

    func call(_ arguments: Arguments) throws(HostError) -> Value {
        guard case .object(let input as TensorObject)? = arguments.value("x") else {
            throw HostError("a layer takes one tensor", argument: "x")
        }
        do {
            if let lstm = layer as? LSTM { return try hosted { try Self.outputsAndState(of: lstm, input.tensor) } }
            let output = try hosted { try layer(input.tensor) }
            LayerCalls.note(layer, input: input.tensor.shape, output: output)
            return TensorObject.value(output)
        } catch let error as HostError { throw error } catch { throw HostError("\(error)") }
    }
}
