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
}
