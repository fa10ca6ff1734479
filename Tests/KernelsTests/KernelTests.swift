import Foundation
import Kernels
import Testing

/// Serialized: some tests set the process-wide thread count.
@Suite(.serialized) struct KernelTests {
    @Test func stridedLayoutMergesContiguousAxes() {
        let layout = StridedLayout(shape: [2, 3, 4], strides: [[12, 4, 1], [12, 4, 1]])
        #expect(layout.dims == [24])
        let broadcast = StridedLayout(shape: [2, 3, 4], strides: [[12, 4, 1], [0, 1, 0]])
        #expect(broadcast.dims == [2, 3, 4])
        let row = StridedLayout(shape: [5, 1, 4], strides: [[4, 4, 1], [0, 0, 1]])
        #expect(row.dims == [5, 4] && row.strides[1] == [0, 1])
    }

    @Test(arguments: [1, 2])
    func gemmSplitMatchesSingleThread(threads: Int) {
        let (m, n, k) = (130, 70, 90)
        let a = (0..<(m * k)).map { Float(($0 * 7) % 13) - 6 }
        let b = (0..<(k * n)).map { Float(($0 * 5) % 11) - 5 }
        var c = [Float](repeating: 0, count: m * n)
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        Gemm.multiply(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, beta: 0, c: &c, ldc: n)
        for (i, j) in [(0, 0), (64, 35), (129, 69), (65, 1)] {
            var expected: Float = 0
            for p in 0..<k { expected += a[i * k + p] * b[p * n + j] }
            #expect(c[i * n + j] == expected)
        }
    }

    @Test func reductionSumsMiddleAxis() {
        let x: [Float] = (0..<24).map(Float.init)  // (2, 3, 4)
        var out = [Float](repeating: -1, count: 8)
        Reduction.sum(x, &out, outer: 2, reduced: 3, inner: 4)
        #expect(out == [12, 15, 18, 21, 48, 51, 54, 57])
        #expect(Reduction.contiguousSum(x, count: 24) == 276)
    }

    @Test func maximumReportsFirstWinnerAndPropagatesNaN() {
        let x: [Float] = [1, 5, 5, 2, .nan, 3]
        var out = [Float](repeating: 0, count: 2)
        var index = [Int32](repeating: -1, count: 2)
        Reduction.maximum(x, &out, indices: &index, outer: 2, reduced: 3, inner: 1)
        #expect(out[0] == 5 && index[0] == 1)
        #expect(out[1].isNaN && index[1] == 1)
    }

    @Test func convolutionRoundTripIsAdjoint() {
        // <im2col(x), c> == <x, col2im(c)> for any x, c: the defining property of an adjoint.
        let g = Convolution.Geometry(batch: 1, inChannels: 2, height: 5, width: 4, outChannels: 1,
                                     kernelHeight: 3, kernelWidth: 2, stride: 2, padding: 1)
        let x: [Float] = (0..<40).map { (i: Int) -> Float in Float((i * 3) % 7) - 3 }
        let c: [Float] = (0..<(g.patchSize * g.outPixels)).map { (i: Int) -> Float in Float((i * 5) % 9) - 4 }
        var columns = [Float](repeating: 0, count: c.count)
        var image = [Float](repeating: 0, count: x.count)
        Convolution.imageToColumns(g, image: x, columns: &columns)
        Convolution.columnsToImage(g, columns: c, image: &image)
        let left = zip(columns, c).map(*).reduce(0, +)
        let right = zip(x, image).map(*).reduce(0, +)
        #expect(left == right)
    }

