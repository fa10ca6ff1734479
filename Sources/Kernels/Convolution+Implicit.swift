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
                let tile = PixelTile(image: scratch, rowLength: rowLength, outWidth: g.outWidth, offsets: offsets,
                                     taps: weights.k, weights: panelWeights, bias: bias.map { $0 + filters },
                                     out: out + filters * pixels, pixels: pixels)
                for first in stride(from: 0, to: pixels, by: PackedGemm.tileHeight) {
                    switch min(PackedGemm.tileHeight, pixels - first) {
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
    }

    /// One image's 16 filters, computed 6 output pixels at a time.
    struct PixelTile {
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
            let rows = Rows.count
            typealias V = FastMath.Vector
            var (c00, c01, c10, c11, c20, c21) = (V(), V(), V(), V(), V(), V())
            var (c30, c31, c40, c41, c50, c51) = (V(), V(), V(), V(), V(), V())
            let (x0, x1, x2) = (corner(first), corner(first + min(1, rows - 1)), corner(first + min(2, rows - 1)))
            let (x3, x4, x5) = (corner(first + min(3, rows - 1)), corner(first + min(4, rows - 1)), corner(first + min(5, rows - 1)))
            var w = weights
            for tap in 0..<taps {
                let offset = offsets[tap]
                let b0 = FastMath.load(w), b1 = FastMath.load(w + 8)
                PackedGemm.addRow(x0 + offset, b0, b1, &c00, &c01)
                if rows > 1 { PackedGemm.addRow(x1 + offset, b0, b1, &c10, &c11) }
                if rows > 2 { PackedGemm.addRow(x2 + offset, b0, b1, &c20, &c21) }
                if rows > 3 { PackedGemm.addRow(x3 + offset, b0, b1, &c30, &c31) }
                if rows > 4 { PackedGemm.addRow(x4 + offset, b0, b1, &c40, &c41) }
                if rows > 5 { PackedGemm.addRow(x5 + offset, b0, b1, &c50, &c51) }
                w += PackedGemm.panelWidth
            }
            store(c00, c01, pixel: first)
            if rows > 1 { store(c10, c11, pixel: first + 1) }
            if rows > 2 { store(c20, c21, pixel: first + 2) }
            if rows > 3 { store(c30, c31, pixel: first + 3) }
            if rows > 4 { store(c40, c41, pixel: first + 4) }
            if rows > 5 { store(c50, c51, pixel: first + 5) }
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
