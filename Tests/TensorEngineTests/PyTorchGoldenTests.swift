import TensorEngine
import TestSupport
import Testing

/// The engine against exact PyTorch results (Tests/Goldens/pytorch-goldens.json) to 1e-5.
@Suite struct PyTorchGoldenTests {
    let goldens: PyTorchGoldens

    init() throws {
        goldens = try PyTorchGoldens.load()
    }

    func tensor(_ caseName: String, _ field: String, requiresGrad: Bool = false) throws -> Tensor {
        let (shape, values) = goldens.array(caseName, field)
        let result = try Tensor(shape: Shape(shape), scalars: values)
        result.requiresGrad = requiresGrad
        return result
    }

    func expectMatches(_ actual: Tensor?, _ caseName: String, _ field: String) {
        let (shape, values) = goldens.array(caseName, field)
        #expect(actual?.shape == Shape(shape), "\(caseName).\(field) shape")
        #expect(mismatch(actual?.scalars ?? [], values) == nil, "\(caseName).\(field): \(mismatch(actual?.scalars ?? [], values) ?? "")")
    }

    @Test func conv2dThenMaxPool() throws {
        let x = try tensor("conv2d_maxpool", "x", requiresGrad: true)
        let weight = try tensor("conv2d_maxpool", "weight", requiresGrad: true)
        let bias = try tensor("conv2d_maxpool", "bias", requiresGrad: true)
        let convolved = try x.conv2d(weight: weight, bias: bias, padding: 1)
        let pooled = try convolved.maxPool2d(kernel: 2)
        expectMatches(convolved, "conv2d_maxpool", "conv_out")
        expectMatches(pooled, "conv2d_maxpool", "pool_out")
        let upstream = try tensor("conv2d_maxpool", "upstream_weights").reshaped([1, 2, 2, 2])
        try (pooled * upstream).sum().backward()
        expectMatches(x.grad, "conv2d_maxpool", "dx")
        expectMatches(weight.grad, "conv2d_maxpool", "dweight")
        expectMatches(bias.grad, "conv2d_maxpool", "dbias")
    }

    @Test(arguments: ["cross_entropy", "cross_entropy_large_logits"])
    func crossEntropy(_ caseName: String) throws {
        let logits = try tensor(caseName, "logits", requiresGrad: true)
        let loss = try logits.crossEntropy(targets: tensor(caseName, "targets"))
        let value = try loss.item()
        #expect(isApproximatelyEqual(value, goldens.number(caseName, "loss")), "loss \(value)")
        try loss.backward()
        expectMatches(logits.grad, caseName, "dlogits")
    }

    @Test func embedding() throws {
        let weight = try tensor("embedding", "weight", requiresGrad: true)
        let output = try weight.embeddingLookup(tensor("embedding", "indices"))
        expectMatches(output, "embedding", "output")
        try (output * Tensor([1, 2])).sum().backward()
        expectMatches(weight.grad, "embedding", "dweight")
    }
}
