/// Fused LSTM cell steps (PyTorch gate order i, f, g, o). Tensors are batch-first [B, T, X]; a
/// step t reads and writes rows at offset t·X with row stride T·X, so no step is ever copied.
public enum Recurrent {
    /// Strided access to one time step of a [B, T, X] buffer.
    public struct StepView {
        public let base: UnsafeMutablePointer<Float>
        public let rowStride: Int

        /// The rows of step `t` in a [batch, steps, width] buffer.
        public init(_ buffer: UnsafeMutablePointer<Float>, step t: Int, steps: Int, width: Int) {
            base = buffer + t * width
            rowStride = steps * width
        }

        @inlinable func row(_ b: Int) -> UnsafeMutablePointer<Float> { base + b * rowStride }
    }

    /// Activates one step's gates in place (σ, σ, tanh, σ) and computes c = f·c₋₁ + i·g and
    /// h = o·tanh(c). `previousCell` is nil at t = 0 (c₋₁ = 0).
    public static func cellForward(
        gates: StepView, previousCell: StepView?, cell: StepView, hidden: StepView, batch: Int, hiddenSize h: Int
    ) {
        Parallel.forEachChunk(count: batch, minimumPerChunk: max(1, 4096 / h)) { rows in
            for b in rows {
                let z = gates.row(b), c = cell.row(b), out = hidden.row(b)
                let previous = previousCell?.row(b)
                for j in 0..<h {
                    let i = FastMath.sigmoid(z[j]), f = FastMath.sigmoid(z[h + j])
                    let g = FastMath.tanh(z[2 * h + j]), o = FastMath.sigmoid(z[3 * h + j])
                    z[j] = i; z[h + j] = f; z[2 * h + j] = g; z[3 * h + j] = o
                    let newCell = i * g + (previous.map { f * $0[j] } ?? 0)
                    c[j] = newCell
                    out[j] = o * FastMath.tanh(newCell)
                }
            }
        }
    }

    /// Back-propagates one step: from dh = upstream + dhNext and dcNext, writes the
    /// pre-activation gate gradients and replaces dcNext with dL/dc₋₁.
    public static func cellBackward(
        upstream: StepView, hiddenGradient: UnsafePointer<Float>, cellGradient: UnsafeMutablePointer<Float>,
        activatedGates: StepView, cell: StepView, previousCell: StepView?, gateGradient: StepView,
        batch: Int, hiddenSize h: Int
    ) {
        Parallel.forEachChunk(count: batch, minimumPerChunk: max(1, 4096 / h)) { rows in
            for b in rows {
                let a = activatedGates.row(b), c = cell.row(b), dz = gateGradient.row(b), dOut = upstream.row(b)
                let previous = previousCell?.row(b)
                let dhNext = hiddenGradient + b * h, dcNext = cellGradient + b * h
                for j in 0..<h {
                    let i = a[j], f = a[h + j], g = a[2 * h + j], o = a[3 * h + j]
                    let dh = dOut[j] + dhNext[j]
                    let tanhCell = FastMath.tanh(c[j])
                    let dc = dh * o * (1 - tanhCell * tanhCell) + dcNext[j]
                    let cellBefore = previous?[j] ?? 0
                    dz[j] = dc * g * i * (1 - i)
                    dz[h + j] = dc * cellBefore * f * (1 - f)
                    dz[2 * h + j] = dc * i * (1 - g * g)
                    dz[3 * h + j] = dh * tanhCell * o * (1 - o)
                    dcNext[j] = dc * f
                }
            }
        }
    }
}
