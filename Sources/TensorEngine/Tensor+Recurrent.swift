import Kernels

extension Tensor {
    /// A one-layer LSTM over a batch-first sequence, as `torch.nn.LSTM(batch_first=True)` with
    /// h₀ = c₀ = 0: input [B, T, I], weights [4H, I] and [4H, H], biases [4H] (gate order i, f, g, o).
    /// Returns every step's hidden state [B, T, H] (differentiable) and the last cell state [B, H]
    /// (a value: gradients flow through the outputs only).
    // NOTE: one fused primitive instead of ~15 composed ops per step: the input projection and
    // all weight gradients become single large GEMMs, and each step's gates are one kernel pass.
    public static func lstm(
        input: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor
    ) throws(TensorError) -> (outputs: Tensor, lastCell: Tensor) {
        let (batch, steps, hidden) = try ShapeRules.lstm(
            input: input.shape, weightIH: weightIH.shape, weightHH: weightHH.shape, biasIH: biasIH.shape, biasHH: biasHH.shape)
        let gateWidth = 4 * hidden, inputSize = input.shape[2]
        let gates = Tensor(uninitialized: [batch, steps, gateWidth])
        let cells = Tensor(uninitialized: [batch, steps, hidden])
        let tanhCells = Tensor(uninitialized: [batch, steps, hidden])
        let outputs = Tensor(uninitialized: [batch, steps, hidden])
        // All steps' input projections at once, plus both biases.
        Gemm.multiply(transposeA: false, transposeB: true, m: batch * steps, n: gateWidth, k: inputSize,
                      a: input.pointer, lda: inputSize, b: weightIH.pointer, ldb: inputSize, beta: 0,
                      c: gates.pointer, ldc: gateWidth)
        let bias = (0..<gateWidth).map { biasIH.pointer[$0] + biasHH.pointer[$0] }
        for row in 0..<(batch * steps) {
            let g = gates.pointer + row * gateWidth
            for j in 0..<gateWidth { g[j] += bias[j] }
        }
        for t in 0..<steps {
            let gateStep = Recurrent.StepView(gates.pointer, step: t, steps: steps, width: gateWidth)
            if t > 0 {
                Gemm.multiply(transposeA: false, transposeB: true, m: batch, n: gateWidth, k: hidden,
                              a: outputs.pointer + (t - 1) * hidden, lda: steps * hidden, b: weightHH.pointer, ldb: hidden,
                              beta: 1, c: gateStep.base, ldc: steps * gateWidth)
            }
            Recurrent.cellForward(
                gates: gateStep,
                previousCell: t > 0 ? Recurrent.StepView(cells.pointer, step: t - 1, steps: steps, width: hidden) : nil,
                cell: Recurrent.StepView(cells.pointer, step: t, steps: steps, width: hidden),
                tanhCell: Recurrent.StepView(tanhCells.pointer, step: t, steps: steps, width: hidden),
                hidden: Recurrent.StepView(outputs.pointer, step: t, steps: steps, width: hidden),
                batch: batch, hiddenSize: hidden)
        }
        let lastCell = try cells.select(axis: 1, index: -1)
        let anyNeedsGradient = [input, weightIH, weightHH, biasIH, biasHH].contains(where: \.requiresGrad)
        if anyNeedsGradient && GradientMode.isEnabled {
            let saved = LSTMSaved(input: input.detached(), weightIH: weightIH.detached(), weightHH: weightHH.detached(),
                                  activatedGates: gates, cells: cells, tanhCells: tanhCells, outputs: outputs.detached(),
                                  batch: batch, steps: steps, hidden: hidden)
            let needsInput = input.requiresGrad
            outputs.record("lstm", inputs: [input, weightIH, weightHH, biasIH, biasHH]) { g in
                let gradients = saved.backward(upstream: g, needsInput: needsInput)
                return [gradients.input, gradients.weightIH, gradients.weightHH, gradients.bias, gradients.bias]
            }
        }
        return (outputs, lastCell)
    }
}

