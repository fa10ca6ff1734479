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
            let firstColumn = panel * panelWidth
            let tiles = PanelTiles(k: b.k, a: a, lda: lda, panel: b.pointer + panel * b.k * panelWidth, c: c + firstColumn,
                                   ldc: ldc, columns: min(panelWidth, b.n - firstColumn), accumulate: accumulate)
            forEachTile(tiles, rows: m)
        }
    }

    /// Runs `tiles` over rows 0..<count, six at a time and the rest in one shorter tile, each
    /// height its own specialised copy of the kernel.
    @inline(__always)
    static func forEachTile<Tiles: RowTiles>(_ tiles: Tiles, rows count: Int) {
        for first in stride(from: 0, to: count, by: tileHeight) {
            switch min(tileHeight, count - first) {
            case 6: tiles.run(TileRows6.self, first: first)
            case 5: tiles.run(TileRows5.self, first: first)
            case 4: tiles.run(TileRows4.self, first: first)
            case 3: tiles.run(TileRows3.self, first: first)
            case 2: tiles.run(TileRows2.self, first: first)
            default: tiles.run(TileRows1.self, first: first)
            }
        }
    }

    /// One 16-column panel of C = A · B, in tiles of up to 6 rows × 16 columns. The row count is a
    /// type, so each count gets its own specialised copy with the rows it does not have folded
    /// away (a run-time count left a branch per row in the k loop and spilled an accumulator).
    struct PanelTiles: RowTiles {
        let k: Int
        let a: UnsafePointer<Float>, lda: Int
        let panel: UnsafePointer<Float>
        let c: UnsafeMutablePointer<Float>, ldc: Int
        let columns: Int
        let accumulate: Bool

        func run<Rows: TileRows>(_: Rows.Type, first: Int) {
            var sums = TileSums()
            // One base pointer per row and the step as a shared offset (one pointer offset row by
            // row made a chain of six dependent adds per k, as long as the twelve FMAs).
            let rows = TileRowPointers(Rows.self) { a + (first + $0) * lda }
            var p = panel
            for step in 0..<k {
                sums.add(Rows.self, rows, at: step, FastMath.load(p), FastMath.load(p + 8))
                p += panelWidth
            }
            sums.forEachRow(Rows.self) { row, low, high in
                store(low, high, into: c + (first + row) * ldc, columns: columns, accumulate: accumulate)
            }
        }
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

/// A kernel computed in tiles of up to `PackedGemm.tileHeight` rows (see `PackedGemm.forEachTile`).
protocol RowTiles {
    /// Rows `first ..< first + Rows.count` of the result.
    func run<Rows: TileRows>(_: Rows.Type, first: Int)
}

/// Where each of a tile's rows reads its broadcast values; rows past the tile repeat its last.
struct TileRowPointers {
    let r0, r1, r2, r3, r4, r5: UnsafePointer<Float>

    @_transparent
    init<Rows: TileRows>(_: Rows.Type, _ row: (Int) -> UnsafePointer<Float>) {
        let last = Rows.count - 1
        (r0, r1, r2) = (row(0), row(min(1, last)), row(min(2, last)))
        (r3, r4, r5) = (row(min(3, last)), row(min(4, last)), row(min(5, last)))
    }
}

/// The twelve 8-float sums of a tile of up to 6 rows × 16 columns. Every method is transparent,
/// so the sums stay in registers (a call would pass them through memory).
struct TileSums {
    typealias V = FastMath.Vector
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
    var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()

    @_transparent
    init() {}

    /// Sums starting from each row's 16 floats at `row(r)`.
    @_transparent
    init<Rows: TileRows>(_: Rows.Type, loading row: (Int) -> UnsafeMutablePointer<Float>) {
        let last = Rows.count - 1
        (c00, c01) = (FastMath.load(row(0)), FastMath.load(row(0) + 8))
        if last >= 1 { (c10, c11) = (FastMath.load(row(1)), FastMath.load(row(1) + 8)) }
        if last >= 2 { (c20, c21) = (FastMath.load(row(2)), FastMath.load(row(2) + 8)) }
        if last >= 3 { (c30, c31) = (FastMath.load(row(3)), FastMath.load(row(3) + 8)) }
        if last >= 4 { (c40, c41) = (FastMath.load(row(4)), FastMath.load(row(4) + 8)) }
        if last >= 5 { (c50, c51) = (FastMath.load(row(5)), FastMath.load(row(5) + 8)) }
    }

    /// One k step: each row's value at its pointer + `offset`, broadcast, times (b0, b1).
    @_transparent
    mutating func add<Rows: TileRows>(_: Rows.Type, _ rows: TileRowPointers, at offset: Int, _ b0: V, _ b1: V) {
        let count = Rows.count
        PackedGemm.addRow(rows.r0 + offset, b0, b1, &c00, &c01)
        if count > 1 { PackedGemm.addRow(rows.r1 + offset, b0, b1, &c10, &c11) }
        if count > 2 { PackedGemm.addRow(rows.r2 + offset, b0, b1, &c20, &c21) }
        if count > 3 { PackedGemm.addRow(rows.r3 + offset, b0, b1, &c30, &c31) }
        if count > 4 { PackedGemm.addRow(rows.r4 + offset, b0, b1, &c40, &c41) }
        if count > 5 { PackedGemm.addRow(rows.r5 + offset, b0, b1, &c50, &c51) }
    }

    /// Calls `body(row, low, high)` with each of the tile's rows' sums.
    @_transparent
    func forEachRow<Rows: TileRows>(_: Rows.Type, _ body: (Int, V, V) -> Void) {
        let count = Rows.count
        body(0, c00, c01)
        if count > 1 { body(1, c10, c11) }
        if count > 2 { body(2, c20, c21) }
        if count > 3 { body(3, c30, c31) }
        if count > 4 { body(4, c40, c41) }
        if count > 5 { body(5, c50, c51) }
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
