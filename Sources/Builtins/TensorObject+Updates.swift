import Language
import TensorEngine

extension TensorObject {
    /// `w -= lr * w.grad`: the tensor changes in place, so every model holding it sees the new
    /// values. As in PyTorch, a tensor that needs a gradient may change only inside `no_grad:`.
    func updateInPlace(_ op: BinaryOperator, _ other: Value) throws(HostError) -> Bool {
        guard TensorObject.supports(op) else { return false }
        if GradientMode.isEnabled && tensor.requiresGrad {
            throw HostError("this tensor needs a gradient, so changing it in place would have to be recorded for backward()",
                            hint: "put the update inside no_grad:, as torch.no_grad() in PyTorch:\n    no_grad:\n        w -= lr * w.grad")
        }
        guard let operand = Self.operand(other) else { return false }
        let result = try hostValue { TensorObject.value(try TensorObject.apply(op, tensor, operand)) }
        guard case .object(let updated as TensorObject) = result, updated.tensor.shape == tensor.shape else {
            throw HostError("\(op.rawValue)= would change the shape \(tensor.shape) of this tensor",
                            hint: "the right side must fit the tensor's shape (or be one number)")
        }
        if updated.tensor.requiresGrad {
            throw HostError("the right side of \(op.rawValue)= needs a gradient, so the change would have to be recorded",
                            hint: "write it as a new tensor instead: x = x \(op.rawValue) …")
        }
        updated.tensor.withUnsafeScalars { source in
            tensor.updateScalars { $0.baseAddress!.update(from: source.baseAddress!, count: source.count) }
        }
        return true
    }

    /// `w.requires_grad = true`: a tensor made by hand starts or stops tracking gradients.
    func setMember(_ name: String, to value: Value) throws(HostError) {
        guard name == "requires_grad" else {
            throw HostError("tensor.\(name) cannot be assigned to", hint: memberNames.contains(name) ? "it can only be read" : memberHint(for: name))
        }
        guard case .bool(let flag) = value else { throw HostError("requires_grad is true or false, got \(value.typeName) \(value.quotedDescription)") }
        guard tensor.isLeaf else {
            throw HostError("only a tensor made directly (not computed from others) can change requires_grad",
                            hint: "use x.detach() for a copy cut off from the graph")
        }
        tensor.requiresGrad = flag
    }

    /// `if x:` on a one-element tensor is its value; more elements are ambiguous, as in PyTorch.
    func truthValue() throws(HostError) -> Bool {
        guard let number = numberValue else {
            throw HostError("the truth of a tensor with \(tensor.elementCount) elements is ambiguous",
                            hint: "reduce it first, e.g. (x > 0).sum() > 0, or x.max() > 0")
        }
        return number != 0
    }

    /// `for row in x:` goes over the first axis.
    func makeIterator() throws(HostError) -> (any ValueIterator)? {
        guard tensor.rank > 0 else { throw HostError("a tensor holding one number cannot be looped over", hint: "use x.item() for the number") }
        let tensor = self.tensor
        return ArrayIterator((0..<tensor.shape[0]).lazy.map { TensorObject.value(try! tensor.select(axis: 0, index: $0)) })  // in range
    }
}
