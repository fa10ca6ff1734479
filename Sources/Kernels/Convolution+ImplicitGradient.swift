/// dL/dw for the layers `forwardImplicit` takes (LeNet's second convolution) without unfolding
/// the patch matrix: the transpose of the forward's tile. dWᵀ [C·kh·kw, 16 filters] is a GEMM of
/// the implicit patch matrix [taps, pixels] and dL/dy transposed [pixels, 16]; a tile of 6 taps ×
/// 16 filters lives in twelve vector registers, and for every output pixel each tap's input is
/// broadcast from the padded image at the pixel's position plus the tap's offset, against the
/// pixel's 16 upstream gradients. Where im2col + GEMM wrote and re-read a 150 × 100 patch matrix
/// per image (its rows 10 floats long), this reads the image in place.
extension Convolution {
    /// Whether `weightGradientImplicit` takes this geometry's dL/dw and dL/db.
    public static func usesImplicitWeightGradient(_ g: Geometry) -> Bool { usesImplicitForward(g) }

    /// Floats of scratch `weightGradientImplicit` needs: the padded image, dL/dy transposed, and
    /// the group's dWᵀ sums.
    static func implicitGradientScratchCount(_ g: Geometry) -> Int {
        implicitScratchCount(g) + g.outPixels * g.outChannels + g.patchSize * g.outChannels
    }

    /// Adds dL/dw [O, C·kh·kw] and dL/db of the images `images` into `dW` and `dB`; `offsets` is
    /// `tapOffsets(g)`. Each weight's gradient is one chain of fused multiply-adds over the images
    /// in order and their pixels in row-major order, so it depends on the group alone.
    static func weightGradientImplicit(
        _ g: Geometry, images: Range<Int>, input: UnsafePointer<Float>, upstream: UnsafePointer<Float>,
        offsets: UnsafePointer<Int>, dW: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let width = PackedGemm.panelWidth, pixels = g.outPixels, panels = g.outChannels / width
        let padded = scratch, transposed = scratch + implicitScratchCount(g), sums = transposed + pixels * g.outChannels
        sums.update(repeating: 0, count: g.patchSize * g.outChannels)
        for n in images {
            padImage(g, input + n * g.inChannels * g.height * g.width, into: padded, rowLength: implicitRowLength(g))
            let dy = upstream + n * g.outChannels * pixels
            for f in 0..<g.outChannels {
                dB[f] += Reduction.contiguousSum(dy + f * pixels, count: pixels)
                // Panel-major [panel, pixel, 16]: each pixel's 16 gradients are one load apart.
                let lane = transposed + (f / width) * pixels * width + f % width
                for p in 0..<pixels { lane[p * width] = dy[f * pixels + p] }
            }
            for panel in 0..<panels {
                let tile = TapTile(image: padded, rowLength: implicitRowLength(g), outHeight: g.outHeight, outWidth: g.outWidth,
                                   offsets: offsets, gradients: transposed + panel * pixels * width,
                                   sums: sums + panel * g.patchSize * width)
                for first in stride(from: 0, to: g.patchSize, by: PackedGemm.tileHeight) {
                    switch min(PackedGemm.tileHeight, g.patchSize - first) {
                    case 6: tile.run(TileRows6.self, first: first)
                    case 5: tile.run(TileRows5.self, first: first)
                    case 4: tile.run(TileRows4.self, first: first)
                    case 3: tile.run(TileRows3.self, first: first)
                    case 2: tile.run(TileRows2.self, first: first)
                    default: tile.run(TileRows1.self, first: first)
                    }
                }
            }
        }
        for panel in 0..<panels {
            for tap in 0..<g.patchSize {
                let row = sums + (panel * g.patchSize + tap) * width
                for lane in 0..<width { dW[(panel * width + lane) * g.patchSize + tap] += row[lane] }
            }
        }
    }

    /// One image's contribution to 6 taps' dWᵀ rows for 16 filters.
    struct TapTile {
        let image: UnsafePointer<Float>
        let rowLength, outHeight, outWidth: Int
        let offsets: UnsafePointer<Int>
        /// dL/dy of the 16 filters, pixel by pixel.
        let gradients: UnsafePointer<Float>
        /// dWᵀ rows of the panel, [taps, 16], added to.
        let sums: UnsafeMutablePointer<Float>

        /// Taps `first ..< first + Rows.count`: their sums so far, plus every output pixel's input
        /// under the tap times the pixel's gradients.
        func run<Rows: TileRows>(_: Rows.Type, first: Int) {
            let rows = Rows.count, width = PackedGemm.panelWidth
            typealias V = FastMath.Vector
            func sum(_ r: Int) -> UnsafeMutablePointer<Float> { sums + (first + min(r, rows - 1)) * width }
            var (c00, c01, c10, c11) = (FastMath.load(sum(0)), FastMath.load(sum(0) + 8), FastMath.load(sum(1)), FastMath.load(sum(1) + 8))
            var (c20, c21, c30, c31) = (FastMath.load(sum(2)), FastMath.load(sum(2) + 8), FastMath.load(sum(3)), FastMath.load(sum(3) + 8))
            var (c40, c41, c50, c51) = (FastMath.load(sum(4)), FastMath.load(sum(4) + 8), FastMath.load(sum(5)), FastMath.load(sum(5) + 8))
            func tap(_ r: Int) -> UnsafePointer<Float> { image + offsets[first + min(r, rows - 1)] }
            let (x0, x1, x2, x3, x4, x5) = (tap(0), tap(1), tap(2), tap(3), tap(4), tap(5))
            var d = gradients
            for oy in 0..<outHeight {
                let rowStart = oy * rowLength
                for ox in rowStart..<(rowStart + outWidth) {
                    let b0 = FastMath.load(d), b1 = FastMath.load(d + 8)
                    PackedGemm.addRow(x0 + ox, b0, b1, &c00, &c01)
                    if rows > 1 { PackedGemm.addRow(x1 + ox, b0, b1, &c10, &c11) }
                    if rows > 2 { PackedGemm.addRow(x2 + ox, b0, b1, &c20, &c21) }
                    if rows > 3 { PackedGemm.addRow(x3 + ox, b0, b1, &c30, &c31) }
                    if rows > 4 { PackedGemm.addRow(x4 + ox, b0, b1, &c40, &c41) }
                    if rows > 5 { PackedGemm.addRow(x5 + ox, b0, b1, &c50, &c51) }
                    d += width
                }
            }
            FastMath.store(c00, sum(0)); FastMath.store(c01, sum(0) + 8)
            if rows > 1 { FastMath.store(c10, sum(1)); FastMath.store(c11, sum(1) + 8) }
            if rows > 2 { FastMath.store(c20, sum(2)); FastMath.store(c21, sum(2) + 8) }
            if rows > 3 { FastMath.store(c30, sum(3)); FastMath.store(c31, sum(3) + 8) }
            if rows > 4 { FastMath.store(c40, sum(4)); FastMath.store(c41, sum(4) + 8) }
            if rows > 5 { FastMath.store(c50, sum(5)); FastMath.store(c51, sum(5) + 8) }
        }
    }
}
