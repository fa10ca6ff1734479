import Kernels

extension Tensor {
    /// The same elements with another shape (sharing storage); one size may be −1.
    public func reshaped(_ dimensions: [Int]) throws(TensorError) -> Tensor {
        let target = try ShapeRules.reshape(shape, to: dimensions)
        let result = reshapedUnrecorded(target)
        if Tensor.shouldRecord(self) {
            let inputShape = shape
            result.record("reshape", inputs: [self]) { g in [g.reshapedUnrecorded(inputShape)] }
        }
        return result
    }

    /// Shares storage under a shape with the same element count (callers have checked it).
    func reshapedUnrecorded(_ target: Shape) -> Tensor {
        Tensor(shape: target, storage: storage)
    }

    /// All elements in one axis.
    public func flattened() -> Tensor {
        try! reshaped([elementCount])  // a flat shape with the same count always fits
    }

    /// The tensor with axes of size 1 inserted at `axis`.
    public func unsqueezed(axis: Int) throws(TensorError) -> Tensor {
        let normalized = try ShapeRules.axis(axis, rank: rank + 1, operation: "unsqueeze")
        var dimensions = shape.dimensions
        dimensions.insert(1, at: normalized)
        return try reshaped(dimensions)
    }

    /// The tensor without its axes of size 1, or without `axis` if it has size 1 (`torch.squeeze`:
    /// an axis of another size is left as it is).
    public func squeezed(axis: Int? = nil) throws(TensorError) -> Tensor {
        guard let axis else { return try reshaped(shape.dimensions.filter { $0 != 1 }) }
        let normalized = try ShapeRules.axis(axis, rank: Swift.max(rank, 1), operation: "squeeze")
        guard rank > 0, shape[normalized] == 1 else { return self }
        var dimensions = shape.dimensions
        dimensions.remove(at: normalized)
        return try reshaped(dimensions)
    }

    /// Axes `start` through `end` (inclusive, negative from the end) merged into one (`torch.flatten`).
    public func flattened(start: Int, end: Int = -1) throws(TensorError) -> Tensor {
        guard rank > 0 else { return try reshaped([1]) }
        let first = try ShapeRules.axis(start, rank: rank, operation: "flatten")
        let last = try ShapeRules.axis(end, rank: rank, operation: "flatten")
        guard first <= last else {
            throw TensorError("flatten: start axis \(start) comes after end axis \(end) for a tensor of shape \(shape)")
        }
        let merged = shape.dimensions[first...last].reduce(1, *)
        return try reshaped(Array(shape.dimensions[..<first]) + [merged] + Array(shape.dimensions[(last + 1)...]))
    }

    /// Axes reordered: result axis i is input axis `order[i]`.
    public func permuted(_ order: [Int]) throws(TensorError) -> Tensor {
        guard order.count == rank, Set(order.map { $0 < 0 ? $0 + rank : $0 }) == Set(0..<rank) else {
            throw TensorError("permute: \(order) is not an ordering of the \(rank) axes of a tensor of shape \(shape)")
        }
        let normalized = order.map { $0 < 0 ? $0 + rank : $0 }
        let strides = shape.contiguousStrides
        let result = Tensor(uninitialized: Shape(normalized.map { shape[$0] }))
        Movement.gather(from: pointer, offset: 0, strides: normalized.map { strides[$0] },
                        into: result.pointer, shape: result.shape.dimensions)
        if Tensor.shouldRecord(self) {
            var inverse = Array(repeating: 0, count: rank)
            for (position, axis) in normalized.enumerated() { inverse[axis] = position }
            result.record("permute", inputs: [self]) { g in [try g.permuted(inverse)] }
        }
        return result
    }

    /// Two axes swapped (a copy).
    public func transposed(_ axis0: Int = -2, _ axis1: Int = -1) throws(TensorError) -> Tensor {
        let a = try ShapeRules.axis(axis0, rank: rank, operation: "transpose")
        let b = try ShapeRules.axis(axis1, rank: rank, operation: "transpose")
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return try permuted(order)
    }

    /// The tensor broadcast (copied) to a larger shape, as `torch.expand` followed by a copy.
    public func expanded(to target: Shape) throws(TensorError) -> Tensor {
        if target == shape { return self }
        let broadcastShape = try ShapeRules.broadcast(shape, target, operation: "expand")
        guard broadcastShape == target else {
            throw TensorError("expand: shape \(shape) cannot be expanded to \(target)")
        }
        let result = Tensor(uninitialized: target)
        Movement.gather(from: pointer, offset: 0, strides: ShapeRules.broadcastStrides(shape, to: target),
                        into: result.pointer, shape: target.dimensions)
        if Tensor.shouldRecord(self) {
            let inputShape = shape
            result.record("expand", inputs: [self]) { g in [try g.summed(toShape: inputShape)] }
        }
        return result
    }

    /// Tensors joined along an existing axis.
    public static func concatenate(_ tensors: [Tensor], axis: Int = 0) throws(TensorError) -> Tensor {
        let outputShape = try ShapeRules.concatenate(tensors.map(\.shape), axis: axis)
        let normalized = axis < 0 ? axis + outputShape.rank : axis
        let outer = outputShape.dimensions[..<normalized].reduce(1, *)
        let inner = outputShape.dimensions[(normalized + 1)...].reduce(1, *)
        let result = Tensor(uninitialized: outputShape)
        let rowLength = outputShape[normalized] * inner
        var offset = 0
        for tensor in tensors {
            let block = tensor.shape[normalized] * inner
            for o in 0..<outer {
                (result.pointer + o * rowLength + offset).update(from: tensor.pointer + o * block, count: block)
            }
            offset += block
        }
        if tensors.contains(where: \.requiresGrad) && GradientMode.isEnabled {
            let sizes = tensors.map { $0.shape[normalized] }
            result.record("concatenate", inputs: tensors) { g in
                var start = 0
                return try sizes.map { (size) throws(TensorError) -> Tensor? in
                    defer { start += size }
                    return try g.slice(axis: normalized, start: start, end: start + size)
                }
            }
        }
        return result
    }

    /// Tensors of equal shape joined along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws(TensorError) -> Tensor {
        guard let first = tensors.first else { throw TensorError("stack: needs at least one tensor") }
        for (index, tensor) in tensors.enumerated() where tensor.shape != first.shape {
            throw TensorError("stack: tensor \(index) has shape \(tensor.shape), tensor 0 has shape \(first.shape)",
                              hint: "stacked tensors must all have the same shape")
        }
        let normalized = try ShapeRules.axis(axis, rank: first.rank + 1, operation: "stack")
        return try concatenate(tensors.map { (tensor) throws(TensorError) in try tensor.unsqueezed(axis: normalized) }, axis: normalized)
    }
}
