import Foundation
@testable import Kernels
import Testing

/// The implicit-GEMM forward pass gives the narrow row kernel's bits (the same FMA chain per
/// output, in the same tap order, then the bias), with and without a bias, for 16 and 32 filters
/// and pixel counts that leave every tile height; the definition test in KernelTests covers both.
@Suite struct ImplicitConvolutionTests {
    @Test(arguments: [(6, 14, 14, 16, 5, 0), (3, 9, 11, 32, 3, 1), (2, 7, 8, 16, 2, 0)])
    func implicitForwardIsTheNarrowKernelBitForBit(_ shape: (channels: Int, height: Int, width: Int, filters: Int, kernel: Int, padding: Int)) {
        let g = Convolution.Geometry(batch: 3, inChannels: shape.channels, height: shape.height, width: shape.width,
                                     outChannels: shape.filters, kernelHeight: shape.kernel, kernelWidth: shape.kernel,
                                     stride: 1, padding: shape.padding)
        #expect(Convolution.usesImplicitForward(g))
        func noise(_ count: Int, _ salt: Int) -> [Float] { (0..<count).map { Float(sin(Double($0 * 17 + salt))) } }
        let input = noise(3 * shape.channels * shape.height * shape.width, 1)
        let weight = noise(shape.filters * g.patchSize, 2), bias = noise(shape.filters, 3)
        for withBias in [true, false] {
            var implicit = [Float](repeating: .nan, count: 3 * shape.filters * g.outPixels), narrow = implicit
            bias.withUnsafeBufferPointer { biasBuffer in
                let biasPointer = withBias ? biasBuffer.baseAddress : nil
                Convolution.forward(g, input: input, weight: weight, bias: biasPointer, output: &implicit)
                var scratch = [Float](repeating: 0, count: Convolution.narrowScratchCount(g))
                Convolution.forwardNarrow(g, images: 0..<3, input: input, weight: weight, bias: biasPointer, output: &narrow, scratch: &scratch)
            }
            #expect(implicit.map(\.bitPattern) == narrow.map(\.bitPattern), "bias \(withBias)")
        }
    }

    /// The implicit weight gradient (and the input gradient beside it) against the definition in
    /// Double, with and without dL/dx asked for, for the same geometries: every tile height, 16 and
    /// 32 filters, padding.
    @Test(arguments: [(6, 14, 14, 16, 5, 0), (3, 9, 11, 32, 3, 1), (2, 7, 8, 16, 2, 0)])
    func implicitWeightGradientMatchesTheDefinition(_ shape: (channels: Int, height: Int, width: Int, filters: Int, kernel: Int, padding: Int)) {
        let (c, h, w, k, pad, batch) = (shape.channels, shape.height, shape.width, shape.kernel, shape.padding, 3)
        let g = Convolution.Geometry(batch: batch, inChannels: c, height: h, width: w, outChannels: shape.filters,
                                     kernelHeight: k, kernelWidth: k, stride: 1, padding: pad)
        #expect(Convolution.usesImplicitWeightGradient(g))
        func noise(_ count: Int, _ salt: Int) -> [Float] { (0..<count).map { Float(sin(Double($0 * 17 + salt))) } }
        let input = noise(batch * c * h * w, 1), weight = noise(shape.filters * g.patchSize, 2)
        let upstream = noise(batch * shape.filters * g.outPixels, 4)
        var expectedWeight = [Double](repeating: 0, count: weight.count), expectedBias = [Double](repeating: 0, count: shape.filters)
        var expectedInput = [Double](repeating: 0, count: input.count)
        for n in 0..<batch {
            for f in 0..<shape.filters {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        let dy = Double(upstream[((n * shape.filters + f) * g.outHeight + oy) * g.outWidth + ox])
                        expectedBias[f] += dy
                        for channel in 0..<c {
                            for ki in 0..<k {
                                for kj in 0..<k {
                                    let (y, x) = (oy - pad + ki, ox - pad + kj)
                                    guard y >= 0, y < h, x >= 0, x < w else { continue }
                                    let at = ((n * c + channel) * h + y) * w + x, tap = ((f * c + channel) * k + ki) * k + kj
                                    expectedWeight[tap] += dy * Double(input[at])
                                    expectedInput[at] += dy * Double(weight[tap])
                                }
                            }
                        }
                    }
                }
            }
        }
        func worst(_ actual: [Float], _ expected: [Double]) -> Double {
            zip(actual, expected).map { abs(Double($0) - $1) / max(1, abs($1)) }.max() ?? .nan
        }
        for asksInput in [false, true] {
            var weightGradient = [Float](repeating: 0, count: weight.count), biasGradient = [Float](repeating: 0, count: shape.filters)
            var inputGradient = [Float](repeating: .nan, count: input.count)
            inputGradient.withUnsafeMutableBufferPointer { dX in
                Convolution.backward(g, input: input, weight: weight, upstream: upstream, inputGradient: asksInput ? dX.baseAddress : nil,
                                     weightGradient: &weightGradient, biasGradient: &biasGradient)
            }
            // dW sums up to 297 float products in one chain: rounding stays far below 1e-4 (a wrong
            // tap offset or pixel would be off by the size of the values themselves).
            #expect(worst(weightGradient, expectedWeight) < 1e-4, "dL/dx asked: \(asksInput)")
            #expect(worst(biasGradient, expectedBias) < 1e-5)
            if asksInput { #expect(worst(inputGradient, expectedInput) < 1e-5) }
        }
    }
}
