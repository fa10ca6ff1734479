/// Direct kernels for a first layer: one input channel, stride 1, output rows of at most 32
/// pixels, an even number of filters (the essay CNN's 1→16 3×3 and LeNet's 1→6 5×5).
///
/// There im2col + GEMM spends more time unfolding and packing than multiplying: the patch matrix
/// has kh·kw rows for a 6- or 16-row weight. Here one output row of two filters lives in eight
/// vector registers (2 filters × 32 pixels) while every tap is added with one load of the
/// zero-padded input row per 8 pixels, so the image is read in place and nothing is unfolded.
extension Convolution {
    /// Output pixels computed per row: four vectors of eight (lanes past the row are dropped).
    static let directRowWidth = 32

    /// Whether `forwardDirect` / `weightGradientDirect` handle this geometry.
    public static func usesDirectKernel(_ g: Geometry) -> Bool {
        g.inChannels == 1 && g.stride == 1 && g.outWidth <= directRowWidth && g.outChannels % 2 == 0
            && g.kernelWidth <= 8 && g.padding < g.kernelHeight && g.padding < g.kernelWidth
    }

    /// Row length of the zero-padded image: room for four vectors read at every tap offset.
    static func paddedWidth(_ g: Geometry) -> Int { directRowWidth + g.kernelWidth }

    /// Floats of scratch one thread needs: the padded image, then 32-wide copies of dL/dy.
    static func directScratchCount(_ g: Geometry) -> Int {
        (g.height + 2 * g.padding) * paddedWidth(g) + g.outChannels * g.outHeight * directRowWidth
    }

    /// Copies every C×H×W channel of one image into the middle of a zeroed (H + 2p) × `rowLength`
    /// plane of its own (the planes one after another).
    static func padImage(_ g: Geometry, _ image: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>, rowLength: Int) {
        let planeSize = (g.height + 2 * g.padding) * rowLength
        padded.update(repeating: 0, count: g.inChannels * planeSize)
        for c in 0..<g.inChannels {
            for y in 0..<g.height {
                copyShortRow(from: image + (c * g.height + y) * g.width,
                             to: padded + c * planeSize + (y + g.padding) * rowLength + g.padding, count: g.width)
            }
        }
    }

    /// y = conv(x, w) + bias for the images `images` (see `usesDirectKernel`).
    static func forwardDirect(
        _ g: Geometry, images: Range<Int>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let taps = g.kernelHeight * g.kernelWidth, width = paddedWidth(g)
        for n in images {
            padImage(g, input + n * g.height * g.width, into: scratch, rowLength: width)
            let y = output + n * g.outChannels * g.outPixels
            for oy in 0..<g.outHeight {
                for filter in stride(from: 0, to: g.outChannels, by: 2) {
                    filterPairRow(scratch + oy * width, rowLength: width, g, weight + filter * taps, weight + (filter + 1) * taps,
                                  bias: bias.map { ($0[filter], $0[filter + 1]) } ?? (0, 0),
                                  y + filter * g.outPixels + oy * g.outWidth, y + (filter + 1) * g.outPixels + oy * g.outWidth)
                }
            }
        }
    }

    /// One output row of two filters: Σ over taps (ki, kj) in order of w[ki, kj] · padded[oy + ki,
    /// ox + kj], one fused multiply-add each, then the bias; written to `out0` and `out1`.
    @inline(__always)
    private static func filterPairRow(
        _ rows: UnsafePointer<Float>, rowLength: Int, _ g: Geometry, _ w0: UnsafePointer<Float>, _ w1: UnsafePointer<Float>,
        bias: (Float, Float), _ out0: UnsafeMutablePointer<Float>, _ out1: UnsafeMutablePointer<Float>
    ) {
        typealias V = FastMath.Vector
        var (a0, a1, a2, a3) = (V(), V(), V(), V())
        var (b0, b1, b2, b3) = (V(), V(), V(), V())
        for ki in 0..<g.kernelHeight {
            let row = rows + ki * rowLength
            for kj in 0..<g.kernelWidth {
                let x = row + kj, tap = ki * g.kernelWidth + kj
                let x0 = FastMath.load(x), x1 = FastMath.load(x + 8), x2 = FastMath.load(x + 16), x3 = FastMath.load(x + 24)
                let u = V(repeating: w0[tap]), v = V(repeating: w1[tap])
                a0 = FastMath.multiplyAdd(x0, u, a0); a1 = FastMath.multiplyAdd(x1, u, a1)
                a2 = FastMath.multiplyAdd(x2, u, a2); a3 = FastMath.multiplyAdd(x3, u, a3)
                b0 = FastMath.multiplyAdd(x0, v, b0); b1 = FastMath.multiplyAdd(x1, v, b1)
                b2 = FastMath.multiplyAdd(x2, v, b2); b3 = FastMath.multiplyAdd(x3, v, b3)
            }
        }
        let (u, v) = (V(repeating: bias.0), V(repeating: bias.1))
        storeRow(a0 + u, a1 + u, a2 + u, a3 + u, out0, count: g.outWidth)
        storeRow(b0 + v, b1 + v, b2 + v, b3 + v, out1, count: g.outWidth)
    }

