/// The narrow forward pass (LeNet's second convolution) for a multiple of 16 filters, as a GEMM
/// whose patch matrix is never written: a tile of 6 output pixels × 16 filters lives in twelve
/// vector registers, and for every tap each pixel's input value is broadcast from the padded
/// image at that pixel's position plus the tap's offset, against the tap's 16 packed weights.
/// Every lane is used (the row kernel fills 10 of 16 lanes for LeNet's 10-pixel rows), and each
/// output is the same chain of fused multiply-adds in (channel, row, column) tap order, then the
/// bias, as `forwardNarrow` computes it — the same bits.
extension Convolution {
    /// Whether `forwardImplicit` takes this geometry's forward pass (instead of `forwardNarrow`).
    public static func usesImplicitForward(_ g: Geometry) -> Bool {
        usesNarrowForward(g) && g.outChannels % PackedGemm.panelWidth == 0
    }

    /// Row length of the padded planes `forwardImplicit` reads.
    static func implicitRowLength(_ g: Geometry) -> Int { g.width + 2 * g.padding }

    /// Floats of scratch one thread needs: every channel of one image, zero-padded.
    static func implicitScratchCount(_ g: Geometry) -> Int {
        g.inChannels * (g.height + 2 * g.padding) * implicitRowLength(g)
    }

    /// Where each tap reads in the padded image, relative to the output pixel's top-left corner.
    static func tapOffsets(_ g: Geometry) -> [Int] {
        let rowLength = implicitRowLength(g), planeSize = (g.height + 2 * g.padding) * rowLength
        var offsets: [Int] = []
        offsets.reserveCapacity(g.patchSize)
        for c in 0..<g.inChannels {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth { offsets.append(c * planeSize + ky * rowLength + kx) }
            }
        }
        return offsets
    }

    /// y = conv(x, w) + bias for the images `images` (see `usesImplicitForward`); `weights` is the
    /// [O, C·kh·kw] weight packed transposed, `offsets` is `tapOffsets(g)`.
    static func forwardImplicit(
        _ g: Geometry, images: Range<Int>, input: UnsafePointer<Float>, weights: PackedGemm.PackedMatrix,
        offsets: UnsafePointer<Int>, bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let rowLength = implicitRowLength(g), pixels = g.outPixels
        for n in images {
            padImage(g, input + n * g.inChannels * g.height * g.width, into: scratch, rowLength: rowLength)
            let out = output + n * g.outChannels * pixels
            for panel in 0..<weights.panelCount {
                let filters = panel * PackedGemm.panelWidth
                let panelWeights = weights.pointer + panel * weights.k * PackedGemm.panelWidth
                let tiles = PixelTile(image: scratch, rowLength: rowLength, outWidth: g.outWidth, offsets: offsets,
                                      taps: weights.k, weights: panelWeights, bias: bias.map { $0 + filters },
                                      out: out + filters * pixels, pixels: pixels)
                PackedGemm.forEachTile(tiles, rows: pixels)
            }
        }
    }

    /// One image's 16 filters, computed 6 output pixels at a time.
    struct PixelTile: RowTiles {
        let image: UnsafePointer<Float>
        let rowLength, outWidth: Int
        let offsets: UnsafePointer<Int>
        let taps: Int
        let weights: UnsafePointer<Float>
        let bias: UnsafePointer<Float>?
        let out: UnsafeMutablePointer<Float>
        let pixels: Int

        /// The top-left input of output pixel `p` in the padded image.
        func corner(_ p: Int) -> UnsafePointer<Float> { image + (p / outWidth) * rowLength + p % outWidth }

        /// Pixels `first ..< first + Rows.count`, every tap, then the bias, stored filter-major.
        func run<Rows: TileRows>(_: Rows.Type, first: Int) {
            var sums = TileSums()
            let corners = TileRowPointers(Rows.self) { corner(first + $0) }
            var w = weights
            for tap in 0..<taps {
                sums.add(Rows.self, corners, at: offsets[tap], FastMath.load(w), FastMath.load(w + 8))
                w += PackedGemm.panelWidth
            }
            sums.forEachRow(Rows.self) { row, low, high in store(low, high, pixel: first + row) }
        }

        /// One pixel's 16 sums plus the bias, into the 16 filters' output planes.
        @inline(__always)
        func store(_ low: FastMath.Vector, _ high: FastMath.Vector, pixel: Int) {
            let (low, high) = bias.map { (low + FastMath.load($0), high + FastMath.load($0 + 8)) } ?? (low, high)
            for f in 0..<8 {
                out[f * pixels + pixel] = low[f]
                out[(f + 8) * pixels + pixel] = high[f]
            }
        }
    }
}
