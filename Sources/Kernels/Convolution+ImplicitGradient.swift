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
                let tiles = TapTile(image: padded, rowLength: implicitRowLength(g), outHeight: g.outHeight, outWidth: g.outWidth,
                                    offsets: offsets, gradients: transposed + panel * pixels * width,
                                    sums: sums + panel * g.patchSize * width)
                PackedGemm.forEachTile(tiles, rows: g.patchSize)
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
    struct TapTile: RowTiles {
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
            let width = PackedGemm.panelWidth
            var tile = TileSums(Rows.self) { sums + (first + $0) * width }
            let taps = TileRowPointers(Rows.self) { image + offsets[first + $0] }
            var d = gradients
            for oy in 0..<outHeight {
                let rowStart = oy * rowLength
                for ox in rowStart..<(rowStart + outWidth) {
                    tile.add(Rows.self, taps, at: ox, FastMath.load(d), FastMath.load(d + 8))
                    d += width
                }
            }
            tile.forEachRow(Rows.self) { row, low, high in
                FastMath.store(low, sums + (first + row) * width)
                FastMath.store(high, sums + (first + row) * width + 8)
            }
        }
    }
}
