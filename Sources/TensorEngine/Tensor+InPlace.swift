/// In-place changes as PyTorch records them: `c += d` on a computed tensor is the out-of-place
/// result written into c's storage, and c continues with that result's history; a pullback that
/// had saved c's old values then refuses to run (the storage's version moved on).
extension Tensor {
    /// Whether changing this tensor in place now is refused: a leaf that needs a gradient may
    /// change only with recording off (`no_grad:`), as in PyTorch.
    public var isProtectedFromInPlaceChange: Bool {
        isLeaf && requiresGrad && GradientMode.isEnabled
    }

    /// Changes the elements in place to `operation(self)` (which computes out of place and keeps
    /// the shape) and returns the tensor that now stands for them: this one when nothing was
    /// recorded, else a new tensor on the same storage carrying the operation's history (the old
    /// node stays in the graph as its input). When the operation itself needs the old values for
    /// its gradient (`c *= d`), it reads them from a recorded copy, as PyTorch keeps the original.
    public func changedInPlace(at site: (any ChangeSite)?, by operation: (Tensor) throws -> Tensor) throws -> Tensor {
        guard !isProtectedFromInPlaceChange else {
            throw TensorError("a tensor that needs a gradient (a leaf, made with grad: true) cannot change in place while gradients are recorded",
                              hint: "put the change inside no_grad:, as torch.no_grad() in PyTorch")
        }
        var result = try operation(self)
        if case .operation(let function) = result.origin, function.saved.contains(where: { $0.storage === storage }) {
            result = try operation(cloned())
        }
        guard result.shape == shape else {
            throw TensorError("an in-place change would turn the shape \(shape) into \(result.shape)",
                              hint: "the right side must fit the tensor's shape (or be one number)")
        }
        if result.storage !== storage {
            pointer.update(from: result.pointer, count: elementCount)
        }
        storage.noteChange(at: site)
        guard case .operation = result.origin else { return self }
        let rebased = Tensor(shape: shape, storage: storage, requiresGrad: true)
        rebased.origin = result.origin
        return rebased
    }

    /// A copy whose gradient flows back unchanged (`torch.clone`).
    public func cloned() -> Tensor {
        let result = copy()
        if Tensor.shouldRecord(self) {
            result.record("clone", inputs: [self]) { g in [g] }
        }
        return result
    }
}
