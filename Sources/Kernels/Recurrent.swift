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

    /// Activates one step's gates in place (σ, σ, tanh, σ) for the batch rows `rows`, on the calling
    /// thread, and computes c = f·c₋₁ + i·g and h = o·tanh(c). `previousCell` is nil at t = 0
    /// (c₋₁ = 0). Also keeps tanh(c) in `tanhCell` for the backward pass.
    public static func cellForward(
        gates: StepView, previousCell: StepView?, cell: StepView, tanhCell: StepView, hidden: StepView,
        rows: Range<Int>, hiddenSize h: Int
    ) {
        for b in rows {
            let z = gates.row(b), c = cell.row(b), t = tanhCell.row(b), out = hidden.row(b)
            let previous = previousCell?.row(b)
            // Two passes: first each gate block through its activation (short independent loop
            // bodies that pipeline), then the cell update, which needs a single tanh.
            activate(z, count: 2 * h, Sigmoid.self)
            activate(z + 2 * h, count: h, HyperbolicTangent.self)
            activate(z + 3 * h, count: h, Sigmoid.self)
            var j = 0
            while j + 8 <= h {
                let i = FastMath.load(z + j), f = FastMath.load(z + h + j)
                let g = FastMath.load(z + 2 * h + j), o = FastMath.load(z + 3 * h + j)
                var newCell = i * g
                if let previous { newCell += f * FastMath.load(previous + j) }
                let tanhOfCell = FastMath.tanh(newCell)
                FastMath.store(newCell, c + j)
                FastMath.store(tanhOfCell, t + j)
                FastMath.store(o * tanhOfCell, out + j)
                j += 8
            }
            while j < h {
                let i = z[j], f = z[h + j], g = z[2 * h + j], o = z[3 * h + j]
                c[j] = i * g + (previous.map { f * $0[j] } ?? 0)
                t[j] = FastMath.tanh(c[j])
                out[j] = o * t[j]
                j += 1
            }
        }
    }

    /// Replaces `count` floats with `Function` of them, eight at a time and then one by one. The
    /// function is a type, not a closure: passed as closures, sigmoid and tanh stayed out-of-line
    /// calls with the vector split in halves at every call (`objdump`), a third of the cell's time.
    @inline(__always)
    private static func activate<Function: VectorFunction>(_ x: UnsafeMutablePointer<Float>, count: Int, _: Function.Type) {
        var j = 0
        while j + 8 <= count {
            FastMath.store(Function.apply(FastMath.load(x + j)), x + j)
            j += 8
        }
        while j < count {
            x[j] = Function.apply(x[j])
            j += 1
        }
    }

    /// Back-propagates one step for the batch rows `rows`, on the calling thread: from
    /// dh = upstream + dhNext and dcNext, writes the pre-activation gate gradients and replaces
    /// dcNext with dL/dc₋₁.
    public static func cellBackward(
        upstream: StepView, hiddenGradient: UnsafePointer<Float>, cellGradient: UnsafeMutablePointer<Float>,
        activatedGates: StepView, tanhCell: StepView, previousCell: StepView?, gateGradient: StepView,
        rows: Range<Int>, hiddenSize h: Int
    ) {
        for b in rows {
            let a = activatedGates.row(b), c = tanhCell.row(b), dz = gateGradient.row(b), dOut = upstream.row(b)
            let previous = previousCell?.row(b)
            let dhNext = hiddenGradient + b * h, dcNext = cellGradient + b * h
            var j = 0
            while j + 8 <= h {
                cellBackwardLanes(a + j, h, c + j, previous.map { UnsafePointer($0 + j) }, dOut + j, dhNext + j,
                                  dcNext + j, dz + j)
                j += 8
            }
            while j < h {
                let i = a[j], f = a[h + j], g = a[2 * h + j], o = a[3 * h + j]
                let dh = dOut[j] + dhNext[j]
                let tanhCell = c[j]
                let dc = dh * o * (1 - tanhCell * tanhCell) + dcNext[j]
                let cellBefore = previous?[j] ?? 0
                dz[j] = dc * g * i * (1 - i)
                dz[h + j] = dc * cellBefore * f * (1 - f)
                dz[2 * h + j] = dc * i * (1 - g * g)
                dz[3 * h + j] = dh * tanhCell * o * (1 - o)
                dcNext[j] = dc * f
                j += 1
            }
        }
    }

    /// Eight hidden units of `cellBackward`.
    @inline(__always)
    private static func cellBackwardLanes(
        _ a: UnsafeMutablePointer<Float>, _ h: Int, _ c: UnsafeMutablePointer<Float>, _ previous: UnsafePointer<Float>?,
        _ dOut: UnsafeMutablePointer<Float>, _ dhNext: UnsafePointer<Float>, _ dcNext: UnsafeMutablePointer<Float>,
        _ dz: UnsafeMutablePointer<Float>
    ) {
        let i = FastMath.load(a), f = FastMath.load(a + h), g = FastMath.load(a + 2 * h), o = FastMath.load(a + 3 * h)
        let dh = FastMath.load(dOut) + FastMath.load(dhNext)
        let tanhCell = FastMath.load(c)
        let dc = dh * o * (1 - tanhCell * tanhCell) + FastMath.load(dcNext)
        let cellBefore = previous.map { FastMath.load($0) } ?? FastMath.Vector()
        FastMath.store(dc * g * i * (1 - i), dz)
        FastMath.store(dc * cellBefore * f * (1 - f), dz + h)
        FastMath.store(dc * i * (1 - g * g), dz + 2 * h)
        FastMath.store(dh * tanhCell * o * (1 - o), dz + 3 * h)
        FastMath.store(dc * f, dcNext)
    }
}

/// A function with an eight-lane form that gives its one-float form's bits lane by lane.
protocol VectorFunction: UnaryFunction {
    static func apply(_ x: FastMath.Vector) -> FastMath.Vector
}

extension Sigmoid: VectorFunction {
    @_transparent static func apply(_ x: FastMath.Vector) -> FastMath.Vector { FastMath.sigmoid(x) }
}

extension HyperbolicTangent: VectorFunction {
    @_transparent static func apply(_ x: FastMath.Vector) -> FastMath.Vector { FastMath.tanh(x) }
}
