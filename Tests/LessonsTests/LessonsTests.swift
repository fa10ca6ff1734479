import Builtins
import Datasets
import Diagnostics
import Display
import Foundation
import Language
import Lessons
import NeuralNetworks
import TensorEngine
import TestSupport
import Testing
import Training

func text(_ values: [DisplayValue]) -> String { values.map { $0.plainText() }.joined(separator: "\n") }

@Suite struct ExplanationTests {
    @Test(arguments: Topic.allCases)
    func everyTopicHasFormulaSymbolsAndAWorkedExample(_ topic: Topic) throws {
        let shown = text(try Explanation.explain(topic, models: []))
        #expect(shown.hasPrefix("\(topic.rawValue) — "))
        #expect(shown.contains("where\n") && shown.contains("worked example (computed just now by the engine):"))
        #expect(!shown.contains("nan") && !shown.contains("inf "))
    }

    @Test func workedNumbersAreTheEnginesNumbers() throws {
        let crossEntropy = text(try Explanation.explain(.crossEntropy, models: []))
        let logits = try Tensor([[2, 1, 0.1]])
        let loss = try logits.crossEntropy(targets: Tensor([0])).item()
        #expect(crossEntropy.contains("= \(String(format: "%.4f", loss).replacingOccurrences(of: "0$", with: "", options: .regularExpression));"))
        #expect(text(try Explanation.explain(.mse, models: [])).contains("L = 0.625"))
        #expect(text(try Explanation.explain(.backward, models: [])).contains("backward() gives -8"))
        #expect(text(try Explanation.explain(.adam, models: [])).contains("w 0.5 → 0.499"))
        #expect(text(try Explanation.explain(.conv2d, models: [])).contains("y = [0, -1], [-1, 1]"))
        #expect(text(try Explanation.explain(.maxpool, models: [])).contains("[5, 7], [13, 15]"))
    }

    @Test func aModelInTheSessionIsPointedAt() throws {
        let model = try Presets.cnn()
        let shown = text(try Explanation.explain(.conv2d, models: [("net", model)]))
        #expect(shown.contains("in this session:\n    net layer 1: conv2d(1, 16, 3, padding: 1) — 0.weight 16x1x3x3, 0.bias 16"))
        #expect(text(try Explanation.explain(.adam, models: [("net", model)])).contains("net: 8 parameter tensors, 387614 numbers; each tensor gets m and v"))
        #expect(text(try Explanation.explain(.forward, models: [("net", model)])).contains("net: 1x28x28 → 16x28x28 → 16x28x28 → 16x14x14 → 3136"))
    }
}

@Suite(.serialized) struct StepNarrationTests {
    /// Narrates one step and checks the shown numbers against the recorded engine values.
    func narratedStep(_ model: Sequential, _ data: Dataset, optimizer: any Optimizer, batch: Int, loss: Loss? = nil) throws -> (RecordedStep, String) {
        let step = try Training.recordStep(model, on: data, optimizer: optimizer, batchSize: batch, loss: loss)
        let narration = text(StepNarration.narrate(step, modelName: "model", dataName: data.name, verbose: false))
        #expect(narration.contains("3. the loss: \(step.loss.rawValue) = \(String(format: "%.4f", step.lossValue))"))
        for record in step.parameters {
            let norm = record.gradient.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(narration.contains(record.name), "\(record.name)")
            _ = norm
        }
        #expect(narration.contains("5. the update, for one real weight"))
        return (step, narration)
    }

    @Test func essayCNNStep() throws {
        GlobalRandom.seed(0)
        let (step, narration) = try narratedStep(try Presets.cnn(), try MNIST.digits().train, optimizer: Adam(), batch: 16)
        #expect(step.layers.count == 9 && narration.contains("1. the batch: inputs [16, 1, 28, 28], targets [16]"))
        #expect(narration.split(separator: "\n").contains { $0.contains("relu") && $0.contains("16x28x28") && $0.contains("%") })
        #expect(narration.contains("true class") && narration.contains("p = softmax(z)"))
        #expect(narration.contains("m̂  = m / (1 − 0.9^1)"))
    }

    @Test func lstmClassifierStep() throws {
        GlobalRandom.seed(0)
        let reviews = try MovieReviews.load()
        let model = try Presets.lstmClassifier(vocabularySize: reviews.train.vocabulary!.size, embedding: 8, hidden: 6)
        let (step, narration) = try narratedStep(model, reviews.train, optimizer: Adam(), batch: 8)
        #expect(step.loss == .binaryCrossEntropy && narration.contains("logit z = ") && narration.contains("1.weight_hh_l0"))
    }