/// What the LSTM forward keeps for backpropagation through time.
private struct LSTMSaved {
    let input, weightIH, weightHH, activatedGates, cells, tanhCells, outputs: Tensor
    let batch, steps, hidden: Int

    func backward(upstream: Tensor, needsInput: Bool)
        -> (input: Tensor?, weightIH: Tensor, weightHH: Tensor, bias: Tensor) {
        let gateWidth = 4 * hidden, rows = batch * steps, inputSize = input.shape[2]
        let gateGradients = Tensor(uninitialized: [batch, steps, gateWidth])
        let hiddenGradient = Tensor.zeros([batch, hidden]), cellGradient = Tensor.zeros([batch, hidden])
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let gradientStep = Recurrent.StepView(gateGradients.pointer, step: t, steps: steps, width: gateWidth)
            Recurrent.cellBackward(
                upstream: Recurrent.StepView(upstream.pointer, step: t, steps: steps, width: hidden),
                hiddenGradient: hiddenGradient.pointer, cellGradient: cellGradient.pointer,
                activatedGates: Recurrent.StepView(activatedGates.pointer, step: t, steps: steps, width: gateWidth),
                tanhCell: Recurrent.StepView(tanhCells.pointer, step: t, steps: steps, width: hidden),
                previousCell: t > 0 ? Recurrent.StepView(cells.pointer, step: t - 1, steps: steps, width: hidden) : nil,
                gateGradient: gradientStep, batch: batch, hiddenSize: hidden)
            if t > 0 {
                // dL/dh₋₁ = dz · W_hh
                Gemm.multiply(transposeA: false, transposeB: false, m: batch, n: hidden, k: gateWidth,
                              a: gradientStep.base, lda: steps * gateWidth, b: weightHH.pointer, ldb: hidden,
                              beta: 0, c: hiddenGradient.pointer, ldc: hidden)
            }
        }
        // Hidden states shifted one step later: row (b, t) holds h_{t−1}, zero at t = 0.
        let previousHidden = Tensor.zeros([batch, steps, hidden])
        for b in 0..<batch where steps > 1 {
            (previousHidden.pointer + b * steps * hidden + hidden)
                .update(from: outputs.pointer + b * steps * hidden, count: (steps - 1) * hidden)
        }
        let weightIHGradient = Tensor(uninitialized: [gateWidth, inputSize])
        let weightHHGradient = Tensor(uninitialized: [gateWidth, hidden])
        let biasGradient = Tensor(uninitialized: [gateWidth])
        let inputGradient = needsInput ? Tensor(uninitialized: input.shape) : nil
        // Three independent products over all steps: run them side by side (one thread each)
        // rather than splitting each one, which would pack the shared gate gradients twice.
        Parallel.runConcurrently([
            {
                Gemm.multiply(transposeA: true, transposeB: false, m: gateWidth, n: hidden, k: rows,
                              a: gateGradients.pointer, lda: gateWidth, b: previousHidden.pointer, ldb: hidden, beta: 0,
                              c: weightHHGradient.pointer, ldc: hidden, parallel: false)
            },
            {
                Gemm.multiply(transposeA: true, transposeB: false, m: gateWidth, n: inputSize, k: rows,
                              a: gateGradients.pointer, lda: gateWidth, b: input.pointer, ldb: inputSize, beta: 0,
                              c: weightIHGradient.pointer, ldc: inputSize, parallel: false)
                Reduction.sum(gateGradients.pointer, biasGradient.pointer, outer: 1, reduced: rows, inner: gateWidth)
                if let inputGradient {
                    Gemm.multiply(transposeA: false, transposeB: false, m: rows, n: inputSize, k: gateWidth,
                                  a: gateGradients.pointer, lda: gateWidth, b: weightIH.pointer, ldb: inputSize, beta: 0,
                                  c: inputGradient.pointer, ldc: inputSize, parallel: false)
                }
            },
        ])
        return (inputGradient, weightIHGradient, weightHHGradient, biasGradient)
    }
}
