import Kernels

extension Tensor {
    /// Matrix product with PyTorch's `matmul` rules (vectors, batches, broadcast batch axes).
    /// `transposingSelf`/`transposingOther` multiply by the transpose of the last two axes without
    /// copying: OpenBLAS reads the matrix transposed (this is how `Linear` computes x·Wᵀ).
    public func matmul(
        _ other: Tensor, transposingSelf: Bool = false, transposingOther: Bool = false
    ) throws(TensorError) -> Tensor {
        let outputShape = try ShapeRules.matmul(shape, other.shape, transposingA: transposingSelf && rank > 1,
                                                transposingB: transposingOther && other.rank > 1)
        if rank == 1 {
            return try reshaped([1, shape[0]]).matmul(other, transposingOther: transposingOther).reshaped(outputShape.dimensions)
        }
        if other.rank == 1 {
            return try matmul(other.reshaped([other.shape[0], 1]), transposingSelf: transposingSelf)
                .reshaped(outputShape.dimensions)
        }
        if rank == 2 && other.rank == 2 {
            return try Tensor.batchedProduct(reshapedUnrecorded([1, shape[0], shape[1]]).asInputOf(self),
                                             other.reshapedUnrecorded([1, other.shape[0], other.shape[1]]).asInputOf(other),
                                             transposingSelf, transposingOther).reshaped(outputShape.dimensions)
        }
        if other.rank == 2 && !transposingSelf {
            // [..., M, K] · [K, N]: one GEMM over all rows at once.
            return try reshaped([-1, shape[rank - 1]]).matmul(other, transposingOther: transposingOther)
                .reshaped(outputShape.dimensions)
        }
        let batch = outputShape.dimensions.dropLast(2)
        let batchCount = batch.reduce(1, *)
        let left = try expanded(to: Shape(Array(batch) + shape.dimensions.suffix(2)))
            .reshaped([batchCount, shape[rank - 2], shape[rank - 1]])
        let right = try other.expanded(to: Shape(Array(batch) + other.shape.dimensions.suffix(2)))
            .reshaped([batchCount, other.shape[other.rank - 2], other.shape[other.rank - 1]])
        return try Tensor.batchedProduct(left, right, transposingSelf, transposingOther).reshaped(outputShape.dimensions)
    }

    /// A reshaped view that stands for `original` in the graph (shares its gradient path).
    private func asInputOf(_ original: Tensor) -> Tensor {
        if Tensor.shouldRecord(original) {
            let originalShape = original.shape
            record("reshape", inputs: [original]) { g in [g.reshapedUnrecorded(originalShape)] }
        }
        return self
    }

    /// The primitive: C[i] = op(A[i]) · op(B[i]) for 3-D operands with equal batch sizes.
    static func batchedProduct(_ a: Tensor, _ b: Tensor, _ transposeA: Bool, _ transposeB: Bool) -> Tensor {
        let (batch, aRows, aColumns) = (a.shape[0], a.shape[1], a.shape[2])
        let (bRows, bColumns) = (b.shape[1], b.shape[2])
        let (m, k) = transposeA ? (aColumns, aRows) : (aRows, aColumns)
        let n = transposeB ? bRows : bColumns
        let result = Tensor(uninitialized: [batch, m, n])
        for i in 0..<batch {
            Gemm.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: a.pointer + i * aRows * aColumns, lda: aColumns,
                          b: b.pointer + i * bRows * bColumns, ldb: bColumns,
                          beta: 0, c: result.pointer + i * m * n, ldc: n)
        }
        if shouldRecord(a, b) {
            let (aValue, bValue) = (a.detached(), b.detached())
            let (needsA, needsB) = (a.requiresGrad, b.requiresGrad)
            result.record("matmul", inputs: [a, b], saving: [needsB ? aValue : nil, needsA ? bValue : nil]) { g in
                [needsA ? productGradientA(g, bValue, transposeA, transposeB) : nil,
                 needsB ? productGradientB(g, aValue, transposeA, transposeB) : nil]
            }
        }
        return result
    }

    /// dL/dA of C = op(A)·op(B): again one product, using BLAS transpose flags instead of copies.
    private static func productGradientA(_ g: Tensor, _ b: Tensor, _ transposeA: Bool, _ transposeB: Bool) -> Tensor {
        switch (transposeA, transposeB) {
        case (false, false): batchedProduct(g, b, false, true)   // g·Bᵀ
        case (false, true): batchedProduct(g, b, false, false)   // g·B
        case (true, false): batchedProduct(b, g, false, true)    // B·gᵀ
        case (true, true): batchedProduct(b, g, true, true)      // Bᵀ·gᵀ
        }
    }

    /// dL/dB of C = op(A)·op(B).
    private static func productGradientB(_ g: Tensor, _ a: Tensor, _ transposeA: Bool, _ transposeB: Bool) -> Tensor {
        switch (transposeA, transposeB) {
        case (false, false): batchedProduct(a, g, true, false)   // Aᵀ·g
        case (false, true): batchedProduct(g, a, true, false)    // gᵀ·A
        case (true, false): batchedProduct(a, g, false, false)   // A·g
        case (true, true): batchedProduct(g, a, true, true)      // gᵀ·Aᵀ
        }
    }
}