    /// The unit-stride unfold (no division, overlapping 8-wide copies) against its definition,
    /// and its fold against the strided one's adjoint property, for rows shorter than, equal to
    /// and longer than 8, with and without padding, alone and inside a wider block.
    @Test(arguments: [(14, 5, 0), (28, 5, 2), (6, 3, 1), (9, 2, 0), (8, 1, 0), (5, 5, 3)])
    func unitStrideUnfoldMatchesItsDefinition(side: Int, kernel: Int, padding: Int) {
        let g = Convolution.Geometry(batch: 1, inChannels: 2, height: side, width: side + 1, outChannels: 1,
                                     kernelHeight: kernel, kernelWidth: kernel, stride: 1, padding: padding)
        let x: [Float] = (0..<(2 * side * (side + 1))).map { Float(($0 * 7) % 11) - 5 }
        var expected = [Float](repeating: 0, count: g.patchSize * g.outPixels)
        for c in 0..<2 { for ki in 0..<kernel { for kj in 0..<kernel {
            let row = (c * kernel + ki) * kernel + kj
            for oy in 0..<g.outHeight { for ox in 0..<g.outWidth {
                let iy = oy - padding + ki, ix = ox - padding + kj
                let inside = iy >= 0 && iy < g.height && ix >= 0 && ix < g.width
                expected[row * g.outPixels + oy * g.outWidth + ox] = inside ? x[(c * g.height + iy) * g.width + ix] : 0
            } }
        } } }
        let stride = g.outPixels + 3
        var block = [Float](repeating: .nan, count: g.patchSize * stride)
        Convolution.imageToColumns(g, image: x, columns: &block, rowStride: stride)
        let unfolded: [Float] = (0..<g.patchSize).flatMap { block[($0 * stride)..<($0 * stride + g.outPixels)] }
        #expect(unfolded == expected)
        let c: [Float] = (0..<block.count).map { Float(($0 * 5) % 9) - 4 }
        var image = [Float](repeating: .nan, count: x.count)
        Convolution.columnsToImage(g, columns: c, rowStride: stride, image: &image)
        let patches: [Float] = (0..<g.patchSize).flatMap { c[($0 * stride)..<($0 * stride + g.outPixels)] }
        let left: Float = zip(unfolded, patches).map(*).reduce(0, +)
        let right: Float = zip(x, image).map(*).reduce(0, +)
        #expect(left == right)
    }

