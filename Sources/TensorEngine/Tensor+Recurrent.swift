import Kernels

extension Tensor {
    /// A one-layer LSTM over a batch-first sequence, as `torch.nn.LSTM(batch_first=True)` with
    /// h₀ = c₀ = 0: input [B, T, I], weights [4H, I] and [4H, H], biases [4H] (gate order i, f, g, o).
    /// Returns every step's hidden state [B, T, H] (differentiable) and the last cell state [B, H]
    /// (a value: gradients flow through the outputs only).
    // NOTE: one fused primitive instead of ~15 composed ops per step: the input projection and
    // all weight gradients become a few large GEMMs, each step's gates one kernel pass, and the
    // batch is split by rows so that no step waits for another thread (`Recurrent.forward`).
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
        let bias = Tensor(uninitialized: [gateWidth])
        for j in 0..<gateWidth { bias.pointer[j] = biasIH.pointer[j] + biasHH.pointer[j] }
        let layer = Recurrent.Layer(
            input: input.pointer, weightIH: weightIH.pointer, weightHH: weightHH.pointer, bias: bias.pointer,
            gates: gates.pointer, cells: cells.pointer, tanhCells: tanhCells.pointer, outputs: outputs.pointer,
            batch: batch, steps: steps, inputSize: inputSize, hidden: hidden)
        Recurrent.forward(layer)
        let lastCell = try cells.select(axis: 1, index: -1)
        let anyNeedsGradient = [input, weightIH, weightHH, biasIH, biasHH].contains(where: \.requiresGrad)
        if anyNeedsGradient && GradientMode.isEnabled {
            let saved = LSTMSaved(input: input.detached(), weightIH: weightIH.detached(), weightHH: weightHH.detached(),
                                  bias: bias, activatedGates: gates, cells: cells, tanhCells: tanhCells,
                                  outputs: outputs.detached(), batch: batch, steps: steps, hidden: hidden)
            let needsInput = input.requiresGrad
            outputs.record("lstm", inputs: [input, weightIH, weightHH, biasIH, biasHH],
                           saving: [saved.input, saved.weightIH, saved.weightHH, saved.outputs]) { g in
                let gradients = saved.backward(upstream: g, needsInput: needsInput)
                return [gradients.input, gradients.weightIH, gradients.weightHH, gradients.bias, gradients.bias]
            }
        }
        return (outputs, lastCell)
    }
}

/// What the LSTM forward keeps for backpropagation through time.
private struct LSTMSaved {
    let input, weightIH, weightHH, bias, activatedGates, cells, tanhCells, outputs: Tensor
    let batch, steps, hidden: Int

    func backward(upstream: Tensor, needsInput: Bool)
        -> (input: Tensor?, weightIH: Tensor, weightHH: Tensor, bias: Tensor) {
        let gateWidth = 4 * hidden, inputSize = input.shape[2]
        let layer = Recurrent.Layer(
            input: input.pointer, weightIH: weightIH.pointer, weightHH: weightHH.pointer, bias: bias.pointer,
            gates: activatedGates.pointer, cells: cells.pointer, tanhCells: tanhCells.pointer, outputs: outputs.pointer,
            batch: batch, steps: steps, inputSize: inputSize, hidden: hidden)
        let weightIHGradient = Tensor(uninitialized: [gateWidth, inputSize])
        let weightHHGradient = Tensor(uninitialized: [gateWidth, hidden])
        let biasGradient = Tensor(uninitialized: [gateWidth])
        let inputGradient = needsInput ? Tensor(uninitialized: input.shape) : nil
        let workspace = Tensor(uninitialized: [Recurrent.backwardWorkspaceCount(layer)])
        Recurrent.backward(layer, upstream: upstream.pointer, into: Recurrent.Gradients(
            input: inputGradient?.pointer, weightIH: weightIHGradient.pointer, weightHH: weightHHGradient.pointer,
            bias: biasGradient.pointer), workspace: workspace.pointer)
        return (inputGradient, weightIHGradient, weightHHGradient, biasGradient)
    }
}
