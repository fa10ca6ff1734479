import Kernels

extension Tensor {
    /// x·Wᵀ + b over the last axis in one GEMM, as `torch.nn.functional.linear(x, weight, bias)`:
    /// weight [out, in], bias [out] or nil. The bias is copied into every output row first and
    /// the product added on top (beta = 1), so no separate broadcast pass runs; backward gives
    /// dx = g·W, dW = gᵀ·x and db = the column sums of g. Same bits as matmul then add.
    public func linear(weight: Tensor, bias: Tensor?) throws(TensorError) -> Tensor {
        guard rank >= 1, weight.rank == 2 else { return try linearByParts(weight: weight, bias: bias) }
        let (outputs, inputs) = (weight.shape[0], weight.shape[1])
        guard shape[rank - 1] == inputs, bias.map({ $0.shape == Shape([outputs]) }) ?? true else {
            return try linearByParts(weight: weight, bias: bias)
        }
        let rows = inputs == 0 ? 0 : elementCount / inputs
        let result = Tensor(uninitialized: Shape(shape.dimensions.dropLast() + [outputs]))
        if let bias {
            for row in 0..<rows { (result.pointer + row * outputs).update(from: bias.pointer, count: outputs) }
        } else if inputs == 0 {
            result.pointer.update(repeating: 0, count: result.elementCount)
        }
        Gemm.multiply(transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: pointer, lda: inputs,
                      b: weight.pointer, ldb: inputs, beta: bias == nil ? 0 : 1, c: result.pointer, ldc: outputs)
        if Tensor.shouldRecord(self, weight, bias) {
            let (x, w, inputShape) = (detached(), weight.detached(), shape)
            let (needsInput, needsWeight, needsBias) = (requiresGrad, weight.requiresGrad, bias?.requiresGrad == true)
            result.record("linear", inputs: [self, weight] + (bias.map { [$0] } ?? []), saving: [needsWeight ? x : nil, needsInput ? w : nil]) { g in
                var gradients: [Tensor?] = [nil, nil]
                if needsInput {
                    let dx = Tensor(uninitialized: inputShape)
                    Gemm.multiply(transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs, a: g.pointer, lda: outputs,
                                  b: w.pointer, ldb: inputs, beta: 0, c: dx.pointer, ldc: inputs)
                    gradients[0] = dx
                }
                if needsWeight {
                    let dw = Tensor(uninitialized: w.shape)
                    Gemm.multiply(transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows, a: g.pointer, lda: outputs,
                                  b: x.pointer, ldb: inputs, beta: 0, c: dw.pointer, ldc: inputs)
                    gradients[1] = dw
                }
                if bias != nil {
                    var db: Tensor? = nil
                    if needsBias {
                        db = Tensor(uninitialized: [outputs])
                        Reduction.sum(g.pointer, db!.pointer, outer: 1, reduced: rows, inner: outputs)
                    }
                    gradients.append(db)
                }
                return gradients
            }
        }
        return result
    }

    /// matmul then add, for the cases the fused path does not take (its errors name the shapes).
    private func linearByParts(weight: Tensor, bias: Tensor?) throws(TensorError) -> Tensor {
        let product = try matmul(weight, transposingOther: true)
        return try bias.map { b throws(TensorError) in try product + b } ?? product
    }
}
