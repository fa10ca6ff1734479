import CBLAS

/// Single-precision matrix multiplication through OpenBLAS, row-major.
public enum Gemm {
    /// Pins OpenBLAS to one thread once per process: `Parallel` owns the cores.
    private static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

    /// Below this many multiply-adds a product runs on one thread (splitting costs more than it saves).
    @usableFromInline static let parallelThreshold = 1 << 18

    /// C = alpha · op(A) · op(B) + beta · C, where op(A) is M×K and op(B) is K×N; leading
    /// dimensions are the row lengths of the matrices as stored. `parallel: false` keeps the call on
    /// the current thread (for callers that already split their work across threads).
    public static func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true
    ) {
        _ = singleThreadedBLAS
        if m == 0 || n == 0 { return }
        let work = m * n * max(k, 1)
        if !parallel || Parallel.threadCount <= 1 || work < parallelThreshold {
            sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        if m >= n {
            // Split the rows of C: rows of op(A) start at a + i·lda, or a + i when A is stored transposed.
            Parallel.forEachChunk(count: m, minimumPerChunk: 16) { rows in
                let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
                sgemm(transposeA, transposeB, rows.count, n, k, alpha, aStart, lda, b, ldb, beta,
                      c + rows.lowerBound * ldc, ldc)
            }
        } else {
            // Split the columns of C: columns of op(B) start at b + j, or b + j·ldb when B is transposed.
            Parallel.forEachChunk(count: n, minimumPerChunk: 16) { columns in
                let bStart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
                sgemm(transposeA, transposeB, m, columns.count, k, alpha, a, lda, bStart, ldb, beta,
                      c + columns.lowerBound, ldc)
            }
        }
    }

    /// One direct `cblas_sgemm` call, on the calling thread.
    @inline(__always)
    private static func sgemm(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c,
            Int32(max(ldc, 1)))
    }
}
