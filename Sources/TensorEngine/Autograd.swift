import Kernels

/// How a tensor came to be: created directly, computed by a recorded operation, or computed by an
/// operation whose backward has already run and released its saved values.
enum Origin {
    case leaf
    case operation(GradFunction)
    case released(name: String)
}

/// One recorded operation: its inputs and the pullback that maps the gradient of its output to
/// the gradients of its inputs (nil for inputs that need none). The pullback captures input and
/// output *values*, never the output tensor itself, so the graph holds no reference cycle.
/// The values it captured are listed in `saved` with the version each had, so `backward()` can
/// refuse to use one that was changed in place since (PyTorch's saved-tensor version check).
final class GradFunction {
    let name: String
    let inputs: [Tensor]
    let saved: [SavedValue]
    let pullback: (Tensor) throws -> [Tensor?]

    init(name: String, inputs: [Tensor], saved: [SavedValue], pullback: @escaping (Tensor) throws -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.saved = saved
        self.pullback = pullback
    }

    /// An error when a value this operation saved was changed in place after it was saved.
    func changedSavedValue() -> TensorError? {
        guard let value = saved.first(where: { $0.storage.version != $0.version }) else { return nil }
        let change = value.storage.lastChange.map { " (\($0.summary))" } ?? ""
        return TensorError(
            "backward: a tensor of shape \(value.shape) that '\(name)' saved for the gradient was changed in place\(change) after the forward pass (it is at version \(value.storage.version), '\(name)' saw version \(value.version))",
            hint: "PyTorch: \"one of the variables needed for gradient computation has been modified by an inplace operation\". Run the forward pass again after the change, or change a copy (a = a - 1 makes a new tensor)",
            changeSite: value.storage.lastChange)
    }
}

/// A value a pullback captured, with the version of its storage at that moment.
struct SavedValue {
    let storage: TensorStorage
    let version: Int
    let shape: Shape

    init(_ tensor: Tensor) {
        storage = tensor.storage
        version = tensor.storage.version
        shape = tensor.shape
    }
}

extension Tensor {
    /// Whether an operation on these inputs must record its backward rule.
    @inline(__always)
    static func shouldRecord(_ a: Tensor, _ b: Tensor? = nil, _ c: Tensor? = nil) -> Bool {
        (a.requiresGrad || b?.requiresGrad == true || c?.requiresGrad == true) && GradientMode.isEnabled
    }

    /// Attaches a recorded operation to this freshly computed tensor. `saving` lists every tensor
    /// value the pullback captured (inputs or this output), so that changing one in place before
    /// `backward()` is an error instead of a wrong gradient.
    func record(_ name: String, inputs: [Tensor], saving saved: [Tensor?] = [],
                pullback: @escaping (Tensor) throws -> [Tensor?]) {
        origin = .operation(GradFunction(name: name, inputs: inputs, saved: saved.compactMap { $0.map(SavedValue.init) },
                                         pullback: pullback))
        requiresGrad = true
    }

    /// Back-propagates from this tensor: adds d(self)/d(leaf) · `gradient` into the `grad` of every
    /// leaf that requires one. `gradient` defaults to 1 for a one-element tensor. The graph's saved
    /// values are released afterwards (as PyTorch without `retain_graph`).
    public func backward(gradient: Tensor? = nil) throws {
        guard requiresGrad else {
            throw TensorError("backward: this tensor does not require a gradient",
                              hint: "only results computed from tensors with requiresGrad = true can be differentiated")
        }
        let seed: Tensor
        if let gradient {
            guard gradient.shape == shape else {
                throw TensorError("backward: gradient of shape \(gradient.shape) does not match output shape \(shape)")
            }
            seed = gradient
        } else {
            guard elementCount == 1 else {
                throw TensorError("backward: output has shape \(shape), not one element",
                                  hint: "reduce it to a scalar (e.g. .sum() or .mean()) or pass gradient:")
            }
            seed = Tensor.ones(shape)
        }
        try GradientMode.withoutRecording { try propagate(seed) }
    }

    /// Every saved value is checked before any pullback runs, so a refused backward changes no
    /// gradient and leaves the graph as it was.
    private func propagate(_ seed: Tensor) throws {
        let order = try topologicalOrder()
        for node in order {
            if case .operation(let function) = node.origin, let error = function.changedSavedValue() { throw error }
        }
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        for node in order.reversed() {
            guard let upstream = gradients.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard case .operation(let function) = node.origin else {
                if node.requiresGrad { node.accumulateGrad(upstream) }
                continue
            }
            if node.retainsGrad { node.accumulateGrad(upstream) }
            let inputGradients = try function.pullback(upstream)
            node.origin = .released(name: function.name)
            for (input, gradient) in zip(function.inputs, inputGradients) {
                guard let gradient, input.requiresGrad else { continue }
                let key = ObjectIdentifier(input)
                gradients[key] = try gradients[key].map { try $0 + gradient } ?? gradient
            }
        }
    }

    /// Every tensor this one depends on through recorded operations, inputs before outputs
    /// (an iterative depth-first search: deep graphs such as long RNNs cannot overflow the stack).
    private func topologicalOrder() throws -> [Tensor] {
        var order: [Tensor] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        var stack: [(tensor: Tensor, nextInput: Int)] = [(self, 0)]
        while let (tensor, nextInput) = stack.last {
            let inputs: [Tensor]
            switch tensor.origin {
            case .operation(let function): inputs = function.inputs
            case .leaf: inputs = []
            case .released(let name):
                throw TensorError("backward: the graph through '\(name)' was already used by an earlier backward()",
                                  hint: "recompute the forward pass before calling backward() again")
            }
            if nextInput < inputs.count {
                stack[stack.count - 1].nextInput += 1
                let input = inputs[nextInput]
                if input.requiresGrad, visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(tensor)
                stack.removeLast()
            }
        }
        return order
    }

    /// Keeps this computed tensor's gradient in `grad` at the next `backward()` (as PyTorch's
    /// `retain_grad()`); a leaf keeps its gradient anyway.
    public func retainGrad() {
        if !isLeaf { retainsGrad = true }
    }

    /// grad += g (a fresh tensor, so a gradient shared with another tensor is never modified).
    private func accumulateGrad(_ g: Tensor) {
        if let existing = grad {
            let sum = Tensor(uninitialized: shape)
            sum.pointer.update(from: existing.pointer, count: elementCount)
            Kernels.Elementwise.accumulate(g.pointer, into: sum.pointer, count: elementCount)
            grad = sum
        } else {
            grad = g
        }
    }
}

extension Tensor {
    /// `values` as the result of an operation written outside the engine (a user's
    /// `torch.autograd.Function`): a fresh tensor sharing its storage whose recorded backward is
    /// `pullback`, mapping the output's gradient to one gradient (or nil) per input. `saving` lists
    /// what the operation kept for its backward, so changing one in place afterwards is an error.
    /// Nothing is recorded when no input needs a gradient or recording is off.
    public static func custom(_ name: String, values: Tensor, inputs: [Tensor], saving saved: [Tensor],
                              pullback: @escaping (Tensor) throws -> [Tensor?]) -> Tensor {
        let result = values.detached()
        guard inputs.contains(where: \.requiresGrad), GradientMode.isEnabled else { return result }
        result.record(name, inputs: inputs, saving: saved, pullback: pullback)
        return result
    }
}