    @Test func essayMLPStepWithSGD() throws {
        GlobalRandom.seed(0)
        let data = try SyntheticData.randomBinary(count: 100, features: 10).train
        let (step, narration) = try narratedStep(try Presets.mlp([10, 64, 1]), data, optimizer: SGD(learningRate: 0.1, momentum: 0.9), batch: 100,
                                                 loss: .meanSquaredError)
        #expect(step.loss == .meanSquaredError && narration.contains("(ŷ − y)² = ") && narration.contains("velocity v = "))
    }

    /// The Adam narration reproduces PyTorch's `linear_mse_adam` golden step.
    @Test func adamNarrationMatchesThePyTorchGolden() throws {
        let goldens = try PyTorchGoldens.load()
        func tensor(_ field: String) throws -> Tensor {
            let (shape, values) = goldens.array("linear_mse_adam", field)
            return try Tensor(shape: Shape(shape), scalars: values)
        }
        let layer = try Linear(inputSize: 3, outputSize: 2)
        layer.weight.updateScalars { w in for (i, v) in goldens.array("linear_mse_adam", "W").values.enumerated() { w[i] = v } }
        layer.bias!.updateScalars { b in for (i, v) in goldens.array("linear_mse_adam", "b").values.enumerated() { b[i] = v } }
        let model = try Sequential([layer])
        let data = try Dataset(name: "golden", inputs: tensor("x"), targets: tensor("y"))
        let step = try Training.recordStep(model, on: data, optimizer: Adam(learningRate: 0.1), batchSize: 2, loss: .meanSquaredError)
        #expect(isApproximatelyEqual(step.lossValue, goldens.number("linear_mse_adam", "loss")))
        #expect(mismatch(step.parameters[0].after.scalars, goldens.array("linear_mse_adam", "W_after_adam_step1").values) == nil)
        let narration = text(StepNarration.narrate(step, modelName: "model", dataName: "golden", verbose: false))
        // The largest gradient of the weight is dW[1, 2] = −1.25, so that is the weight worked out.
        #expect(narration.contains("0.weight[1, 2]"))
        for line in ["g  = -1.25", "m  = 0.9·0 + 0.1·g = -0.125", "v  = 0.999·0 + 0.001·g² = 0.0015625", "m̂  = m / (1 − 0.9^1) = -1.25",
                     "v̂  = v / (1 − 0.999^1) = 1.5625", "Δw = −0.1·m̂ / (√v̂ + 1e-8) = 0.1", "w: -0.6 → -0.5"] {
            #expect(narration.contains(line), "missing: \(line)\n\(narration)")
        }
    }

    /// `step … verbose` on mlp(2, 2, 1) and xor: every number agrees with a hand computation.
    @Test func verboseXorStepAgreesWithAHandComputation() throws {
        let model = try Presets.mlp([2, 2, 1])
        let (w1, b1, w2, b2): ([Float], [Float], [Float], [Float]) = ([0.5, -0.4, 0.3, 0.8], [0.1, -0.2], [0.7, -0.6], [0.05])
        for (tensor, values) in zip(model.parameters, [w1, b1, w2, b2]) { tensor.updateScalars { for i in $0.indices { $0[i] = values[i] } } }
        let data = SyntheticData.xor().train
        let step = try Training.recordStep(model, on: data, optimizer: SGD(learningRate: 0.5), batchSize: 4)
        // By hand, in the order the loader used: z1 = W1·x + b1, a = relu(z1), z2 = W2·a + b2, BCE with logits.
        let order = step.inputs.scalars.chunks(2)
        var gradW1 = [Float](repeating: 0, count: 4), gradB1: [Float] = [0, 0], gradW2: [Float] = [0, 0], gradB2: Float = 0, loss: Float = 0
        for (row, x) in order.enumerated() {
            let y = step.targets.scalars[row]
            let z1 = [w1[0] * x[0] + w1[1] * x[1] + b1[0], w1[2] * x[0] + w1[3] * x[1] + b1[1]]
            let a = z1.map { max($0, 0) }
            let z2 = w2[0] * a[0] + w2[1] * a[1] + b2[0]
            let p = 1 / (1 + Foundation.exp(-z2))
            loss += (max(z2, 0) - z2 * y + Foundation.log(1 + Foundation.exp(-abs(z2)))) / 4
            let dz2 = (p - y) / 4
            gradB2 += dz2
            for j in 0..<2 {
                gradW2[j] += dz2 * a[j]
                let dz1 = z1[j] > 0 ? dz2 * w2[j] : 0
                gradB1[j] += dz1
                gradW1[2 * j] += dz1 * x[0]
                gradW1[2 * j + 1] += dz1 * x[1]
            }
        }
        #expect(isApproximatelyEqual(step.lossValue, loss))
        for (record, expected) in zip(step.parameters, [gradW1, gradB1, gradW2, [gradB2]]) {
            #expect(mismatch(record.gradient.scalars, expected) == nil, "\(record.name)")
            #expect(mismatch(record.after.scalars, zip(record.before.scalars, expected).map { $0 - 0.5 * $1 }) == nil, "\(record.name) after SGD")
        }
        let narration = text(StepNarration.narrate(step, modelName: "model", dataName: "xor", verbose: true))
        #expect(narration.contains("every number of the forward pass") && narration.contains("∂L/∂w = "))
        #expect(narration.contains("2.bias: w = [0.05]"))
    }
}