    /// Seeded runs must not depend on the machine's core count: the same products and
    /// convolution gradients (a direct first layer's, LeNet's second layer's), bit for bit, on one
    /// thread and on two.
    @Test func resultsDoNotDependOnTheThreadCount() {
        func noise(_ count: Int, _ salt: Int) -> [Float] { (0..<count).map { Float(sin(Double($0 * 31 + salt))) } }
        func run(threads: Int) -> (product: [Float], weightGradient: [Float], biasGradient: [Float]) {
            let saved = Parallel.threadCount
            Parallel.threadCount = threads
            defer { Parallel.threadCount = saved }
            let (m, n, k) = (64, 120, 3136)
            let a = noise(m * k, 1), b = noise(k * n, 2)
            var product = [Float](repeating: 0, count: m * n)
            Gemm.multiply(transposeA: false, transposeB: false, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n,
                          beta: 0, c: &product, ldc: n)
            let g = Convolution.Geometry(batch: 64, inChannels: 1, height: 28, width: 28, outChannels: 16,
                                         kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
            let input = noise(64 * 28 * 28, 3), weight = noise(16 * 9, 4), upstream = noise(64 * 16 * 28 * 28, 5)
            var weightGradient = [Float](repeating: 0, count: 16 * 9), biasGradient = [Float](repeating: 0, count: 16)
            Convolution.backward(g, input: input, weight: weight, upstream: upstream, inputGradient: nil,
                                 weightGradient: &weightGradient, biasGradient: &biasGradient)
            // LeNet's second layer: the implicit dL/dw, and dL/dx beside it.
            let narrow = Convolution.Geometry(batch: 64, inChannels: 6, height: 14, width: 14, outChannels: 16,
                                              kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0)
            let x = noise(64 * 6 * 14 * 14, 6), w = noise(16 * 150, 7), dy = noise(64 * 16 * 100, 8)
            var narrowWeight = [Float](repeating: 0, count: 16 * 150), narrowBias = [Float](repeating: 0, count: 16)
            var narrowInput = [Float](repeating: 0, count: x.count)
            Convolution.backward(narrow, input: x, weight: w, upstream: dy, inputGradient: &narrowInput,
                                 weightGradient: &narrowWeight, biasGradient: &narrowBias)
            return (product, weightGradient + narrowWeight + narrowInput, biasGradient + narrowBias)
        }
        let one = run(threads: 1), two = run(threads: 2)
        #expect(one.product == two.product)
        #expect(one.weightGradient == two.weightGradient && one.biasGradient == two.biasGradient)
    }

    /// The LSTM layer cut into three row pieces (batch 96): outputs and every gradient are the
    /// same bit for bit on one thread and on two, and a row's outputs do not depend on the other
    /// rows. (That the pieces' summed weight-gradient shares are right: GradientCheckTests.)
    @Test func lstmPiecesDoNotDependOnTheThreadCount() {
        func noise(_ count: Int, _ salt: Int, scale: Float = 1) -> [Float] {
            (0..<count).map { scale * Float(sin(Double($0 * 31 + salt))) }
        }
        let (steps, inputSize, hidden) = (7, 5, 12)
        let weightIH = noise(4 * hidden * inputSize, 2, scale: 0.3), weightHH = noise(4 * hidden * hidden, 3, scale: 0.3)
        let bias = noise(4 * hidden, 4, scale: 0.1)
        func run(batch: Int, threads: Int) -> [[Float]] {
            let saved = Parallel.threadCount
            Parallel.threadCount = threads
            defer { Parallel.threadCount = saved }
            // Buffers that outlive the calls (a Layer keeps pointers, so no implicit array conversions).
            var buffers: [UnsafeMutableBufferPointer<Float>] = []
            defer { buffers.forEach { $0.deallocate() } }
            func buffer(_ values: [Float]) -> UnsafeMutablePointer<Float> {
                let made = UnsafeMutableBufferPointer<Float>.allocate(capacity: values.count)
                _ = made.initialize(from: values)
                buffers.append(made)
                return made.baseAddress!
            }
            func zeros(_ count: Int) -> UnsafeMutablePointer<Float> { buffer([Float](repeating: 0, count: count)) }
            let input = buffer(noise(batch * steps * inputSize, 1)), upstream = buffer(noise(batch * steps * hidden, 5))
            let outputs = zeros(batch * steps * hidden)
            let layer = Recurrent.Layer(
                input: input, weightIH: buffer(weightIH), weightHH: buffer(weightHH), bias: buffer(bias),
                gates: zeros(batch * steps * 4 * hidden), cells: zeros(batch * steps * hidden),
                tanhCells: zeros(batch * steps * hidden), outputs: outputs, batch: batch, steps: steps,
                inputSize: inputSize, hidden: hidden)
            Recurrent.forward(layer)
            let gradients = Recurrent.Gradients(input: zeros(batch * steps * inputSize), weightIH: zeros(weightIH.count),
                                                weightHH: zeros(weightHH.count), bias: zeros(bias.count))
            Recurrent.backward(layer, upstream: upstream, into: gradients,
                               workspace: buffer([Float](repeating: .nan, count: Recurrent.backwardWorkspaceCount(layer))))
            func array(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) -> [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
            return [array(outputs, batch * steps * hidden), array(gradients.input!, batch * steps * inputSize),
                    array(gradients.weightIH, weightIH.count), array(gradients.weightHH, weightHH.count), array(gradients.bias, bias.count)]
        }
        let one = run(batch: 96, threads: 1), two = run(batch: 96, threads: 2)
        #expect(one == two)
        let single = run(batch: 31, threads: 1)
        #expect(zip(one[0].prefix(31 * steps * hidden), single[0]).allSatisfy { abs($0 - $1) <= 1e-5 })
    }

    /// The direct one-input-channel kernels (forward, and dW/db when no input gradient is asked
    /// for) against the definition, for the two first layers they serve and an odd size.
    @Test(arguments: [(28, 28, 16, 3, 1), (28, 28, 6, 5, 2), (9, 13, 4, 3, 0)])
    func directConvolutionMatchesTheDefinition(height: Int, width: Int, filters: Int, kernel: Int, padding: Int) {
        let g = Convolution.Geometry(batch: 3, inChannels: 1, height: height, width: width, outChannels: filters,
                                     kernelHeight: kernel, kernelWidth: kernel, stride: 1, padding: padding)
        #expect(Convolution.usesDirectKernel(g))
        func noise(_ count: Int, _ salt: Int) -> [Float] { (0..<count).map { Float(sin(Double($0 * 17 + salt))) } }
        let input = noise(3 * height * width, 1), weight = noise(filters * kernel * kernel, 2), bias = noise(filters, 3)
        let upstream = noise(3 * filters * g.outPixels, 4)
        var output = [Float](repeating: .nan, count: upstream.count)
        Convolution.forward(g, input: input, weight: weight, bias: bias, output: &output)
        var weightGradient = [Float](repeating: 0, count: weight.count), biasGradient = [Float](repeating: 0, count: filters)
        Convolution.backward(g, input: input, weight: weight, upstream: upstream, inputGradient: nil,
                             weightGradient: &weightGradient, biasGradient: &biasGradient)
        func pixel(_ n: Int, _ y: Int, _ x: Int) -> Double {
            y < 0 || y >= height || x < 0 || x >= width ? 0 : Double(input[(n * height + y) * width + x])
        }
        var expectedWeight = [Double](repeating: 0, count: weight.count), expectedBias = [Double](repeating: 0, count: filters)
        var worst = 0.0
        for n in 0..<3 {
            for f in 0..<filters {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        let at = ((n * filters + f) * g.outHeight + oy) * g.outWidth + ox
                        var sum = Double(bias[f])
                        for ki in 0..<kernel {
                            for kj in 0..<kernel {
                                let x = pixel(n, oy - padding + ki, ox - padding + kj)
                                sum += Double(weight[(f * kernel + ki) * kernel + kj]) * x
                                expectedWeight[(f * kernel + ki) * kernel + kj] += Double(upstream[at]) * x
                            }
                        }
                        expectedBias[f] += Double(upstream[at])
                        worst = max(worst, abs(sum - Double(output[at])))
                    }
                }
            }
        }
        #expect(worst < 1e-5)
        #expect(zip(weightGradient, expectedWeight).allSatisfy { abs(Double($0) - $1) < 1e-3 })
        #expect(zip(biasGradient, expectedBias).allSatisfy { abs(Double($0) - $1) < 1e-3 })
    }

