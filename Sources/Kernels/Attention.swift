#if canImport(Glibc)
import Glibc
#endif

/// Scaled dot-product attention, fused (`torch.nn.functional.scaled_dot_product_attention`):
/// for each of `slices` (batch × heads) independent problems with queries Q [T, D], keys K [S, D]
/// and values V [S, D], out = softmax(Q·Kᵀ·scale + mask) · V.
///
/// Memory: the T×S score matrix exists only inside one slice's call, in a scratch buffer. What
/// backward keeps is the log-sum-exp of each score row (T floats per slice, as FlashAttention
/// does); backward recomputes the scores from Q and K (one more T×S×D product) instead of
/// keeping B·H·T·S probabilities.
public enum Attention {
    /// The shape of one call.
    public struct Dimensions: Sendable {
        public var slices: Int, queries: Int, keys: Int, depth: Int
        /// Scale on the scores, 1/√depth by default.
        public var scale: Float
        /// Mask scores of keys after the query (query i sees keys 0…i), as `is_causal=True`.
        public var causal: Bool

        /// Dimensions of an attention call.
        public init(slices: Int, queries: Int, keys: Int, depth: Int, scale: Float? = nil, causal: Bool) {
            (self.slices, self.queries, self.keys, self.depth) = (slices, queries, keys, depth)
            self.scale = scale ?? 1 / Float(depth).squareRoot()
            self.causal = causal
        }
    }

    /// out = softmax(scores) · V per slice; writes each score row's log-sum-exp.
    public static func forward(
        query q: UnsafePointer<Float>, key k: UnsafePointer<Float>, value v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
        logSumExp: UnsafeMutablePointer<Float>, _ d: Dimensions
    ) {
        let (t, s, depth) = (d.queries, d.keys, d.depth)
        Parallel.forEachChunk(count: d.slices, minimumPerChunk: 1) { range in
            let probabilities = UnsafeMutablePointer<Float>.allocate(capacity: t * s)
            defer { probabilities.deallocate() }
            for slice in range {
                let (qs, ks, vs) = (q + slice * t * depth, k + slice * s * depth, v + slice * s * depth)
                scores(qs, ks, into: probabilities, d)
                for i in 0..<t {
                    let row = probabilities + i * s
                    let visible = d.causal ? Swift.min(i + 1, s) : s
                    var maximum = -Float.infinity
                    for j in 0..<visible { maximum = Swift.max(maximum, row[j]) }
                    var total: Float = 0
                    for j in 0..<visible { row[j] = FastMath.exp(row[j] - maximum); total += row[j] }
                    for j in 0..<visible { row[j] /= total }
                    for j in visible..<s { row[j] = 0 }
                    logSumExp[slice * t + i] = maximum + logf(total)
                }
                Gemm.multiply(transposeA: false, transposeB: false, m: t, n: depth, k: s, a: probabilities, lda: s, b: vs, ldb: depth,
                              beta: 0, c: out + slice * t * depth, ldc: depth, parallel: false)
            }
        }
    }

    /// Gradients of Q, K and V from the upstream gradient of `out`, recomputing the
    /// probabilities P = exp(scores − logSumExp): dV = Pᵀ·dO, dP = dO·Vᵀ,
    /// dS = P ∘ (dP − rowsum(dO ∘ O)), dQ = scale · dS·K, dK = scale · dSᵀ·Q.
    public static func backward(
        query q: UnsafePointer<Float>, key k: UnsafePointer<Float>, value v: UnsafePointer<Float>, output o: UnsafePointer<Float>,
        upstream g: UnsafePointer<Float>, logSumExp: UnsafePointer<Float>,
        queryGradient dq: UnsafeMutablePointer<Float>, keyGradient dk: UnsafeMutablePointer<Float>,
        valueGradient dv: UnsafeMutablePointer<Float>, _ d: Dimensions
    ) {
        let (t, s, depth) = (d.queries, d.keys, d.depth)
        Parallel.forEachChunk(count: d.slices, minimumPerChunk: 1) { range in
            let probabilities = UnsafeMutablePointer<Float>.allocate(capacity: t * s)
            let scoreGradient = UnsafeMutablePointer<Float>.allocate(capacity: t * s)
            defer { probabilities.deallocate(); scoreGradient.deallocate() }
            for slice in range {
                let (qs, ks, vs) = (q + slice * t * depth, k + slice * s * depth, v + slice * s * depth)
                let (os, gs) = (o + slice * t * depth, g + slice * t * depth)
                scores(qs, ks, into: probabilities, d)
                for i in 0..<t {
                    let row = probabilities + i * s
                    let visible = d.causal ? Swift.min(i + 1, s) : s
                    let shift = logSumExp[slice * t + i]
                    for j in 0..<visible { row[j] = FastMath.exp(row[j] - shift) }
                    for j in visible..<s { row[j] = 0 }
                }
                // dV = Pᵀ · dO
                Gemm.multiply(transposeA: true, transposeB: false, m: s, n: depth, k: t, a: probabilities, lda: s, b: gs, ldb: depth,
                              beta: 0, c: dv + slice * s * depth, ldc: depth, parallel: false)
                // dP = dO · Vᵀ, then dS = P ∘ (dP − Σ_d dO ∘ O)
                Gemm.multiply(transposeA: false, transposeB: true, m: t, n: s, k: depth, a: gs, lda: depth, b: vs, ldb: depth,
                              beta: 0, c: scoreGradient, ldc: s, parallel: false)
                for i in 0..<t {
                    var dot: Float = 0
                    for c in 0..<depth { dot += gs[i * depth + c] * os[i * depth + c] }
                    for j in 0..<s { scoreGradient[i * s + j] = probabilities[i * s + j] * (scoreGradient[i * s + j] - dot) }
                }
                // dQ = scale · dS · K, dK = scale · dSᵀ · Q
                Gemm.multiply(transposeA: false, transposeB: false, m: t, n: depth, k: s, alpha: d.scale, a: scoreGradient, lda: s,
                              b: ks, ldb: depth, beta: 0, c: dq + slice * t * depth, ldc: depth, parallel: false)
                Gemm.multiply(transposeA: true, transposeB: false, m: s, n: depth, k: t, alpha: d.scale, a: scoreGradient, lda: s,
                              b: qs, ldb: depth, beta: 0, c: dk + slice * s * depth, ldc: depth, parallel: false)
            }
        }
    }

    /// scores = scale · Q · Kᵀ for one slice (masked entries are left for the caller).
    private static func scores(_ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, into scores: UnsafeMutablePointer<Float>, _ d: Dimensions) {
        Gemm.multiply(transposeA: false, transposeB: true, m: d.queries, n: d.keys, k: d.depth, alpha: d.scale, a: q, lda: d.depth,
                      b: k, ldb: d.depth, beta: 0, c: scores, ldc: d.keys, parallel: false)
    }
}