extension Array {
    func chunks(_ size: Int) -> [[Element]] { stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) } }
}

@Suite struct CheckAndConfusionTests {
    @Test func gradientCheckOfARealModelAgrees() throws {
        GlobalRandom.seed(1)
        let model = try Sequential([try Linear(inputSize: 2, outputSize: 8), Tanh(), try Linear(inputSize: 8, outputSize: 3)])
        let shown = text(try GradientCheck.run(model, on: try SyntheticData.spirals(count: 30).train, loss: nil))
        #expect(shown.contains("backpropagation agrees with finite differences"), "\(shown)")
    }

    /// A ReLU MLP on spirals has dead units whose weights get exactly 0 (issue 16 item 10): the check
    /// picks weights with signal, and a 0 = 0 row is never called "ok".
    @Test func gradientCheckPicksWeightsWithSignal() throws {
        GlobalRandom.seed(0)
        let model = try Sequential([try Linear(inputSize: 2, outputSize: 16), ReLU(), try Linear(inputSize: 16, outputSize: 3)])
        let table = try GradientCheck.run(model, on: try SyntheticData.spirals(count: 150).train, loss: nil)
        guard case .table(let shown)? = table.first else { Issue.record("no table"); return }
        #expect(shown.headers.last == "verdict")
        for row in shown.rows where row[4] == "ok" { #expect(row[1] != "0", "\(row)") }
        #expect(shown.rows.filter { $0[1] != "0" }.count >= 6, "\(shown.rows)")
        #expect(GradientCheck.picks(2, of: [0, 0, 0.5, 0, -0.2]) == [2, 4])
        #expect(GradientCheck.picks(2, of: [0, 0, 0]).count == 2)
    }

    /// `show m[0].weight` draws a conv layer's filters (issue 16 item 3).
    @Test func showAConvWeightDrawsItsFilters() throws {
        let sink = CollectingSink()
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        let diagnostics = interpreter.run(SourceFile(name: "t", text: "seed 0\nm = cnn()\nshow m[0].weight\nshow m[-1].weight"))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let strips = sink.values.compactMap { value -> ImageStrip? in if case .images(let strip) = value { strip } else { nil } }
        #expect(strips.count == 1, "a linear weight has no filters to draw")
        let filters = try #require(strips.first).images
        #expect(filters.count == 16 && filters.allSatisfy { $0.width == 3 && $0.height == 3 })
        #expect(filters.allSatisfy { $0.pixels.min() == 0 && $0.pixels.max() == 255 }, "each filter spans black to white")
    }

    @Test func confusionMatrixCountsEveryPrediction() throws {
        let data = try SyntheticData.blobs(count: 12, classes: 3).train
        let shown = text(ConfusionMatrix.table(predictions: Tensor(Array(repeating: 0, count: 12)), data: data))
        #expect(shown.contains("4 of 12 correct (33.3%)"))
    }

    @Test func commandsThroughTheLanguage() throws {
        let sink = CollectingSink()
        let interpreter = Interpreter(registry: Builtins.makeRegistry(), sink: sink)
        let diagnostics = interpreter.run(SourceFile(name: "t", text: """
            seed 0
            m = mlp(2, 8, 3)
            h = train m on blobs(n: 60) epochs 2 batch 8
            step m on blobs(n: 60) batch 8
            confusion m on blobs(n: 60)
            gradcheck m on blobs(n: 60)
            explain softmax
            """))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let output = sink.plainText()
        #expect(output.contains("one training step of m on blobs.train: adam(lr 0.001), update number 17"))
        #expect(output.contains("confusion on blobs.test") && output.contains("gradient check") && output.contains("softmax — "))
        let wrong = interpreter.run(SourceFile(name: "t", text: "explain sofmax"))
        #expect(wrong.first?.hint == "did you mean 'softmax'?")
    }
}
