/// C = A · B (+ C) for few rows and a B that is reused many times: an LSTM's backward step,
/// dL/dh₋₁ = dz · W_hh (32 rows × 512 × 128), with the same W_hh for all 50 steps of a batch.
/// OpenBLAS packs B again on every call; here B is packed once into panels of 16 columns, and a
/// 6×16 tile of C is held in twelve vector registers while the k loop broadcasts A and streams a
/// panel (BENCHMARKS.md: 2.97 → 2.30 ms for one piece's 49 steps, best of 200; the forward step,
/// 32 × 128 × 512, gained nothing once both cores ran it, so it stays with OpenBLAS).
///
/// Every element of C is the same k-ordered chain of fused multiply-adds wherever its tile falls,
/// so a result never depends on how the rows were split between threads.
public enum PackedGemm {
    /// Columns per panel: two 8-float vectors.
    public static let panelWidth = 16

    /// B [k, n] packed as ⌈n/16⌉ panels, each k rows of 16 floats (zero past column n).
    public struct PackedMatrix {
        public let pointer: UnsafePointer<Float>
        public let k, n: Int

        /// Names packed storage made by `pack`.
        public init(pointer: UnsafePointer<Float>, k: Int, n: Int) {
            (self.pointer, self.k, self.n) = (pointer, k, n)
        }

        var panelCount: Int { (n + PackedGemm.panelWidth - 1) / PackedGemm.panelWidth }
    }

    /// Floats `pack` writes for a k×n matrix.
    public static func packedCount(k: Int, n: Int) -> Int {
        k * ((n + panelWidth - 1) / panelWidth) * panelWidth
    }

    /// Packs op(B) [k, n] into `destination` (`packedCount(k:n:)` floats). B is stored row-major
    /// with row length `ldb`: as [k, n] or, when `transposed`, as [n, k].
    public static func pack(
        _ b: UnsafePointer<Float>, ldb: Int, k: Int, n: Int, transposed: Bool, into destination: UnsafeMutablePointer<Float>
    ) -> PackedMatrix {
        let panels = (n + panelWidth - 1) / panelWidth
        for panel in 0..<panels {
            let firstColumn = panel * panelWidth, columns = min(panelWidth, n - firstColumn)
            let out = destination + panel * k * panelWidth
            for row in 0..<k {
                let line = out + row * panelWidth
                for column in 0..<panelWidth {
                    let j = firstColumn + column
                    line[column] = column < columns ? (transposed ? b[j * ldb + row] : b[row * ldb + j]) : 0
                }
            }
        }
        return PackedMatrix(pointer: UnsafePointer(destination), k: k, n: n)
    }

    /// Rows per tile of C: twelve 8-float accumulators.
    static let tileHeight = 6

    /// C [m, n] = A [m, k] · B, or C += A · B when `accumulate`; A and C are row-major with row
    /// lengths `lda` and `ldc`. Runs on the calling thread.
    public static func multiply(
        m: Int, a: UnsafePointer<Float>, lda: Int, _ b: PackedMatrix, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        for panel in 0..<b.panelCount {
            let firstColumn = panel * panelWidth, columns = min(panelWidth, b.n - firstColumn)
            let bPanel = b.pointer + panel * b.k * panelWidth
            for row in stride(from: 0, to: m, by: tileHeight) {
                let (aTile, cTile) = (a + row * lda, c + row * ldc + firstColumn)
                switch min(tileHeight, m - row) {
                case 6: tile(TileRows6.self, k: b.k, aTile, lda, bPanel, cTile, ldc, columns, accumulate)
                case 5: tile(TileRows5.self, k: b.k, aTile, lda, bPanel, cTile, ldc, columns, accumulate)
                case 4: tile(TileRows4.self, k: b.k, aTile, lda, bPanel, cTile, ldc, columns, accumulate)
                case 3: tile(TileRows3.self, k: b.k, aTile, lda, bPanel, cTile, ldc, columns, accumulate)
                case 2: tile(TileRows2.self, k: b.k, aTile, lda, bPanel, cTile, ldc, columns, accumulate)
                default: tile(TileRows1.self, k: b.k, aTile, lda, bPanel, cTile, ldc, columns, accumulate)
                }
            }
        }
    }

