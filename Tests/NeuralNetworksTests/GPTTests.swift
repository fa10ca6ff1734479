import NeuralNetworks
import TensorEngine
import TestSupport
import Testing

/// A whole tiny GPT, forward and backward, against PyTorch (transformer-goldens.json, `gpt_tiny`:
/// the same architecture in torch with the same parameter names, fixed weights).
@Suite struct GPTTests {
    @Test func forwardAndBackwardMatchPyTorch() throws {
        let goldens = try PyTorchGoldens.load("transformer-goldens.json")
        let model = try Presets.gpt(vocab: 11, context: 6, layers: 2, heads: 2, embed: 8)
        for (name, tensor) in model.namedParameters {
            let (shape, values) = goldens.array("gpt_tiny", "param:" + name)
            #expect(Shape(shape) == tensor.shape, "\(name)")
            tensor.updateScalars { for i in $0.indices { $0[i] = values[i] } }
        }
        let ids = try Tensor(shape: [2, 5], scalars: goldens.array("gpt_tiny", "ids").values)
        let targets = try Tensor(shape: [10], scalars: goldens.array("gpt_tiny", "targets").values)
        let logits = try model(ids)
        #expect(logits.shape == [2, 5, 11])
        #expect(mismatch(logits.scalars, goldens.array("gpt_tiny", "logits").values, absoluteTolerance: 1e-5, relativeTolerance: 1e-5) == nil)
        let loss = try logits.reshaped([10, 11]).crossEntropy(targets: targets)
        #expect(isApproximatelyEqual(try loss.item(), goldens.number("gpt_tiny", "loss")))
        try loss.backward()
        for (name, tensor) in model.namedParameters {
            let problem = mismatch(tensor.grad?.scalars ?? [], goldens.array("gpt_tiny", "grad:" + name).values,
                                   absoluteTolerance: 1e-5, relativeTolerance: 1e-4)
            #expect(problem == nil, "grad of \(name): \(problem ?? "")")
        }
    }

    @Test func initialisationFollowsGPT2() throws {
        GlobalRandom.seed(0)
        let model = try Presets.gpt(vocab: 50, context: 32, layers: 4, heads: 4, embed: 64)
        func deviation(_ name: String) -> Float {
            let values = model.namedParameters.first { $0.name == name }!.tensor.scalars
            let mean = values.reduce(0, +) / Float(values.count)
            return (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)).squareRoot()
        }
        #expect(abs(deviation("2.attn.c_attn.weight") - 0.02) < 0.002)
        #expect(abs(deviation("2.attn.c_proj.weight") - 0.02 / Float(8).squareRoot()) < 0.001)
        #expect(abs(deviation("0.weight") - 0.02) < 0.002)
        #expect(model.namedParameters.first { $0.name == "2.ln_1.weight" }!.tensor.scalars.allSatisfy { $0 == 1 })
        #expect(model.namedParameters.first { $0.name == "2.attn.c_attn.bias" }!.tensor.scalars.allSatisfy { $0 == 0 })
    }

    @Test func specificationsRebuildTheSameArchitecture() throws {
        let model = try Presets.gpt(vocab: 11, context: 6, layers: 2, heads: 2, embed: 8)
        let rebuilt = try model.specification.makeLayer()
        #expect(rebuilt.namedParameters.map(\.name) == model.namedParameters.map(\.name))
        #expect(rebuilt.namedParameters.map(\.tensor.shape) == model.namedParameters.map(\.tensor.shape))
    }

    @Test func aWindowLongerThanTheContextIsAnError() throws {
        let model = try Presets.gpt(vocab: 11, context: 4, layers: 1, heads: 2, embed: 8)
        #expect { try model(Tensor(shape: [1, 5], scalars: [1, 2, 3, 4, 5])) } throws: { error in
            (error as? ModelError)?.message.contains("knows 4 positions, but the input has 5 steps") == true
        }
    }

    @Test func headsMustDivideEmbed() {
        #expect { try Presets.gpt(vocab: 11, context: 6, layers: 1, heads: 3, embed: 8) } throws: { error in
            (error as? ModelError)?.message.contains("3 heads do not divide embed 8") == true
        }
    }
}

/// AdamW's decoupled weight decay against torch.optim.AdamW (three steps, float32).
@Suite struct AdamWTests {
    @Test func threeStepsMatchPyTorch() throws {
        let goldens = try PyTorchGoldens.load("transformer-goldens.json")
        let weight = try Tensor(shape: [3, 4], scalars: goldens.array("adamw", "start").values)
        weight.requiresGrad = true
        let optimizer = Adam(learningRate: 0.01, weightDecay: 0.1, decoupled: true)
        let gradients = goldens.array("adamw", "gradients").values, after = goldens.array("adamw", "after").values
        for step in 0..<3 {
            weight.zeroGrad()  // then backward of Σ w·g makes the gradient exactly g
            try (weight * Tensor(shape: [3, 4], scalars: Array(gradients[(step * 12)..<((step + 1) * 12)]))).sum().backward()
            optimizer.update([weight])
            let problem = mismatch(weight.scalars, Array(after[(step * 12)..<((step + 1) * 12)]), absoluteTolerance: 1e-6, relativeTolerance: 1e-5)
            #expect(problem == nil, "step \(step + 1): \(problem ?? "")")
        }
        #expect(optimizer.summary == "adamw(lr 0.01)")
    }
}
