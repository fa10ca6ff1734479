import Foundation
@testable import Kernels
import Testing

/// The im2col backward unfolds a few images side by side and makes one product per block; its
/// gradients must be the per-image sums, whatever the block boundaries.
@Suite struct ConvolutionBackwardTests {
    /// Batch 9 at LeNet's conv2 (blocks of 4, 4 and 1 images), a padded strided layer and a
    /// geometry too large for more than one image per block, against one-image calls summed.
    @Test(arguments: [(6, 14, 14, 16, 5, 1, 0), (3, 9, 11, 8, 3, 2, 1), (16, 30, 30, 8, 5, 1, 2)])
    func blockedBackwardIsThePerImageSum(channels: Int, height: Int, width: Int, filters: Int, kernel: Int,
                                         stride: Int, padding: Int) {
        let batch = 9
        func geometry(_ batch: Int) -> Convolution.Geometry {
            Convolution.Geometry(batch: batch, inChannels: channels, height: height, width: width, outChannels: filters,
                                 kernelHeight: kernel, kernelWidth: kernel, stride: stride, padding: padding)
        }
        let g = geometry(batch), one = geometry(1)
        #expect(!Convolution.usesDirectKernel(g))
        func noise(_ count: Int, _ salt: Int) -> [Float] { (0..<count).map { Float(sin(Double($0 * 13 + salt))) } }
        let imageSize = channels * height * width, outSize = filters * g.outPixels
        let input = noise(batch * imageSize, 1), weight = noise(filters * g.patchSize, 2), upstream = noise(batch * outSize, 3)
        var inputGradient = [Float](repeating: .nan, count: input.count)
        var weightGradient = [Float](repeating: 0, count: weight.count), biasGradient = [Float](repeating: 0, count: filters)
        Convolution.backward(g, input: input, weight: weight, upstream: upstream, inputGradient: &inputGradient,
                             weightGradient: &weightGradient, biasGradient: &biasGradient)
        var expectedWeight = [Float](repeating: 0, count: weight.count), expectedBias = [Float](repeating: 0, count: filters)
        var expectedInput = [Float](repeating: .nan, count: input.count)
        for n in 0..<batch {
            var dX = [Float](repeating: 0, count: imageSize)
            Convolution.backward(one, input: Array(input[(n * imageSize)..<((n + 1) * imageSize)]), weight: weight,
                                 upstream: Array(upstream[(n * outSize)..<((n + 1) * outSize)]), inputGradient: &dX,
                                 weightGradient: &expectedWeight, biasGradient: &expectedBias)
            expectedInput.replaceSubrange((n * imageSize)..<((n + 1) * imageSize), with: dX)
        }
        func worst(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .nan }
        #expect(worst(inputGradient, expectedInput) <= 1e-5)
        // dW sums up to 9 × 900 products, in another order than the one-image calls: rounding only
        // (a wrong offset would be off by the size of the values themselves).
        #expect(worst(weightGradient, expectedWeight) <= 2e-4)
        #expect(worst(biasGradient, expectedBias) <= 1e-5)
    }

    /// LeNet's conv2 puts several images in a block; a layer whose patch matrix fills the budget alone puts one.
    @Test func blocksHoldSeveralSmallImagesButOneLargeOne() {
        let lenet = Convolution.Geometry(batch: 64, inChannels: 6, height: 14, width: 14, outChannels: 16,
                                         kernelHeight: 5, kernelWidth: 5, stride: 1, padding: 0)
        #expect(Convolution.blockImageCount(lenet) == Convolution.backwardBlockFloats / (150 * 100))
        let large = Convolution.Geometry(batch: 64, inChannels: 64, height: 32, width: 32, outChannels: 64,
                                         kernelHeight: 3, kernelWidth: 3, stride: 1, padding: 1)
        #expect(Convolution.blockImageCount(large) == 1)
    }
}
