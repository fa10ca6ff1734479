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
final class GradFunction {
    let name: String
    let inputs: [Tensor]
    let pullback: (Tensor) throws -> [Tensor?]

    init(name: String, inputs: [Tensor], pullback: @escaping (Tensor) throws -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.pullback = pullback
    }
}

extension Tensor {
    /// Whether an operation on these inputs must record its backward rule.
    @inline(__always)
    static func shouldRecord(_ a: Tensor, _ b: Tensor? = nil, _ c: Tensor? = nil) -> Bool {
        (a.requiresGrad || b?.requiresGrad == true || c?.requiresGrad == true) && GradientMode.isEnabled
    }

    /// Attaches a recorded operation to this freshly computed tensor.
    func record(_ name: String, inputs: [Tensor], pullback: @escaping (Tensor) throws -> [Tensor?]) {
        origin = .operation(GradFunction(name: name, inputs: inputs, pullback: pullback))
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

    private func propagate(_ seed: Tensor) throws {
        let order = try topologicalOrder()
        var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        for node in order.reversed() {
            guard let upstream = gradients.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            guard case .operation(let function) = node.origin else {
                if node.requiresGrad { node.accumulateGrad(upstream) }
                continue
            }
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
