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
    /// Where slice `s`'s [rows, depth] matrix lies in a buffer: slices are numbered batch-major
    /// (s = batch · heads + head); row r of slice s starts at start(s) + r · rowStride.
    public struct Layout: Sendable {
        public var heads: Int, batchStride: Int, headStride: Int, rowStride: Int

        /// A layout with explicit strides.
        public init(heads: Int, batchStride: Int, headStride: Int, rowStride: Int) {
            (self.heads, self.batchStride, self.headStride, self.rowStride) = (heads, batchStride, headStride, rowStride)
        }

        /// Slices stored one after another, each [rows, depth] contiguous ([..., T, D] tensors).
        public static func contiguous(rows: Int, depth: Int) -> Layout {
            Layout(heads: 1, batchStride: rows * depth, headStride: 0, rowStride: depth)
        }

        /// Heads side by side in each row, as a [B, T, parts · heads · depth] tensor stores them
        /// (GPT-2's fused `c_attn` output): head h of batch b starts at b · T · rowStride + h · depth.
        public static func interleavedHeads(heads: Int, rows: Int, depth: Int, rowStride: Int) -> Layout {
            Layout(heads: heads, batchStride: rows * rowStride, headStride: depth, rowStride: rowStride)
        }

        /// The offset of slice `slice`'s first row.
        @inlinable public func start(_ slice: Int) -> Int { (slice / heads) * batchStride + (slice % heads) * headStride }
    }

    /// The shape of one call.
    public struct Dimensions: Sendable {
        public var slices: Int, queries: Int, keys: Int, depth: Int
        /// Scale on the scores, 1/√depth by default.
        public var scale: Float
        /// Mask scores of keys after the query (query i sees keys 0…i), as `is_causal=True`.
        public var causal: Bool
        /// How queries (and their gradient) are laid out; contiguous by default.
        public var queryLayout: Layout
        /// How keys and values (and their gradients) are laid out; contiguous by default.
        public var keyLayout: Layout
        /// How the output and its upstream gradient are laid out; contiguous by default.
        public var outputLayout: Layout

        /// Dimensions of an attention call.
        public init(slices: Int, queries: Int, keys: Int, depth: Int, scale: Float? = nil, causal: Bool,
                    queryLayout: Layout? = nil, keyLayout: Layout? = nil, outputLayout: Layout? = nil) {
            (self.slices, self.queries, self.keys, self.depth) = (slices, queries, keys, depth)
            self.scale = scale ?? 1 / Float(depth).squareRoot()
            self.causal = causal
            self.queryLayout = queryLayout ?? .contiguous(rows: queries, depth: depth)
            self.keyLayout = keyLayout ?? .contiguous(rows: keys, depth: depth)
            self.outputLayout = outputLayout ?? .contiguous(rows: queries, depth: depth)
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
            let (ld, ldo) = (d.keyLayout.rowStride, d.outputLayout.rowStride)
            for slice in range {
                let (qs, ks, vs) = (q + d.queryLayout.start(slice), k + d.keyLayout.start(slice), v + d.keyLayout.start(slice))
                scores(qs, ks, into: probabilities, d)
                for i in 0..<t {
                    let row = probabilities + i * s
                    let visible = d.causal ? Swift.min(i + 1, s) : s
                    let maximum = RowOperations.maximum(row, count: visible)
                    let total = RowOperations.exponentiate(row, count: visible, shift: maximum)
                    for j in 0..<visible { row[j] /= total }
                    for j in visible..<s { row[j] = 0 }
                    logSumExp[slice * t + i] = maximum + logf(total)
                }
                Gemm.multiply(transposeA: false, transposeB: false, m: t, n: depth, k: s, a: probabilities, lda: s, b: vs, ldb: ld,
                              beta: 0, c: out + d.outputLayout.start(slice), ldc: ldo, parallel: false)
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
            let (ldq, ld, ldo) = (d.queryLayout.rowStride, d.keyLayout.rowStride, d.outputLayout.rowStride)
            for slice in range {
                let (qs, ks, vs) = (q + d.queryLayout.start(slice), k + d.keyLayout.start(slice), v + d.keyLayout.start(slice))
                let (os, gs) = (o + d.outputLayout.start(slice), g + d.outputLayout.start(slice))
                scores(qs, ks, into: probabilities, d)
                for i in 0..<t {
                    let row = probabilities + i * s
                    let visible = d.causal ? Swift.min(i + 1, s) : s
                    let shift = logSumExp[slice * t + i]
                    for j in 0..<visible { row[j] = FastMath.exp(row[j] - shift) }
                    for j in visible..<s { row[j] = 0 }
                }
                // dV = Pᵀ · dO
                Gemm.multiply(transposeA: true, transposeB: false, m: s, n: depth, k: t, a: probabilities, lda: s, b: gs, ldb: ldo,
                              beta: 0, c: dv + d.keyLayout.start(slice), ldc: ld, parallel: false)
                // dP = dO · Vᵀ, then dS = P ∘ (dP − Σ_d dO ∘ O)
                Gemm.multiply(transposeA: false, transposeB: true, m: t, n: s, k: depth, a: gs, lda: ldo, b: vs, ldb: ld,
                              beta: 0, c: scoreGradient, ldc: s, parallel: false)
                for i in 0..<t {
                    let dot = RowOperations.dot(gs + i * ldo, os + i * ldo, count: depth)
                    for j in 0..<s { scoreGradient[i * s + j] = probabilities[i * s + j] * (scoreGradient[i * s + j] - dot) }
                }
                // dQ = scale · dS · K, dK = scale · dSᵀ · Q
                Gemm.multiply(transposeA: false, transposeB: false, m: t, n: depth, k: s, alpha: d.scale, a: scoreGradient, lda: s,
                              b: ks, ldb: ld, beta: 0, c: dq + d.queryLayout.start(slice), ldc: ldq, parallel: false)
                Gemm.multiply(transposeA: true, transposeB: false, m: s, n: depth, k: t, alpha: d.scale, a: scoreGradient, lda: s,
                              b: qs, ldb: ldq, beta: 0, c: dk + d.keyLayout.start(slice), ldc: ld, parallel: false)
            }
        }
    }

    /// scores = scale · Q · Kᵀ for one slice (masked entries are left for the caller).
    private static func scores(_ q: UnsafePointer<Float>, _ k: UnsafePointer<Float>, into scores: UnsafeMutablePointer<Float>, _ d: Dimensions) {
        Gemm.multiply(transposeA: false, transposeB: true, m: d.queries, n: d.keys, k: d.depth, alpha: d.scale, a: q, lda: d.queryLayout.rowStride,
                      b: k, ldb: d.keyLayout.rowStride, beta: 0, c: scores, ldc: d.keys, parallel: false)
    }
}
