import Kernels

extension Tensor {
    /// Elementwise choice `condition ? a : b` with broadcasting of all three (`torch.where`): a
    /// nonzero condition takes `a`. The gradient goes to the operand chosen at each place only,
    /// so an infinite or NaN value on the side not taken never leaks into it.
    public static func selecting(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        let target = try ShapeRules.broadcast(try ShapeRules.broadcast(condition.shape, a.shape, operation: "where"), b.shape, operation: "where")
        let mask = try condition.detached().expanded(to: target)
        let (x, y) = (try a.detached().expanded(to: target), try b.detached().expanded(to: target))
        let result = Tensor(uninitialized: target)
        Elementwise.select(mask.pointer, x.pointer, y.pointer, result.pointer, count: result.elementCount)
        if Tensor.shouldRecord(a, b) {
            let (needsA, needsB) = (a.requiresGrad, b.requiresGrad)
            let (shapeA, shapeB) = (a.shape, b.shape)
            result.record("where", inputs: [a, b]) { g in
                let zero = Tensor(0)
                return [needsA ? try selecting(mask, g, zero).summed(toShape: shapeA) : nil,
                        needsB ? try selecting(mask, zero, g).summed(toShape: shapeB) : nil]
            }
        }
        return result
    }

    /// The values limited to [low, high] (either bound optional), as `torch.clamp`: the gradient
    /// passes where low < x < high and is 0 at and beyond a bound (as PyTorch 2.15 computes it).
    public func clamped(low: Float?, high: Float?) throws(TensorError) -> Tensor {
        if let low, let high, low > high {
            throw TensorError("clamp: min \(low) is larger than max \(high)", hint: "give min ≤ max")
        }
        let (lower, upper) = (low ?? -.infinity, high ?? .infinity)
        let result = Tensor(uninitialized: shape)
        Elementwise.clamp(pointer, result.pointer, count: elementCount, low: lower, high: upper)
        if Tensor.shouldRecord(self) {
            let x = detached()
            result.record("clamp", inputs: [self], saving: [x]) { g in
                let inside = Tensor(uninitialized: x.shape)
                Elementwise.strictlyInside(x.pointer, inside.pointer, count: x.elementCount, low: lower, high: upper)
                return [try g * inside]
            }
        }
        return result
    }

    /// One row of `classes` zeros with a 1 at each index (`F.one_hot`): shape indices.shape + [classes].
    public func oneHot(classes: Int) throws(TensorError) -> Tensor {
        guard classes > 0 else { throw TensorError("one_hot: the number of classes must be positive, got \(classes)") }
        let index = try indices(below: classes, "one_hot")
        let result = Tensor.zeros(try Shape.validated(shape.dimensions + [classes], for: "one_hot"))
        for (row, column) in index.enumerated() { result.pointer[row * classes + Int(column)] = 1 }
        return result
    }

    /// The largest index + 1 of a tensor of class indices (`F.one_hot`'s default class count).
    public func classCount() throws(TensorError) -> Int {
        _ = try indices(below: Int(Int32.max), "one_hot")
        return Int(scalars.max() ?? -1) + 1
    }
}
