/// 2-D convolution (cross-correlation, as PyTorch) by im2col + GEMM, batch split across threads;
/// first layers with one input channel and narrow layers' forward passes take the direct kernels
/// of `Convolution+Direct` and `Convolution+Implicit`, and those narrow layers' dL/dw
/// `Convolution+ImplicitGradient`.
public enum Convolution {
    /// The sizes of one convolution: input N×C×H×W, weight O×C×kh×kw, output N×O×outH×outW.
    public struct Geometry: Sendable {
        public var batch, inChannels, height, width: Int
        public var outChannels, kernelHeight, kernelWidth: Int
        public var stride, padding: Int

        /// Creates the geometry; the caller has checked that the output is at least 1×1.
        public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
                    kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
            self.batch = batch; self.inChannels = inChannels; self.height = height; self.width = width
            self.outChannels = outChannels; self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
            self.stride = stride; self.padding = padding
        }

        /// Output height: ⌊(H + 2p − kh) / s⌋ + 1.
        public var outHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
        /// Output width: ⌊(W + 2p − kw) / s⌋ + 1.
        public var outWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
        /// Rows of the im2col matrix: C·kh·kw.
        public var patchSize: Int { inChannels * kernelHeight * kernelWidth }
        /// Columns of the im2col matrix: outH·outW.
        public var outPixels: Int { outHeight * outWidth }
    }

    /// y = conv(x, w) + bias for the whole batch.
    public static func forward(
        _ g: Geometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>
    ) {
        let imageSize = g.inChannels * g.height * g.width, outSize = g.outChannels * g.outPixels
        if usesDirectKernel(g) {
            forEachImageGroup(g, scratchCount: directScratchCount(g)) { _, images, scratch in
                forwardDirect(g, images: images, input: input, weight: weight, bias: bias, output: output, scratch: scratch)
            }
            return
        }
        if usesImplicitForward(g) {
            let packed = UnsafeMutablePointer<Float>.allocate(capacity: PackedGemm.packedCount(k: g.patchSize, n: g.outChannels))
            defer { packed.deallocate() }
            let weights = PackedGemm.pack(weight, ldb: g.patchSize, k: g.patchSize, n: g.outChannels, transposed: true, into: packed)
            let offsets = tapOffsets(g)
            offsets.withUnsafeBufferPointer { offsets in
                forEachImageGroup(g, scratchCount: implicitScratchCount(g)) { _, images, scratch in
                    forwardImplicit(g, images: images, input: input, weights: weights, offsets: offsets.baseAddress!, bias: bias,
                                    output: output, scratch: scratch)
                }
            }
            return
        }
        if usesNarrowForward(g) {
            forEachImageGroup(g, scratchCount: narrowScratchCount(g)) { _, images, scratch in
                forwardNarrow(g, images: images, input: input, weight: weight, bias: bias, output: output, scratch: scratch)
            }
            return
        }
        forEachImageGroup(g) { _, images, columns in
            for n in images {
                imageToColumns(g, image: input + n * imageSize, columns: columns)
                let y = output + n * outSize
                Gemm.multiply(transposeA: false, transposeB: false, m: g.outChannels, n: g.outPixels, k: g.patchSize,
                              a: weight, lda: g.patchSize, b: columns, ldb: g.outPixels, beta: 0, c: y, ldc: g.outPixels,
                              parallel: false)
                if let bias {
                    for o in 0..<g.outChannels {
                        let row = y + o * g.outPixels, value = bias[o]
                        for p in 0..<g.outPixels { row[p] += value }
                    }
                }
            }
        }
    }

    /// Accumulates dL/dx (if asked), dL/dw and dL/dbias (if asked) from dL/dy.
    public static func backward(
        _ g: Geometry, input: UnsafePointer<Float>, weight: UnsafePointer<Float>, upstream: UnsafePointer<Float>,
        inputGradient: UnsafeMutablePointer<Float>?, weightGradient: UnsafeMutablePointer<Float>,
        biasGradient: UnsafeMutablePointer<Float>?
    ) {
        let weightCount = g.outChannels * g.patchSize
        let groupCount = imageGroupCount(g)
        // One private dW/db accumulator per fixed group of images, summed in group order at the end:
        // threads never share writes, and the sums (hence seeded runs) do not depend on how many
        // threads ran or whether the pool was free.
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: groupCount * (weightCount + g.outChannels))
        partials.initialize(repeating: 0, count: groupCount * (weightCount + g.outChannels))
        defer { partials.deallocate() }
        let direct = inputGradient == nil && usesDirectKernel(g)
        let implicit = !direct && usesImplicitWeightGradient(g)
        let blockScratch = implicit ? implicitGradientScratchCount(g) : 0
        let offsets = implicit ? tapOffsets(g) : []
        offsets.withUnsafeBufferPointer { offsets in
            let scratchCount = direct ? directScratchCount(g) : blockScratch + blockScratchCount(g)
            forEachImageGroup(g, scratchCount: scratchCount) { group, images, scratch in
                let dW = partials + group * (weightCount + g.outChannels), dB = dW + weightCount
                if direct {
                    weightGradientDirect(g, images: images, input: input, upstream: upstream, dW: dW, dB: dB, scratch: scratch)
                    return
                }
                if implicit {
                    weightGradientImplicit(g, images: images, input: input, upstream: upstream, offsets: offsets.baseAddress!,
                                           dW: dW, dB: dB, scratch: scratch)
                    if inputGradient == nil { return }
                }
                let blockSize = blockImageCount(g)
                for block in stride(from: images.lowerBound, to: images.upperBound, by: blockSize) {
                    let blockImages = block..<min(block + blockSize, images.upperBound)
                    backwardBlock(g, images: blockImages, input: input, weight: weight, upstream: upstream,
                                  inputGradient: inputGradient, dW: implicit ? nil : (dW, dB), scratch: scratch + blockScratch)
                }
            }
        }
        for group in 0..<groupCount {
            let dW = partials + group * (weightCount + g.outChannels)
            Elementwise.accumulate(dW, into: weightGradient, count: weightCount)
            if let biasGradient { Elementwise.accumulate(dW + weightCount, into: biasGradient, count: g.outChannels) }
        }
    }

    /// Images whose patch matrices sit side by side in one backward product: a few, so that the
    /// products' inner dimension is several images long (per image, LeNet's conv2 makes 16×150×100
    /// products, too small for the library's packing to pay), but the block stays in L2.
    static func blockImageCount(_ g: Geometry) -> Int {
        max(1, min(g.batch, backwardBlockFloats / (g.patchSize * g.outPixels)))
    }

    /// The patch block's size budget in floats (256 KiB).
    static let backwardBlockFloats = 64 * 1024

    /// Scratch for one block: its patch matrices and its images' dL/dy side by side.
    private static func blockScratchCount(_ g: Geometry) -> Int {
        blockImageCount(g) * g.outPixels * (g.patchSize + g.outChannels)
    }

    /// dW, db (and dX) of a few images with one product each: their patch matrices unfolded side by
    /// side (patch × images·pixels) and their dL/dy rows likewise (outChannels × images·pixels).
    /// With `dW` nil (taken by `weightGradientImplicit`) only dX is computed, and nothing unfolded.
    private static func backwardBlock(
        _ g: Geometry, images: Range<Int>, input: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        upstream: UnsafePointer<Float>, inputGradient: UnsafeMutablePointer<Float>?,
        dW: (weights: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>)?, scratch: UnsafeMutablePointer<Float>
    ) {
        let imageSize = g.inChannels * g.height * g.width, outSize = g.outChannels * g.outPixels
        let width = images.count * g.outPixels
        let columns = scratch, gradients = scratch + g.patchSize * width
        for (slot, n) in images.enumerated() {
            let dy = upstream + n * outSize
            if dW != nil {
                imageToColumns(g, image: input + n * imageSize, columns: columns + slot * g.outPixels, rowStride: width)
            }
            for o in 0..<g.outChannels {
                (gradients + o * width + slot * g.outPixels).update(from: dy + o * g.outPixels, count: g.outPixels)
                if let dW { dW.bias[o] += Reduction.contiguousSum(dy + o * g.outPixels, count: g.outPixels) }
            }
        }
        if let dW {
            Gemm.multiply(transposeA: false, transposeB: true, m: g.outChannels, n: g.patchSize, k: width,
                          a: gradients, lda: width, b: columns, ldb: width, beta: 1, c: dW.weights, ldc: g.patchSize, parallel: false)
        }
        guard let inputGradient else { return }
        Gemm.multiply(transposeA: true, transposeB: false, m: g.patchSize, n: width, k: g.outChannels,
                      a: weight, lda: g.patchSize, b: gradients, ldb: width, beta: 0, c: columns, ldc: width, parallel: false)
        for (slot, n) in images.enumerated() {
            columnsToImage(g, columns: columns + slot * g.outPixels, rowStride: width, image: inputGradient + n * imageSize)
        }
    }

    /// How many groups of images a batch is cut into: fixed by the geometry alone (never the
    /// thread count, so backward's per-group dW sums round the same on any machine), at most
    /// `Parallel.maximumThreadCount`, and 1 when the work is too small to split.
    private static func imageGroupCount(_ g: Geometry) -> Int {
        let work = g.batch * g.outChannels * g.outPixels * g.patchSize
        return work < Gemm.parallelThreshold ? 1 : min(Parallel.maximumThreadCount, g.batch)
    }

    /// Calls `body(group, images, scratch)` for each image group, spread over the threads, with a
    /// scratch buffer per thread (by default the size of one patch matrix).
    private static func forEachImageGroup(
        _ g: Geometry, scratchCount: Int? = nil,
        _ body: (_ group: Int, _ images: Range<Int>, _ scratch: UnsafeMutablePointer<Float>) -> Void
    ) {
        let groupCount = imageGroupCount(g)
        Parallel.forEachChunk(count: groupCount, minimumPerChunk: 1) { groups in
            let columns = UnsafeMutablePointer<Float>.allocate(capacity: scratchCount ?? g.patchSize * g.outPixels)
            defer { columns.deallocate() }
            for group in groups {
                body(group, (g.batch * group / groupCount)..<(g.batch * (group + 1) / groupCount), columns)
            }
        }
    }
}
