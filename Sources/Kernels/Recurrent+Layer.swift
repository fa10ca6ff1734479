/// A whole LSTM layer's forward pass and backpropagation through time, split by batch rows.
///
/// Rows of a batch never interact in an LSTM, so each piece of rows runs its input projection and
/// all of its steps (recurrent GEMM, then the fused cell) on one thread with no synchronisation in
/// between: 64×512×128 per step is too small to share between cores without the waits costing
/// more than the split saves. The pieces depend on the batch size alone, never on the thread count
/// (OpenBLAS rounds an element differently depending on where its tile falls), so a seeded run is
/// the same on 1, 2 or 8 threads.
extension Recurrent {
    /// The buffers of one batch-first LSTM layer: input [B, T, I], weights [4H, I] and [4H, H], the
    /// two biases already summed [4H], and what the forward pass writes: activated gates [B, T, 4H],
    /// cell states, their tanh and hidden states, each [B, T, H].
    public struct Layer {
        public let input, weightIH, weightHH, bias: UnsafePointer<Float>
        public let gates, cells, tanhCells, outputs: UnsafeMutablePointer<Float>
        public let batch, steps, inputSize, hidden: Int

        /// Names every buffer and size of the layer (see the type's documentation for the layouts).
        public init(
            input: UnsafePointer<Float>, weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
            bias: UnsafePointer<Float>, gates: UnsafeMutablePointer<Float>, cells: UnsafeMutablePointer<Float>,
            tanhCells: UnsafeMutablePointer<Float>, outputs: UnsafeMutablePointer<Float>,
            batch: Int, steps: Int, inputSize: Int, hidden: Int
        ) {
            (self.input, self.weightIH, self.weightHH, self.bias) = (input, weightIH, weightHH, bias)
            (self.gates, self.cells, self.tanhCells, self.outputs) = (gates, cells, tanhCells, outputs)
            (self.batch, self.steps, self.inputSize, self.hidden) = (batch, steps, inputSize, hidden)
        }

        var gateWidth: Int { 4 * hidden }

        func step(_ buffer: UnsafeMutablePointer<Float>, _ t: Int, width: Int) -> StepView {
            StepView(buffer, step: t, steps: steps, width: width)
        }
    }

    /// Batch rows per piece: each piece runs its steps on one thread, so a batch of 64 keeps two busy.
    static let rowsPerPiece = 32

    /// How many pieces a batch is cut into: a function of the batch size alone.
    static func pieceCount(batch: Int) -> Int { max(1, min(Parallel.maximumThreadCount, batch / rowsPerPiece)) }

    /// Runs `body(piece, rows)` on every piece of the batch's rows, the pieces spread over the threads.
    static func forEachPiece(ofBatch batch: Int, _ body: (Int, Range<Int>) -> Void) {
        let pieces = pieceCount(batch: batch)
        Parallel.forEachChunk(count: pieces, minimumPerChunk: 1) { pieceRange in
            for piece in pieceRange { body(piece, (batch * piece / pieces)..<(batch * (piece + 1) / pieces)) }
        }
    }

    /// The forward pass: fills `gates` (activated), `cells`, `tanhCells` and `outputs`, with h₀ = c₀ = 0.
    public static func forward(_ layer: Layer) {
        // W_hhᵀ [H, 4H], made once for every piece and step: OpenBLAS packs a B that is not
        // transposed faster, in each of the step products (2.85-2.89 against 3.04 ms per
        // piece's 49 steps, best of 200; BENCHMARKS.md).
        let transposedWeightHH = UnsafeMutablePointer<Float>.allocate(capacity: layer.gateWidth * layer.hidden)
        defer { transposedWeightHH.deallocate() }
        Movement.transpose(layer.weightHH, rows: layer.gateWidth, columns: layer.hidden, into: transposedWeightHH)
        forEachPiece(ofBatch: layer.batch) { _, rows in forward(layer, rows: rows, transposedWeightHH: transposedWeightHH) }
    }

