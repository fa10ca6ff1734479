import CBLAS

/// Single-precision matrix multiplication through OpenBLAS, row-major. The library is OpenBLAS
/// 0.3.34 from the scipy-openblas32 wheel (its symbols are prefixed `scipy_`), chosen by
/// measurement: BENCHMARKS.md, "The GEMM underneath".
public enum Gemm {
    /// Pins OpenBLAS to one thread once per process: `Parallel` owns the cores.
    private static let singleThreadedBLAS: Void = { scipy_openblas_set_num_threads(1) }()

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
        if !parallel || work < parallelThreshold {
            sgemm(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        // The product is cut into pieces fixed by its shape alone, never by the thread count:
        // OpenBLAS rounds an element differently depending on where its tile falls, so cuts that
        // followed the cores would make a seeded run differ between a 2-core and an 8-core machine.
        if m >= n {
            // Split the rows of C: rows of op(A) start at a + i·lda, or a + i when A is stored transposed.
            forEachPiece(of: m) { rows in
                let aStart = transposeA ? a + rows.lowerBound : a + rows.lowerBound * lda
                sgemm(transposeA, transposeB, rows.count, n, k, alpha, aStart, lda, b, ldb, beta,
                      c + rows.lowerBound * ldc, ldc)
            }
        } else {
            // Split the columns of C: columns of op(B) start at b + j, or b + j·ldb when B is transposed.
            forEachPiece(of: n) { columns in
                let bStart = transposeB ? b + columns.lowerBound * ldb : b + columns.lowerBound
                sgemm(transposeA, transposeB, m, columns.count, k, alpha, a, lda, bStart, ldb, beta,
                      c + columns.lowerBound, ldc)
            }
        }
    }

    /// Calls `body` on equal pieces of `0..<count`, spread over the threads; the cuts depend on
    /// `count` alone. Pieces are at least 64 wide (each repacks the other operand), but anything
    /// 32 or wider is cut in two so that two cores always share the work.
    private static func forEachPiece(of count: Int, _ body: (Range<Int>) -> Void) {
        let pieces = max(1, min(Parallel.maximumThreadCount, count / 64), min(2, count / 16))
        Parallel.forEachChunk(count: pieces, minimumPerChunk: 1) { pieceRange in
            for piece in pieceRange { body((count * piece / pieces)..<(count * (piece + 1) / pieces)) }
        }
    }

    /// One direct `cblas_sgemm` call, on the calling thread.
    @inline(__always)
    private static func sgemm(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        scipy_cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, c,
            Int32(max(ldc, 1)))
    }
}
