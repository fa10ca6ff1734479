import Kernels

extension Tensor {
    /// The values as Int32 indices in 0..<size, or an error naming the first bad one.
    func indices(below size: Int, _ operation: String) throws(TensorError) -> [Int32] {
        var result = [Int32](repeating: 0, count: elementCount)
        for i in 0..<elementCount {
            let value = pointer[i]
            guard value == value.rounded(), value >= 0, value < Float(size) else {
                let shown = value == value.rounded() && value.isFinite ? String(Int(value)) : String(value)
                throw TensorError("\(operation): index \(shown) is out of range for size \(size)",
                                  hint: "indices must be whole numbers from 0 to \(size - 1)")
            }
            result[i] = Int32(value)
        }
        return result
    }

    /// The slices at `indices` (a vector of whole numbers) along `axis` (as `torch.index_select`).
    public func indexSelect(axis: Int, indices: Tensor) throws(TensorError) -> Tensor {
        try indexSelect(axis: axis, indices: indices, operation: "index_select")
    }

    func indexSelect(axis: Int, indices: Tensor, operation: String) throws(TensorError) -> Tensor {
        let normalized = try ShapeRules.axis(axis, rank: rank, operation: operation)
        guard indices.rank == 1 else {
            throw TensorError("\(operation): indices must be a vector, got shape \(indices.shape)")
        }
        let size = shape[normalized]
        let index = try indices.indices(below: size, operation)
        let outer = shape.dimensions[..<normalized].reduce(1, *)
        let inner = shape.dimensions[(normalized + 1)...].reduce(1, *)
        var dimensions = shape.dimensions
        dimensions[normalized] = index.count
        let result = Tensor(uninitialized: Shape(dimensions))
        index.withUnsafeBufferPointer { buffer in
            Movement.selectBlocks(pointer, index: buffer, result.pointer, outer: outer, sourceCount: size, inner: inner)
        }
        if Tensor.shouldRecord(self) {
            let inputShape = shape
            result.record("index_select", inputs: [self]) { g in
                let gradient = Tensor.zeros(inputShape)
                index.withUnsafeBufferPointer { buffer in
                    Movement.accumulateBlocks(g.pointer, index: buffer, into: gradient.pointer, outer: outer,
                                              sourceCount: size, inner: inner)
                }
                return [gradient]
            }
        }
        return result
    }

    /// out[…, j, …] = self[…, index[…, j, …], …] along `axis` (as `torch.gather`); `index` has the
    /// same rank and the same sizes on every other axis.
    public func gather(axis: Int, index: Tensor) throws(TensorError) -> Tensor {
        let normalized = try ShapeRules.axis(axis, rank: rank, operation: "gather")
        guard index.rank == rank, (0..<rank).allSatisfy({ $0 == normalized || index.shape[$0] == shape[$0] }) else {
            throw TensorError("gather: index of shape \(index.shape) does not fit input of shape \(shape) along axis \(normalized)",
                              hint: "the index needs the input's sizes on every axis except \(normalized)")
        }
        let size = shape[normalized]
        let indexValues = try index.indices(below: size, "gather")
        let outer = shape.dimensions[..<normalized].reduce(1, *)
        let inner = shape.dimensions[(normalized + 1)...].reduce(1, *)
        let selected = index.shape[normalized]
        let result = Tensor(uninitialized: index.shape)
        indexValues.withUnsafeBufferPointer { buffer in
            Movement.gatherAlongAxis(pointer, index: buffer.baseAddress!, result.pointer, outer: outer, sourceCount: size,
                                     selected: selected, inner: inner)
        }
        if Tensor.shouldRecord(self) {
            let inputShape = shape
            result.record("gather", inputs: [self]) { g in
                let gradient = Tensor.zeros(inputShape)
                indexValues.withUnsafeBufferPointer { buffer in
                    Movement.scatterAddAlongAxis(g.pointer, index: buffer.baseAddress!, into: gradient.pointer, outer: outer,
                                                 sourceCount: size, selected: selected, inner: inner)
                }
                return [gradient]
            }
        }
        return result
    }

    /// Rows of this [vocabulary, dimension] table looked up by `indices` of any shape:
    /// the result has shape indices.shape + [dimension] (composed from `indexSelect`).
    public func embeddingLookup(_ indices: Tensor) throws(TensorError) -> Tensor {
        guard rank == 2 else {
            throw TensorError("embedding: the table must have shape [vocabulary, dimension], got \(shape)")
        }
        return try indexSelect(axis: 0, indices: indices.flattened(), operation: "embedding").reshaped(indices.shape.dimensions + [shape[1]])
    }
}