    /// The narrow direct forward pass (any input channels, rows up to 16 pixels) against the
    /// definition: LeNet's second layer and an odd one with padding.
    @Test(arguments: [(6, 14, 14, 16, 5, 0), (3, 9, 11, 8, 3, 1), (4, 12, 12, 32, 3, 1)])
    func narrowConvolutionMatchesTheDefinition(channels: Int, height: Int, width: Int, filters: Int, kernel: Int, padding: Int) {
        let g = Convolution.Geometry(batch: 2, inChannels: channels, height: height, width: width, outChannels: filters,
                                     kernelHeight: kernel, kernelWidth: kernel, stride: 1, padding: padding)
        #expect(Convolution.usesNarrowForward(g))
        func noise(_ count: Int, _ salt: Int) -> [Float] { (0..<count).map { Float(sin(Double($0 * 17 + salt))) } }
        let input = noise(2 * channels * height * width, 1), weight = noise(filters * channels * kernel * kernel, 2)
        let bias = noise(filters, 3)
        var output = [Float](repeating: .nan, count: 2 * filters * g.outPixels)
        Convolution.forward(g, input: input, weight: weight, bias: bias, output: &output)
        var worst = 0.0
        for n in 0..<2 {
            for f in 0..<filters {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        var sum = Double(bias[f])
                        for c in 0..<channels {
                            for ki in 0..<kernel {
                                for kj in 0..<kernel {
                                    let (y, x) = (oy - padding + ki, ox - padding + kj)
                                    guard y >= 0, y < height, x >= 0, x < width else { continue }
                                    sum += Double(weight[((f * channels + c) * kernel + ki) * kernel + kj])
                                        * Double(input[((n * channels + c) * height + y) * width + x])
                                }
                            }
                        }
                        worst = max(worst, abs(sum - Double(output[((n * filters + f) * g.outHeight + oy) * g.outWidth + ox])))
                    }
                }
            }
        }
        #expect(worst < 1e-4)
    }
}