    private static func forward(_ layer: Layer, rows: Range<Int>, transposedWeightHH: UnsafePointer<Float>) {
        let (steps, hidden, width) = (layer.steps, layer.hidden, layer.gateWidth)
        let first = rows.lowerBound, projected = rows.count * steps
        // All steps' input projections of these rows at once, plus both biases.
        Gemm.multiply(transposeA: false, transposeB: true, m: projected, n: width, k: layer.inputSize,
                      a: layer.input + first * steps * layer.inputSize, lda: layer.inputSize,
                      b: layer.weightIH, ldb: layer.inputSize, beta: 0,
                      c: layer.gates + first * steps * width, ldc: width, parallel: false)
        for row in 0..<projected {
            let g = layer.gates + (first * steps + row) * width
            for j in 0..<width { g[j] += layer.bias[j] }
        }
        for t in 0..<steps {
            let gateStep = layer.step(layer.gates, t, width: width)
            if t > 0 {
                Gemm.multiply(transposeA: false, transposeB: false, m: rows.count, n: width, k: hidden,
                              a: layer.step(layer.outputs, t - 1, width: hidden).row(first), lda: steps * hidden,
                              b: transposedWeightHH, ldb: width, beta: 1, c: gateStep.row(first), ldc: steps * width,
                              parallel: false)
            }
            cellForward(
                gates: gateStep, previousCell: t > 0 ? layer.step(layer.cells, t - 1, width: hidden) : nil,
                cell: layer.step(layer.cells, t, width: hidden), tanhCell: layer.step(layer.tanhCells, t, width: hidden),
                hidden: layer.step(layer.outputs, t, width: hidden), rows: rows, hiddenSize: hidden)
        }
    }

    /// Where `backward` writes: dL/dinput [B, T, I] (nil when the input needs none), dL/dW_ih
    /// [4H, I], dL/dW_hh [4H, H] and dL/db [4H] (the same for both biases).
    public struct Gradients {
        public let input: UnsafeMutablePointer<Float>?
        public let weightIH, weightHH, bias: UnsafeMutablePointer<Float>

        /// Names the four outputs of `backward`.
        public init(input: UnsafeMutablePointer<Float>?, weightIH: UnsafeMutablePointer<Float>,
                    weightHH: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>) {
            (self.input, self.weightIH, self.weightHH, self.bias) = (input, weightIH, weightHH, bias)
        }
    }

    /// Backpropagation through time of `upstream` (dL/dh for every step, [B, T, H]). Each piece of
    /// rows runs its steps backwards (fused cell gradient, then dL/dh₋₁ = dz · W_hh), then its
    /// input gradient and its share of the weight gradients as a few large GEMMs over all of its
    /// steps; the shares are summed in piece order, so the result depends on the batch size only.
    /// Floats of `workspace` that `backward` needs: the gate gradients and the shifted hidden states.
    public static func backwardWorkspaceCount(_ layer: Layer) -> Int {
        layer.batch * layer.steps * (layer.gateWidth + layer.hidden)
    }

    public static func backward(
        _ layer: Layer, upstream: UnsafePointer<Float>, into gradients: Gradients, workspace: UnsafeMutablePointer<Float>
    ) {
        let (batch, steps, hidden, width, inputSize) = (layer.batch, layer.steps, layer.hidden, layer.gateWidth, layer.inputSize)
        let pieces = pieceCount(batch: batch)
        // The large buffers are the caller's (a tensor, so the memory budget counts them).
        let gateGradients = workspace, previousHidden = workspace + batch * steps * width
        let carried = UnsafeMutablePointer<Float>.allocate(capacity: 2 * batch * hidden)  // dL/dh, dL/dc
        // Pieces after the first write their weight-gradient shares here: dW_ih, dW_hh, db each.
        let shareSize = width * (inputSize + hidden + 1)
        let shares = UnsafeMutablePointer<Float>.allocate(capacity: max(0, pieces - 1) * shareSize)
        defer { [carried, shares].forEach { $0.deallocate() } }
        carried.initialize(repeating: 0, count: 2 * batch * hidden)
        // W_hh packed once for every piece's backward steps (PackedGemm: OpenBLAS would pack it
        // again in each of them).
        let packedStorage = UnsafeMutablePointer<Float>.allocate(capacity: PackedGemm.packedCount(k: width, n: hidden))
        defer { packedStorage.deallocate() }
        let packedWeightHH = PackedGemm.pack(layer.weightHH, ldb: hidden, k: width, n: hidden, transposed: false, into: packedStorage)
        forEachPiece(ofBatch: batch) { piece, rows in
            let share = piece == 0
                ? Gradients(input: gradients.input, weightIH: gradients.weightIH, weightHH: gradients.weightHH, bias: gradients.bias)
                : Gradients(input: gradients.input, weightIH: shares + (piece - 1) * shareSize,
                            weightHH: shares + (piece - 1) * shareSize + width * inputSize,
                            bias: shares + (piece - 1) * shareSize + width * (inputSize + hidden))
            throughTime(layer, rows: rows, upstream: upstream, packedWeightHH: packedWeightHH, gateGradients: gateGradients,
                        hiddenGradient: carried, cellGradient: carried + batch * hidden)
            shiftHidden(layer, rows: rows, into: previousHidden)
            weightGradients(layer, rows: rows, gateGradients: gateGradients, previousHidden: previousHidden, into: share)
        }
        for piece in 1..<max(pieces, 1) {
            let share = shares + (piece - 1) * shareSize
            Elementwise.accumulate(share, into: gradients.weightIH, count: width * inputSize)
            Elementwise.accumulate(share + width * inputSize, into: gradients.weightHH, count: width * hidden)
            Elementwise.accumulate(share + width * (inputSize + hidden), into: gradients.bias, count: width)
        }
    }