    /// Writes the first `count` (≤ 32) lanes of four vectors: whole vectors while they fit, then lane by lane.
    @inline(__always)
    static func storeRow(
        _ r0: FastMath.Vector, _ r1: FastMath.Vector, _ r2: FastMath.Vector, _ r3: FastMath.Vector,
        _ out: UnsafeMutablePointer<Float>, count: Int
    ) {
        let whole = count / 8
        if whole > 0 { FastMath.store(r0, out) }
        if whole > 1 { FastMath.store(r1, out + 8) }
        if whole > 2 { FastMath.store(r2, out + 16) }
        if whole > 3 { FastMath.store(r3, out + 24) }
        let rest = whole == 0 ? r0 : whole == 1 ? r1 : whole == 2 ? r2 : r3
        for lane in 0..<(count - 8 * whole) { out[8 * whole + lane] = rest[lane] }
    }

    /// Adds dL/dw (and dL/dbias) of the images `images` into `dW` / `dB`: for each filter and tap,
    /// Σ over pixels of dL/dy · the padded input under that tap, lanes summed at the end.
    static func weightGradientDirect(
        _ g: Geometry, images: Range<Int>, input: UnsafePointer<Float>, upstream: UnsafePointer<Float>,
        dW: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let width = paddedWidth(g), taps = g.kernelHeight * g.kernelWidth
        let padded = scratch, wideUpstream = scratch + (g.height + 2 * g.padding) * width
        for n in images {
            padImage(g, input + n * g.height * g.width, into: padded, rowLength: width)
            let dy = upstream + n * g.outChannels * g.outPixels
            // dL/dy rows widened to 32 with zeros, so the lanes past the row add nothing.
            wideUpstream.update(repeating: 0, count: g.outChannels * g.outHeight * directRowWidth)
            for row in 0..<(g.outChannels * g.outHeight) {
                copyShortRow(from: dy + row * g.outWidth, to: wideUpstream + row * directRowWidth, count: g.outWidth)
            }
            for filter in 0..<g.outChannels {
                dB[filter] += Reduction.contiguousSum(dy + filter * g.outPixels, count: g.outPixels)
            }
            for filter in stride(from: 0, to: g.outChannels, by: 2) {
                for ki in 0..<g.kernelHeight {
                    for kj in 0..<g.kernelWidth {
                        let (first, second) = tapGradients(
                            padded + ki * width + kj, rowLength: width, g,
                            wideUpstream + filter * g.outHeight * directRowWidth,
                            wideUpstream + (filter + 1) * g.outHeight * directRowWidth)
                        dW[filter * taps + ki * g.kernelWidth + kj] += first
                        dW[(filter + 1) * taps + ki * g.kernelWidth + kj] += second
                    }
                }
            }
        }
    }

    /// Σ over output rows and 32 lanes of dy₀·x and dy₁·x for one tap of two filters.
    @inline(__always)
    private static func tapGradients(
        _ x: UnsafePointer<Float>, rowLength: Int, _ g: Geometry, _ dy0: UnsafePointer<Float>, _ dy1: UnsafePointer<Float>
    ) -> (Float, Float) {
        typealias V = FastMath.Vector
        var (a0, a1, a2, a3) = (V(), V(), V(), V())
        var (b0, b1, b2, b3) = (V(), V(), V(), V())
        for oy in 0..<g.outHeight {
            let row = x + oy * rowLength, d0 = dy0 + oy * directRowWidth, d1 = dy1 + oy * directRowWidth
            let x0 = FastMath.load(row), x1 = FastMath.load(row + 8), x2 = FastMath.load(row + 16), x3 = FastMath.load(row + 24)
            a0 = FastMath.multiplyAdd(x0, FastMath.load(d0), a0); a1 = FastMath.multiplyAdd(x1, FastMath.load(d0 + 8), a1)
            a2 = FastMath.multiplyAdd(x2, FastMath.load(d0 + 16), a2); a3 = FastMath.multiplyAdd(x3, FastMath.load(d0 + 24), a3)
            b0 = FastMath.multiplyAdd(x0, FastMath.load(d1), b0); b1 = FastMath.multiplyAdd(x1, FastMath.load(d1 + 8), b1)
            b2 = FastMath.multiplyAdd(x2, FastMath.load(d1 + 16), b2); b3 = FastMath.multiplyAdd(x3, FastMath.load(d1 + 24), b3)
        }
        return (((a0 + a1) + (a2 + a3)).sum(), ((b0 + b1) + (b2 + b3)).sum())
    }
}

