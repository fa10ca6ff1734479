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
        try goldens.tensor(caseName, field, requiresGrad: requiresGrad)
    }

    func expectMatches(_ actual: Tensor?, _ caseName: String, _ field: String) {
        let problem = goldens.mismatchOf(actual, caseName, field)
        #expect(problem == nil, "\(problem ?? "")")
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

    @Test func lstm() throws {
        let names = ["x", "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
        let inputs = try names.map { try tensor("lstm", $0, requiresGrad: true) }
        let (outputs, lastCell) = try Tensor.lstm(input: inputs[0], weightIH: inputs[1], weightHH: inputs[2],
                                                  biasIH: inputs[3], biasHH: inputs[4])
        expectMatches(outputs, "lstm", "outputs")
        expectMatches(try lastCell.reshaped([1, 1, 3]), "lstm", "c_T")
        try outputs.select(axis: 1, index: -1).sum().backward()
        expectMatches(inputs[0].grad, "lstm", "dx")
        expectMatches(inputs[1].grad, "lstm", "dweight_ih_l0")
        expectMatches(inputs[2].grad, "lstm", "dweight_hh_l0")
        for (field, index) in [("dbias_ih_l0", 3), ("dbias_hh_l0", 4)] where goldens.cases["lstm"]?[field] != nil {
            expectMatches(inputs[index].grad, "lstm", field)
        }
    }

    @Test func embedding() throws {
        let weight = try tensor("embedding", "weight", requiresGrad: true)
        let output = try weight.embeddingLookup(tensor("embedding", "indices"))
        expectMatches(output, "embedding", "output")
        try (output * Tensor([1, 2])).sum().backward()
        expectMatches(weight.grad, "embedding", "dweight")
    }
}