    /// One tile of up to 6 rows × 16 columns. The row count is a type, so each count gets its own
    /// specialised copy with the rows it does not have folded away (a run-time count left a branch
    /// per row in the k loop and spilled an accumulator).
    private static func tile<Rows: TileRows>(
        _: Rows.Type, k: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ columns: Int, _ accumulate: Bool
    ) {
        let rows = Rows.count
        typealias V = FastMath.Vector
        var (c00, c01, c10, c11, c20, c21) = (V(), V(), V(), V(), V(), V())
        var (c30, c31, c40, c41, c50, c51) = (V(), V(), V(), V(), V(), V())
        // One pointer per row, each advanced on its own (one pointer offset row by row made a
        // chain of six dependent adds per k, as long as the twelve FMAs).
        var p = b
        var (q0, q1, q2) = (a, a + min(1, rows - 1) * lda, a + min(2, rows - 1) * lda)
        var (q3, q4, q5) = (a + min(3, rows - 1) * lda, a + min(4, rows - 1) * lda, a + min(5, rows - 1) * lda)
        for _ in 0..<k {
            let b0 = FastMath.load(p), b1 = FastMath.load(p + 8)
            addRow(q0, b0, b1, &c00, &c01)
            if rows > 1 { addRow(q1, b0, b1, &c10, &c11) }
            if rows > 2 { addRow(q2, b0, b1, &c20, &c21) }
            if rows > 3 { addRow(q3, b0, b1, &c30, &c31) }
            if rows > 4 { addRow(q4, b0, b1, &c40, &c41) }
            if rows > 5 { addRow(q5, b0, b1, &c50, &c51) }
            p += panelWidth
            q0 += 1; q1 += 1; q2 += 1; q3 += 1; q4 += 1; q5 += 1
        }
        store(c00, c01, into: c, columns: columns, accumulate: accumulate)
        if rows > 1 { store(c10, c11, into: c + ldc, columns: columns, accumulate: accumulate) }
        if rows > 2 { store(c20, c21, into: c + 2 * ldc, columns: columns, accumulate: accumulate) }
        if rows > 3 { store(c30, c31, into: c + 3 * ldc, columns: columns, accumulate: accumulate) }
        if rows > 4 { store(c40, c41, into: c + 4 * ldc, columns: columns, accumulate: accumulate) }
        if rows > 5 { store(c50, c51, into: c + 5 * ldc, columns: columns, accumulate: accumulate) }
    }

    /// One row's share of a k step: its A value times the panel's 16 floats, into its two sums.
    @_transparent
    static func addRow(
        _ a: UnsafePointer<Float>, _ b0: FastMath.Vector, _ b1: FastMath.Vector, _ low: inout FastMath.Vector, _ high: inout FastMath.Vector
    ) {
        let broadcast = FastMath.Vector(repeating: a.pointee)
        low = FastMath.multiplyAdd(broadcast, b0, low)
        high = FastMath.multiplyAdd(broadcast, b1, high)
    }

    /// Writes (or adds) one tile row's 16 sums, or its first `columns` when the panel is the last.
    @inline(__always)
    private static func store(_ low: FastMath.Vector, _ high: FastMath.Vector, into c: UnsafeMutablePointer<Float>, columns: Int, accumulate: Bool) {
        if columns == panelWidth {
            FastMath.store(accumulate ? FastMath.load(c) + low : low, c)
            FastMath.store(accumulate ? FastMath.load(c + 8) + high : high, c + 8)
            return
        }
        for column in 0..<columns {
            let value = column < 8 ? low[column] : high[column - 8]
            c[column] = accumulate ? c[column] + value : value
        }
    }
}

/// A tile's row count as a type (`PackedGemm`'s kernels are specialised per count).
protocol TileRows { static var count: Int { get } }
enum TileRows1: TileRows { static var count: Int { 1 } }
enum TileRows2: TileRows { static var count: Int { 2 } }
enum TileRows3: TileRows { static var count: Int { 3 } }
enum TileRows4: TileRows { static var count: Int { 4 } }
enum TileRows5: TileRows { static var count: Int { 5 } }
enum TileRows6: TileRows { static var count: Int { 6 } }