/// A direct forward pass for narrow layers with any number of input channels (rows of at most 16
/// output pixels, e.g. 6×14×14 → 8×10×10 with 5×5 filters), where a per-image GEMM costs less than
/// unfolding the patch matrix and packing it. Four filters × 16 output pixels live in eight vector
/// registers; every (channel, tap) adds one padded-row load per 8 pixels. With a multiple of 16
/// filters (LeNet's second convolution) `Convolution+Implicit` takes the same layers with every
/// lane used, giving these same bits; there `Convolution+ImplicitGradient` takes dL/dw. dL/dx keeps
/// im2col's adjoint after a GEMM.
extension Convolution {
    /// Output pixels per row in the narrow kernel: two vectors of eight.
    static let narrowRowWidth = 16

    /// Whether `forwardNarrow` handles this geometry's forward pass.
    public static func usesNarrowForward(_ g: Geometry) -> Bool {
        g.stride == 1 && g.outWidth <= narrowRowWidth && g.outChannels % 4 == 0 && g.kernelWidth <= 8
            && !usesDirectKernel(g)
    }

    /// Row length of each zero-padded channel plane: room for two vectors read at every tap offset.
    static func narrowPaddedWidth(_ g: Geometry) -> Int { narrowRowWidth + g.kernelWidth }

    /// Floats of scratch one thread needs: every channel of one image, zero-padded.
    static func narrowScratchCount(_ g: Geometry) -> Int {
        g.inChannels * (g.height + 2 * g.padding) * narrowPaddedWidth(g)
    }

    /// y = conv(x, w) + bias for the images `images` (see `usesNarrowForward`).
    static func forwardNarrow(
        _ g: Geometry, images: Range<Int>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let width = narrowPaddedWidth(g), planeSize = (g.height + 2 * g.padding) * width
        let filterSize = g.inChannels * g.kernelHeight * g.kernelWidth
        for n in images {
            padImage(g, input + n * g.inChannels * g.height * g.width, into: scratch, rowLength: width)
            let out = output + n * g.outChannels * g.outPixels
            for oy in 0..<g.outHeight {
                for filter in stride(from: 0, to: g.outChannels, by: 4) {
                    filterQuadRow(scratch + oy * width, rowLength: width, planeSize: planeSize, g,
                                  weight + filter * filterSize, filterSize: filterSize, bias: bias.map { $0 + filter },
                                  out + filter * g.outPixels + oy * g.outWidth, filterStride: g.outPixels)
                }
            }
        }
    }

    /// One output row of four filters: Σ over channels and taps in order, then the bias.
    @inline(__always)
    private static func filterQuadRow(
        _ rows: UnsafePointer<Float>, rowLength: Int, planeSize: Int, _ g: Geometry, _ w: UnsafePointer<Float>,
        filterSize: Int, bias: UnsafePointer<Float>?, _ out: UnsafeMutablePointer<Float>, filterStride: Int
    ) {
        typealias V = FastMath.Vector
        var (a0, a1, b0, b1) = (V(), V(), V(), V())
        var (c0, c1, d0, d1) = (V(), V(), V(), V())
        let taps = g.kernelHeight * g.kernelWidth
        for c in 0..<g.inChannels {
            for ki in 0..<g.kernelHeight {
                let row = rows + c * planeSize + ki * rowLength
                for kj in 0..<g.kernelWidth {
                    let x0 = FastMath.load(row + kj), x1 = FastMath.load(row + kj + 8)
                    let tap = w + c * taps + ki * g.kernelWidth + kj
                    let (p, q) = (V(repeating: tap[0]), V(repeating: tap[filterSize]))
                    let (r, s) = (V(repeating: tap[2 * filterSize]), V(repeating: tap[3 * filterSize]))
                    a0 = FastMath.multiplyAdd(x0, p, a0); a1 = FastMath.multiplyAdd(x1, p, a1)
                    b0 = FastMath.multiplyAdd(x0, q, b0); b1 = FastMath.multiplyAdd(x1, q, b1)
                    c0 = FastMath.multiplyAdd(x0, r, c0); c1 = FastMath.multiplyAdd(x1, r, c1)
                    d0 = FastMath.multiplyAdd(x0, s, d0); d1 = FastMath.multiplyAdd(x1, s, d1)
                }
            }
        }
        let zero = V()
        func store(_ low: V, _ high: V, filter: Int) {
            let shift = bias.map { V(repeating: $0[filter]) } ?? zero
            storeRow(low + shift, high + shift, zero, zero, out + filter * filterStride, count: g.outWidth)
        }
        store(a0, a1, filter: 0)
        store(b0, b1, filter: 1)
        store(c0, c1, filter: 2)
        store(d0, d1, filter: 3)
    }
}
