import Diagnostics
import Language
import TensorEngine

extension TensorObject {
    /// `w -= lr * w.grad`: the tensor changes in place, so every model holding it sees the new
    /// values. As in PyTorch, a weight that needs a gradient may change only inside `no_grad:`;
    /// on a computed tensor (`c += c + 1`) the change is recorded, so backward() sees it.
    func updateInPlace(_ op: BinaryOperator, _ other: Value, at span: SourceSpan) throws(HostError) -> Bool {
        guard TensorObject.supports(op) else { return false }
        if tensor.isProtectedFromInPlaceChange {
            throw HostError("this tensor needs a gradient, so changing it in place would have to be recorded for backward()",
                            hint: "put the update inside no_grad:, as torch.no_grad() in PyTorch:\n    no_grad:\n        w -= lr * w.grad")
        }
        guard let operand = Self.operand(other) else { return false }
        let current = tensor
        _ = try hostValue {
            tensor = try current.changedInPlace(at: SourceChangeSite(span)) { base in
                try TensorObject.apply(op, base, operand === current ? base : operand)
            }
            return .none
        }
        return true
    }

    /// `w.requires_grad = true`: a tensor made by hand starts or stops tracking gradients.
    func setMember(_ name: String, to value: Value) throws(HostError) {
        if name == "grad" {  // `p.grad = none`, as PyTorch code clears a gradient
            guard case .none = value else {
                throw HostError("a tensor's grad can only be set to none, got \(value.typeName) \(value.quotedDescription)",
                                hint: "backward() fills grad; p.grad = none (or p.zero_grad()) clears it")
            }
            tensor.zeroGrad()
            return
        }
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
