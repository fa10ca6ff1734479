import NeuralNetworks
import TensorEngine
import TestSupport
import Testing

/// The losses' `reduction:` ("mean", "sum", "none") against PyTorch's values and gradients
/// (`Tests/Goldens/vocabulary-goldens.json`, cases mse_sum, mse_none, bce_sum).
@Suite struct LossReductionTests {
    static let goldens = try! PyTorchGoldens.load("vocabulary-goldens.json")

    static let cases: [(String, @Sendable (Tensor) throws -> Tensor)] = [
        ("mse_sum", { try Loss.meanSquaredError($0, Tensor.zeros([3, 4]), reduction: .sum) }),
        ("mse_none", { try Loss.meanSquaredError($0, Tensor.ones([3, 4]), reduction: .none) }),
        ("bce_sum", { try Loss.binaryCrossEntropyWithLogits($0, try $0.detached().greater(Tensor(0)), reduction: .sum) }),
    ]

    @Test(arguments: cases.map(\.0))
    func reductionMatchesPyTorch(_ name: String) throws {
        let x = try #require(try Self.goldens.tensorList(name, "inputs").first ?? nil)
        x.requiresGrad = true
        let loss = try Self.cases.first { $0.0 == name }!.1(x)
        #expect(Self.goldens.mismatchOf(loss, name, "output") == nil, "\(Self.goldens.mismatchOf(loss, name, "output") ?? "")")
        let weights = try Tensor(shape: loss.shape, scalars: (0..<loss.elementCount).map { Float($0 + 1) })
        try (loss * weights).sum().backward()
        let expected = try #require(try Self.goldens.tensorList(name, "grads").first ?? nil)
        #expect(mismatch(x.grad!.scalars, expected.scalars) == nil, "\(mismatch(x.grad!.scalars, expected.scalars) ?? "")")
    }
}
