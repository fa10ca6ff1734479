/// Fused parameter updates, written in the same operation order as PyTorch's CPU optimizers so
/// results match `torch.optim` to float precision. Explicit SIMD: the four buffers may alias as
/// far as LLVM knows, so a scalar loop would not vectorise.
public enum Optimization {
    /// One Adam step (torch.optim.Adam, single-tensor path): g += wd·w; m ← m + (1−β₁)(g − m);
    /// v ← β₂v + (1−β₂)g²; w ← w − stepSize · m / (√v / correction2Sqrt + ε), where 1 − β is
    /// passed in already rounded from double (as PyTorch's Python floats are), and
    /// stepSize = lr / (1 − β₁ᵗ) and correction2Sqrt = √(1 − β₂ᵗ).
    public static func adam(
        weights w: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
        firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>, count: Int,
        oneMinusBeta1: Float, beta2: Float, oneMinusBeta2: Float, epsilon: Float, weightDecay: Float, stepSize: Float,
        correction2Sqrt: Float
    ) {
        Parallel.forEachChunk(count: count, minimumPerChunk: Elementwise.minimumPerThread * 2) { range in
            var i = range.lowerBound
            typealias Vector = SIMD16<Float>
            while i + Vector.scalarCount <= range.upperBound {
                var gradient = load(g + i)
                let weight = load(w + i)
                if weightDecay != 0 { gradient += weightDecay * weight }
                var first = load(m + i), second = load(v + i)
                first += oneMinusBeta1 * (gradient - first)
                second = second * beta2 + oneMinusBeta2 * gradient * gradient
                let root = SIMD16(lowHalf: FastMath.squareRoot(second.lowHalf), highHalf: FastMath.squareRoot(second.highHalf))
                let denominator = root / correction2Sqrt + epsilon
                store(weight + -stepSize * (first / denominator), w + i)
                store(first, m + i)
                store(second, v + i)
                i += Vector.scalarCount
            }
            while i < range.upperBound {
                let gradient = weightDecay == 0 ? g[i] : g[i] + weightDecay * w[i]
                m[i] += oneMinusBeta1 * (gradient - m[i])
                v[i] = v[i] * beta2 + oneMinusBeta2 * gradient * gradient
                w[i] += -stepSize * (m[i] / (v[i].squareRoot() / correction2Sqrt + epsilon))
                i += 1
            }
        }
    }

    /// One SGD step (torch.optim.SGD): g += wd·w; with momentum μ, b ← μb + (1−dampening)g
    /// (b ← g on the first step) and g ← b, or g + μb with Nesterov; w ← w − lr·g.
    public static func sgd(
        weights w: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
        momentumBuffer b: UnsafeMutablePointer<Float>?, isFirstStep: Bool, count: Int,
        learningRate: Float, momentum: Float, dampening: Float, weightDecay: Float, nesterov: Bool
    ) {
        Parallel.forEachChunk(count: count, minimumPerChunk: Elementwise.minimumPerThread * 2) { range in
            for i in range {
                var gradient = weightDecay == 0 ? g[i] : g[i] + weightDecay * w[i]
                if let b {
                    b[i] = isFirstStep ? gradient : b[i] * momentum + (1 - dampening) * gradient
                    gradient = nesterov ? gradient + momentum * b[i] : b[i]
                }
                w[i] += -learningRate * gradient
            }
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    private static func store(_ value: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD16<Float>.self)
    }
}
