import NeuralNetworks
import TensorEngine
import Testing

@Suite struct ShapeInferenceTests {
    /// The essay's CNN: flattening 16×14×14 = 3136 features into a layer built for 16×6×6 = 576.
    @Test func essayShapeBugIsCaughtWhenTheModelIsBuilt() throws {
        let layers: [any Layer] = [
            try Conv2d(inChannels: 1, outChannels: 16, kernelSize: 3, padding: 1), ReLU(), try MaxPool2d(size: 2), Flatten(),
            try Linear(inputSize: 16 * 6 * 6, outputSize: 120), ReLU(), try Linear(inputSize: 120, outputSize: 84), ReLU(),
            try Linear(inputSize: 84, outputSize: 10),
        ]
        #expect {
            _ = try Sequential(layers, inputShape: [1, 28, 28])
        } throws: { error in
            guard let error = error as? ModelError else { return false }
            return error.layerIndex == 4
                && error.message == "layer 5, linear(576, 120) expects 576 input features, but receives 3136 (flatten turned 16x14x14 into 3136)"
                && error.hint == "make it linear(3136, 120)"
        }
    }

    @Test func misfitFoundOnFirstBatchWhenNoInputShapeWasGiven() throws {
        let model = try Sequential([Flatten(), try Linear(inputSize: 10, outputSize: 2)])
        #expect {
            _ = try model(Tensor.zeros([4, 3, 3]))
        } throws: { error in
            (error as? ModelError)?.message.contains("layer 2, linear(10, 2) expects 10 input features, but receives 9") == true
        }
    }

    @Test(arguments: [
        ("conv2d after flatten", [.flatten, .conv2d(inChannels: 1, outChannels: 2, kernelSize: 3, stride: 1, padding: 0)], [1, 8, 8],
         "layer 2, conv2d(1, 2, 3) expects images [channels, height, width], but receives shape 64"),
        ("wrong channels", [.conv2d(inChannels: 3, outChannels: 2, kernelSize: 3, stride: 1, padding: 0)], [1, 8, 8],
         "layer 1, conv2d(3, 2, 3) expects 3 input channels, but receives 1"),
        ("kernel larger than image", [.conv2d(inChannels: 1, outChannels: 2, kernelSize: 5, stride: 1, padding: 0)], [1, 3, 3],
         "conv2d: a 5x5 kernel does not fit a 3x3 input with padding 0"),
        ("pool too large", [.maxPool2d(size: 4, stride: 4)], [1, 3, 3], "maxpool: a 4x4 window does not fit a 3x3 input"),
        ("lstm features", [.lstm(inputSize: 8, hiddenSize: 4)], [5, 6], "lstm(8, 4) expects 8 input features per step, but receives 6"),
    ] as [(String, [LayerSpecification], [Int], String)])
    func misfitsNameTheLayerAndBothNumbers(_ name: String, _ layers: [LayerSpecification], _ input: [Int], _ expected: String) {
        #expect {
            _ = try LayerSpecification.sequential(layers: layers, inputShape: input).makeLayer()
        } throws: { error in
            (error as? ModelError)?.message.contains(expected) == true
        }
    }

    @Test func everyLayerInfersTheShapeItProduces() throws {
        let models: [(Sequential, Shape)] = [
            (try Presets.cnn(), [1, 28, 28]), (try Presets.lenet(), [1, 28, 28]), (try Presets.mlp([10, 64, 1]), [10]),
            (try Presets.lstmClassifier(vocabularySize: 50, embedding: 8, hidden: 6), [7]),
            (try Sequential([try Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 1), Tanh(), Sigmoid(),
                             try MaxPool2d(size: 3, stride: 1), Flatten(), try Dropout(probability: 0.5), Softmax()]), [2, 9, 7]),
        ]
        for (model, input) in models {
            let batch = input.dimensions == [7] ? try Tensor.randint(0, 50, [3, 7]) : try Tensor.randn(Shape([3] + input.dimensions))
            let shapes = try model.layerOutputShapes(for: input)
            let activations = try model.forwardRecordingActivations(batch)
            for (shape, activation) in zip(shapes, activations) {
                #expect(activation.shape == Shape([3] + shape.dimensions), "\(model)")
            }
        }
    }

    @Test func presetsHaveTheReferenceParameterCounts() throws {
        #expect(try Presets.cnn().parameterCount == 387_614)
        #expect(try Presets.lenet().parameterCount == 61_706)
        #expect(try Presets.mlp([10, 64, 1]).parameterCount == 769)
        #expect(try Presets.lstmClassifier(vocabularySize: 5000, embedding: 64, hidden: 128).parameterCount == 5000 * 64 + 4 * 128 * (64 + 128) + 8 * 128 + 129)
    }

    @Test func summaryReportsShapesParametersAndFLOPs() throws {
        let summary = try ModelSummary(try Presets.cnn())
        #expect(summary.rows.map(\.kind) == ["conv2d", "relu", "maxpool", "flatten", "linear", "relu", "linear", "relu", "linear"])
        #expect(summary.rows[0].outputShape == [16, 28, 28] && summary.rows[3].outputShape == [3136])
        #expect(summary.rows[0].flops == 16 * 28 * 28 * (2 * 9 + 1))
        #expect(summary.rows[4].flops == 120 * (2 * 3136 + 1))
        #expect(summary.totalParameters == 387_614)
    }

    @Test func parameterNamesFollowPyTorchSequential() throws {
        let names = try Presets.lstmClassifier(vocabularySize: 10, embedding: 4, hidden: 3).namedParameters.map(\.name)
        #expect(names == ["0.weight", "1.weight_ih_l0", "1.weight_hh_l0", "1.bias_ih_l0", "1.bias_hh_l0", "3.weight", "3.bias"])
    }

    @Test func badLayerArgumentsAreErrors() {
        #expect(throws: ModelError.self) { try Linear(inputSize: 0, outputSize: 3) }
        #expect(throws: ModelError.self) { try Conv2d(inChannels: 1, outChannels: 2, kernelSize: 3, padding: -1) }
        #expect(throws: ModelError.self) { try Dropout(probability: 1.5) }
        #expect(throws: ModelError.self) { try Presets.mlp([10]) }
        #expect(throws: ModelError.self) { try Sequential([]) }
    }

    /// An empty batch flattens to [0, features] as nn.Flatten does (a -1 cannot be inferred from
    /// 0 elements); a linear layer fed no features says so instead of `make it linear(0, 4)`.
    @Test func anEmptyBatchFlattensAndNoFeaturesIsNamed() throws {
        #expect(try Flatten()(Tensor.zeros([0, 3, 4])).shape == [0, 12])
        let layer = try Linear(inputSize: 2, outputSize: 4)
        #expect(throws: ModelError.self) { try layer.outputShape(for: [0]) }
        do { _ = try layer.outputShape(for: [0]) } catch {
            #expect(error.hint == "the data has no features: each example is empty")
        }
    }
}