    /// The backward steps of one piece, from the last step to the first.
    private static func throughTime(
        _ layer: Layer, rows: Range<Int>, upstream: UnsafePointer<Float>, packedWeightHH: PackedGemm.PackedMatrix,
        gateGradients: UnsafeMutablePointer<Float>, hiddenGradient: UnsafeMutablePointer<Float>, cellGradient: UnsafeMutablePointer<Float>
    ) {
        let (steps, hidden, width) = (layer.steps, layer.hidden, layer.gateWidth)
        let first = rows.lowerBound
        for t in stride(from: steps - 1, through: 0, by: -1) {
            let gradientStep = layer.step(gateGradients, t, width: width)
            cellBackward(
                upstream: layer.step(UnsafeMutablePointer(mutating: upstream), t, width: hidden),
                hiddenGradient: hiddenGradient, cellGradient: cellGradient,
                activatedGates: layer.step(layer.gates, t, width: width),
                tanhCell: layer.step(layer.tanhCells, t, width: hidden),
                previousCell: t > 0 ? layer.step(layer.cells, t - 1, width: hidden) : nil,
                gateGradient: gradientStep, rows: rows, hiddenSize: hidden)
            if t > 0 {
                // dL/dh₋₁ = dz · W_hh
                PackedGemm.multiply(m: rows.count, a: gradientStep.row(first), lda: steps * width, packedWeightHH,
                                    c: hiddenGradient + first * hidden, ldc: hidden, accumulate: false)
            }
        }
    }

    /// The hidden states of `rows` shifted one step later: row (b, t) holds h_{t−1}, zero at t = 0.
    private static func shiftHidden(_ layer: Layer, rows: Range<Int>, into previousHidden: UnsafeMutablePointer<Float>) {
        let (steps, hidden) = (layer.steps, layer.hidden)
        for b in rows {
            let row = previousHidden + b * steps * hidden
            row.initialize(repeating: 0, count: hidden)
            if steps > 1 { (row + hidden).update(from: layer.outputs + b * steps * hidden, count: (steps - 1) * hidden) }
        }
    }

    /// dL/dinput of `rows` and their share of the weight and bias gradients, each one GEMM (or
    /// sum) over all of their steps.
    private static func weightGradients(
        _ layer: Layer, rows: Range<Int>, gateGradients: UnsafePointer<Float>, previousHidden: UnsafePointer<Float>,
        into share: Gradients
    ) {
        let (steps, hidden, width, inputSize) = (layer.steps, layer.hidden, layer.gateWidth, layer.inputSize)
        let first = rows.lowerBound * steps, count = rows.count * steps
        let dz = gateGradients + first * width
        Gemm.multiply(transposeA: true, transposeB: false, m: width, n: hidden, k: count,
                      a: dz, lda: width, b: previousHidden + first * hidden, ldb: hidden, beta: 0,
                      c: share.weightHH, ldc: hidden, parallel: false)
        Gemm.multiply(transposeA: true, transposeB: false, m: width, n: inputSize, k: count,
                      a: dz, lda: width, b: layer.input + first * inputSize, ldb: inputSize, beta: 0,
                      c: share.weightIH, ldc: inputSize, parallel: false)
        share.bias.initialize(repeating: 0, count: width)
        for row in 0..<count { Elementwise.accumulate(dz + row * width, into: share.bias, count: width) }
        if let input = share.input {
            Gemm.multiply(transposeA: false, transposeB: false, m: count, n: inputSize, k: width,
                          a: dz, lda: width, b: layer.weightIH, ldb: inputSize, beta: 0,
                          c: input + first * inputSize, ldc: inputSize, parallel: false)
        }
    }
}
