import Diagnostics
import Display
import Language
import TensorEngine

/// PyTorch's custom autograd function: `class Fn(torch.autograd.Function):` with static
/// `forward(ctx, …)` and `backward(ctx, grad_output)`; `Fn.apply(x)` runs forward without
/// recording and records its result as one operation whose pullback is the class's backward.
final class AutogradFunctionRunner: AutogradFunctionSupport {
    /// The one runner every session's registry points at (it keeps no state).
    static let shared = AutogradFunctionRunner()

    func apply(_ function: ClassObject, _ inputs: [Value], at span: SourceSpan) throws -> Value {
        let context = FunctionContextObject(of: function.name, needsInputGrad: inputs.map { Self.tensor(in: $0)?.requiresGrad ?? false })
        let output = try GradientMode.withoutRecording { try function.callMethod("forward", [.object(context)] + inputs, at: span) }
        guard let values = Self.tensor(in: output) else {
            throw Diagnostic("\(function.name).forward returned a \(output.typeName); apply records a function that gives one tensor", at: span,
                             hint: "return the result tensor from forward")
        }
        let tensorInputs = inputs.indices.compactMap { index in Self.tensor(in: inputs[index]).map { (index: index, tensor: $0) } }
        let recorded = Tensor.custom(function.name, values: values, inputs: tensorInputs.map(\.tensor), saving: context.savedTensors) { gradient in
            let returned = try function.callMethod("backward", [.object(context), TensorObject.value(gradient)], at: span)
            return try Self.inputGradients(returned, of: function.name, inputs: inputs.count, tensorInputs: tensorInputs, at: span)
        }
        return TensorObject.value(recorded)
    }

    /// Backward's answer, one gradient (or none) per input of forward, kept for the tensor inputs;
    /// each must have its input's shape (the engine would otherwise broadcast a wrong gradient).
    private static func inputGradients(_ returned: Value, of name: String, inputs: Int, tensorInputs: [(index: Int, tensor: Tensor)],
                                       at span: SourceSpan) throws(HostError) -> [Tensor?] {
        // Reported at the backward() that ran it, with a note at the apply that recorded it.
        func refusal(_ message: String, hint: String) -> HostError {
            var error = HostError(message, hint: hint)
            error.notes = [Diagnostic.Note("\(name) was applied here", span: span)]
            return error
        }
        let gradients: [Value]
        if case .tuple(let tuple) = returned { gradients = tuple.items } else { gradients = [returned] }
        guard gradients.count == inputs else {
            throw refusal("\(name).backward returned \(gradients.count) gradient\(gradients.count == 1 ? "" : "s") for the \(inputs) input\(inputs == 1 ? "" : "s") of forward",
                          hint: "return one gradient per input of forward after ctx, none for an input that needs none")
        }
        return try tensorInputs.map { input throws(HostError) in
            let gradient = gradients[input.index]
            if case .none = gradient { return nil }
            guard let tensor = tensor(in: gradient) else {
                throw refusal("\(name).backward returned a \(gradient.typeName) as the gradient of input \(input.index + 1); it must be a tensor or none",
                              hint: "return a tensor of the input's shape \(input.tensor.shape)")
            }
            guard tensor.shape == input.tensor.shape else {
                throw refusal("\(name).backward returned a gradient of shape \(tensor.shape) for input \(input.index + 1), whose shape is \(input.tensor.shape)",
                              hint: "the gradient of an input has the input's shape (PyTorch: \"Function backward returned an invalid gradient\")")
            }
            return tensor
        }
    }

    private static func tensor(in value: Value) -> Tensor? {
        if case .object(let object as TensorObject) = value { object.tensor } else { nil }
    }
}

/// `ctx` in a custom autograd function: the tensors forward saves for backward
/// (`save_for_backward`, `saved_tensors`), `needs_input_grad`, and any attribute forward sets.
final class FunctionContextObject: HostObject, @unchecked Sendable {
    private let functionName: String
    private let needsInputGrad: [Bool]
    private var saved: [Value] = []
    private var attributes: [String: Value] = [:]

    init(of functionName: String, needsInputGrad: [Bool]) {
        self.functionName = functionName
        self.needsInputGrad = needsInputGrad
    }

    /// The tensors saved so far (their versions are checked before backward uses them).
    var savedTensors: [Tensor] {
        saved.compactMap { if case .object(let object as TensorObject) = $0 { object.tensor } else { nil } }
    }

    var typeName: String { "ctx" }
    var summary: String { "ctx of \(functionName) (\(saved.count) saved)" }
    func display() -> [DisplayValue] { [.text(summary)] }
    var memberNames: [String] { (["needs_input_grad", "saved_tensors"] + Self.methods.keys + attributes.keys).sorted() }
    func method(named name: String) -> HostMethod? { attributes[name] == nil ? Self.methods[name] : nil }

    func member(_ name: String) throws(HostError) -> Value {
        switch name {
        case "saved_tensors": return .tuple(saved)
        case "needs_input_grad": return .tuple(needsInputGrad.map(Value.bool))
        default:
            guard let value = attributes[name] else {
                throw HostError("ctx has no attribute '\(name)'", hint: "set it in forward (ctx.\(name) = …) to use it in backward; ctx has \(memberNames.joined(separator: ", "))")
            }
            return value
        }
    }

    func setMember(_ name: String, to value: Value) throws(HostError) {
        guard !["saved_tensors", "needs_input_grad"].contains(name) else {
            throw HostError("ctx.\(name) cannot be set", hint: name == "saved_tensors" ? "ctx.save_for_backward(a, b) saves tensors" : nil)
        }
        attributes[name] = value
    }

    private static let methods: [String: HostMethod] = [
        HostMethod("save_for_backward", on: FunctionContextObject.self, variadic: "tensors",
                   documentation: "Keeps tensors (or none) for backward, which reads them as ctx.saved_tensors.") { context, arguments in
            for (index, value) in arguments.rest.enumerated() {
                switch value {
                case .none, .object(is TensorObject): continue
                default:
                    throw HostError("save_for_backward keeps tensors; argument \(index + 1) is a \(value.typeName)",
                                    hint: "keep other values as attributes: ctx.name = value")
                }
            }
            context.saved = arguments.rest
            return .none
        },
        HostMethod("mark_non_differentiable", on: FunctionContextObject.self, variadic: "tensors",
                   documentation: "Accepted as PyTorch's; the result's gradient is whatever backward returns.") { _, _ in .none },
    ].byName
}
