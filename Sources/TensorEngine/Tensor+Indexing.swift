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

    /// The leading axes indexed by tensors of whole numbers, broadcast together (PyTorch's
    /// integer-array indexing): `C[X]` looks up rows, `p[arange(n), ys]` picks one element per row.
    /// The result has the indices' broadcast shape followed by the axes not indexed; negative
    /// indices count from the end. One block copy per picked place; the gradient adds into each
    /// picked place (repeated picks accumulate).
    public func indexed(by indexTensors: [Tensor]) throws(TensorError) -> Tensor {
        guard !indexTensors.isEmpty, indexTensors.count <= rank else {
            throw TensorError("index: \(indexTensors.count) index tensors for a tensor of shape \(shape)",
                              hint: "give at most one index per axis")
        }
        var broadcast = indexTensors[0].shape
        for index in indexTensors.dropFirst() { broadcast = try ShapeRules.broadcast(broadcast, index.shape, operation: "index") }
        let leading = Array(shape.dimensions[..<indexTensors.count])
        let rest = Array(shape.dimensions[indexTensors.count...])
        try MemoryBudget.check(broadcast.dimensions + rest, for: "index")
        guard leading.reduce(1, *) < Int(Int32.max) else {
            throw TensorError("index: the indexed axes \(leading) hold more than 2³¹ places", hint: "index fewer axes at once")
        }
        // One flat row number per picked place: Σ index_k · stride_k over the indexed axes.
        var combined = [Int32](repeating: 0, count: broadcast.elementCount)
        var stride = 1
        for (axis, index) in indexTensors.enumerated().reversed() {
            let size = leading[axis]
            let expanded = try index.detached().expanded(to: broadcast)
            for i in 0..<combined.count {
                let value = expanded.pointer[i]
                guard value == value.rounded(), value >= -Float(size), value < Float(size) else {
                    let shown = value == value.rounded() && value.isFinite ? String(Int(value)) : String(value)
                    throw TensorError("index \(shown) is out of range for axis \(axis) of size \(size)",
                                      hint: size == 0 ? "the axis is empty" : "valid indices are \(-size) to \(size - 1)")
                }
                combined[i] += Int32((value < 0 ? Int(value) + size : Int(value)) * stride)
            }
            stride *= size
        }
        return try reshaped([stride] + rest).selectRows(combined).reshaped(broadcast.dimensions + rest)
    }

    /// Rows `index` (already checked) of this tensor, gathered as one block copy each; the gradient
    /// adds each row's gradient back where it came from.
    private func selectRows(_ index: [Int32]) -> Tensor {
        let inner = shape.dimensions.dropFirst().reduce(1, *)
        let size = shape[0]
        let result = Tensor(uninitialized: Shape([index.count] + Array(shape.dimensions.dropFirst())))
        index.withUnsafeBufferPointer { buffer in
            Movement.selectBlocks(pointer, index: buffer, result.pointer, outer: 1, sourceCount: size, inner: inner)
        }
        if Tensor.shouldRecord(self) {
            let inputShape = shape
            result.record("index", inputs: [self]) { g in
                let gradient = Tensor.zeros(inputShape)
                index.withUnsafeBufferPointer { buffer in
                    Movement.accumulateBlocks(g.pointer, index: buffer, into: gradient.pointer, outer: 1, sourceCount: size, inner: inner)
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
