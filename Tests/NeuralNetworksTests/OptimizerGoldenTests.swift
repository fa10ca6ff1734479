import NeuralNetworks
import TensorEngine
import TestSupport
import Testing

/// Optimizers and losses against exact PyTorch results (Tests/Goldens/pytorch-goldens.json).
@Suite struct OptimizerGoldenTests {
    let goldens: PyTorchGoldens

    init() throws {
        goldens = try PyTorchGoldens.load()
    }

    func tensor(_ caseName: String, _ field: String) throws -> Tensor {
        let (shape, values) = goldens.array(caseName, field)
        return try Tensor(shape: Shape(shape), scalars: values)
    }

    func expectMatches(_ actual: Tensor?, _ caseName: String, _ field: String) {
        let expected = goldens.array(caseName, field).values
        #expect(mismatch(actual?.scalars ?? [], expected) == nil, "\(caseName).\(field): \(mismatch(actual?.scalars ?? [], expected) ?? "")")
    }

    /// The golden's linear layer: W and b from the file, pred = x·Wᵀ + b, MSE loss.
    func linearLoss(_ layer: Linear) throws -> Tensor {
        let x = try tensor("linear_mse_adam", "x"), y = try tensor("linear_mse_adam", "y")
        return try Loss.meanSquaredError(layer(x), y)
    }

    func goldenLayer() throws -> Linear {
        let layer = try Linear(inputSize: 3, outputSize: 2)
        let weight = try tensor("linear_mse_adam", "W"), bias = try tensor("linear_mse_adam", "b")
        layer.weight.updateScalars { w in weight.withUnsafeScalars { for i in w.indices { w[i] = $0[i] } } }
        layer.bias!.updateScalars { b in bias.withUnsafeScalars { for i in b.indices { b[i] = $0[i] } } }
        return layer
    }

    @Test func adamTwoStepsMatchPyTorch() throws {
        let layer = try goldenLayer()
        let adam = Adam(learningRate: 0.1)
        let loss = try linearLoss(layer)
        #expect(isApproximatelyEqual(try loss.item(), goldens.number("linear_mse_adam", "loss")))
        try loss.backward()
        expectMatches(layer.weight.grad, "linear_mse_adam", "dW")
        expectMatches(layer.bias!.grad, "linear_mse_adam", "db")
        adam.update(layer.parameters)
        expectMatches(layer.weight, "linear_mse_adam", "W_after_adam_step1")
        expectMatches(layer.bias, "linear_mse_adam", "b_after_adam_step1")
        for parameter in layer.parameters { parameter.zeroGrad() }
        let second = try linearLoss(layer)
        #expect(isApproximatelyEqual(try second.item(), goldens.number("linear_mse_adam", "loss_step2")))
        try second.backward()
        adam.update(layer.parameters)
        expectMatches(layer.weight, "linear_mse_adam", "W_after_adam_step2")
        expectMatches(layer.bias, "linear_mse_adam", "b_after_adam_step2")
        #expect(adam.state(for: layer.weight)["m"] != nil && adam.stepCount == 2)
    }

    @Test func sgdWithMomentumTwoStepsMatchPyTorch() throws {
        let layer = try goldenLayer()
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        for _ in 0..<2 {
            for parameter in layer.parameters { parameter.zeroGrad() }
            try linearLoss(layer).backward()
            sgd.update(layer.parameters)
        }
        expectMatches(layer.weight, "linear_mse_sgd_momentum", "W_after_2_steps")
        expectMatches(layer.bias, "linear_mse_sgd_momentum", "b_after_2_steps")
    }

    @Test func binaryCrossEntropyWithLogitsMatchesPyTorch() throws {
        let logits = try tensor("bce_with_logits", "logits")
        logits.requiresGrad = true
        let loss = try Loss.binaryCrossEntropy(logits, tensor("bce_with_logits", "targets"))
        let value = try loss.item()
        #expect(isApproximatelyEqual(value, goldens.number("bce_with_logits", "loss")), "loss \(value)")
        try loss.backward()
        expectMatches(logits.grad, "bce_with_logits", "dlogits")
    }
}
