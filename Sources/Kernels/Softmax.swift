#if canImport(Glibc)
import Glibc
#endif

/// Log-softmax along the middle axis of an (outer, classes, inner) view, and the fused
/// cross-entropy gradient. Both subtract the maximum first, so large logits never overflow.
public enum Softmax {
    /// y[o, :, i] = x[o, :, i] − max − log Σ exp(x − max).
    public static func logSoftmax(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, outer: Int, classes: Int, inner: Int
    ) {
        Parallel.forEachChunk(count: outer, minimumPerChunk: max(1, Elementwise.minimumPerThread / max(classes * inner, 1))) { rows in
            for o in rows {
                if inner == 1 {
                    let source = x + o * classes, destination = y + o * classes
                    let maximum = RowOperations.maximum(source, count: classes)
                    let shift = maximum + logf(RowOperations.sumOfExponentials(source, count: classes, shift: maximum))
                    for c in 0..<classes { destination[c] = source[c] - shift }
                    continue
                }
                for i in 0..<inner {
                    let source = x + o * classes * inner + i, destination = y + o * classes * inner + i
                    var maximum = -Float.infinity
                    for c in 0..<classes { maximum = Swift.max(maximum, source[c * inner]) }
                    var total: Float = 0
                    for c in 0..<classes { total += FastMath.exp(source[c * inner] - maximum) }
                    let shift = maximum + logf(total)
                    for c in 0..<classes { destination[c * inner] = source[c * inner] - shift }
                }
            }
        }
    }

    /// dx = g − exp(y) · Σ_c g, the gradient of log-softmax from its output y.
    public static func logSoftmaxBackward(
        output y: UnsafePointer<Float>, upstream g: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
        outer: Int, classes: Int, inner: Int
    ) {
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * classes * inner + i
                var total: Float = 0
                for c in 0..<classes { total += g[base + c * inner] }
                for c in 0..<classes {
                    let k = base + c * inner
                    dx[k] = g[k] - FastMath.exp(y[k]) * total
                }
            }
        }
    }

    /// dlogits[r, c] = scale · (softmax[r, c] − [c == target[r]]), from log-probabilities.
    public static func crossEntropyBackward(
        logProbabilities: UnsafePointer<Float>, targets: UnsafePointer<Int32>, scale: Float,
        _ dx: UnsafeMutablePointer<Float>, rows: Int, classes: Int
    ) {
        for r in 0..<rows {
            let row = r * classes
            for c in 0..<classes { dx[row + c] = scale * FastMath.exp(logProbabilities[row + c]) }
            dx[row + Int(targets[r])] -= scale
        }
    }
}
