import NeuralNetworks
import TensorEngine
import Testing

@Suite(.serialized) struct InitializationAndModeTests {
    /// PyTorch's bounds: U(−1/√fanIn, 1/√fanIn) for linear and conv (fanIn = in·k·k), U(−1/√H, 1/√H)
    /// for LSTM, N(0, 1) for embeddings.
    @Test func defaultInitialisationFollowsPyTorch() throws {
        GlobalRandom.seed(3)
        let linear = try Linear(inputSize: 400, outputSize: 300)
        let conv = try Conv2d(inChannels: 6, outChannels: 16, kernelSize: 5)
        let lstm = try LSTM(inputSize: 10, hiddenSize: 25)
        let embedding = try Embedding(vocabularySize: 1000, dimension: 50)
        for (tensor, bound) in [(linear.weight, 1 / Float(20)), (linear.bias!, 1 / Float(20)), (conv.weight, 1 / Float(150).squareRoot()),
                                (lstm.weightIH, 1 / Float(5)), (lstm.biasHH, 1 / Float(5))] {
            let values = tensor.scalars
            #expect(values.allSatisfy { abs($0) <= bound })
            // A uniform distribution on [−b, b] has standard deviation b/√3.
            let std = (values.map { $0 * $0 }.reduce(0, +) / Float(values.count)).squareRoot()
            #expect(abs(std - bound / Float(3).squareRoot()) < 0.08 * bound, "std \(std) for bound \(bound)")
        }
        let normal = embedding.weight.scalars
        let mean = normal.reduce(0, +) / Float(normal.count)
        let std = (normal.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(normal.count)).squareRoot()
        #expect(abs(mean) < 0.02 && abs(std - 1) < 0.02)
        #expect(linear.parameters.allSatisfy { $0.requiresGrad })
    }

    @Test func seedMakesModelsRepeatable() throws {
        GlobalRandom.seed(42)
        let first = try Presets.mlp([4, 3, 2]).parameters.map(\.scalars)
        GlobalRandom.seed(42)
        let second = try Presets.mlp([4, 3, 2]).parameters.map(\.scalars)
        #expect(second == first)
    }

    /// A model runs ReLU → max-pool as one pass; its outputs and gradients are those of running
    /// the layers one by one, and `forwardRecordingActivations` still shows each layer's output.
    @Test func reluThenMaxPoolRunsFusedWithTheSameResults() throws {
        GlobalRandom.seed(5)
        let model = try Presets.lenet()
        let images = try Tensor.randn([3, 1, 28, 28])
        func lossAndGradients(_ forward: (Tensor) throws -> Tensor) throws -> [[UInt32]] {
            for parameter in model.parameters { parameter.zeroGrad() }
            let output = try forward(images)
            let loss = try (output * output).sum()
            try loss.backward()
            return [loss.scalars.map(\.bitPattern)] + model.parameters.map { ($0.grad?.scalars ?? []).map(\.bitPattern) }
        }
        let fused = try lossAndGradients { try model($0) }
        let layerByLayer = try lossAndGradients { input in try model.layers.reduce(input) { try $1($0) } }
        #expect(fused == layerByLayer)
        let activations = try model.forwardRecordingActivations(images)
        #expect(activations.count == model.layers.count)
        #expect(activations[1].shape == Shape([3, 6, 28, 28]))
    }

    @Test func dropoutOnlyActsWhileTraining() throws {
        let model = try Sequential([try Dropout(probability: 0.5)])
        let input = Tensor.ones([1, 1000])
        model.isTraining = true
        let dropped = try model(input).scalars
        #expect(dropped.contains(0) && dropped.contains(2))
        model.isTraining = false
        #expect(try model(input).scalars == input.scalars)
    }

    @Test func lstmLayerReturnsAllOutputsAndLastState() throws {
        let lstm = try LSTM(inputSize: 3, hiddenSize: 4)
        let (outputs, lastHidden, lastCell) = try lstm.run(try Tensor.randn([2, 5, 3]))
        #expect(outputs.shape == [2, 5, 4] && lastHidden.shape == [2, 4] && lastCell.shape == [2, 4])
        #expect(lastHidden.scalars == (try outputs.select(axis: 1, index: 4)).scalars)
    }
}
