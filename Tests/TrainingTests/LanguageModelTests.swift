import Datasets
import Foundation
import NeuralNetworks
import TensorEngine
import TestSupport
import Testing
import Training

/// Character-level language modelling: sequence targets, per-token metrics, sampling.
/// Serialized: these tests set the global seed.
@Suite(.serialized) struct LanguageModelTests {
    /// A text whose next character is fully determined by the current one.
    static let cycle = try! TextCorpus.splits(of: String(repeating: "abcdefgh", count: 100), name: "cycle", context: 8)

    @Test func aTinyGPTLearnsADeterministicTextWithPerTokenMetrics() throws {
        GlobalRandom.seed(4)
        let model = try Presets.gpt(vocab: 8, context: 8, layers: 1, heads: 2, embed: 16)
        let history = try Training.fit(model, on: Self.cycle.train, optimizer: Adam(learningRate: 0.01, decoupled: true),
                                       configuration: TrainingConfiguration(epochs: 20, batchSize: 16))
        #expect(history.loss == .crossEntropy)
        let first = history.epochs[0], last = history.epochs[history.epochs.count - 1]
        #expect(last.loss < 0.05 && first.loss > 1, "losses \(history.epochs.map(\.loss))")
        #expect(isApproximatelyEqual(try #require(last.perplexity), Float(Foundation.exp(Double(last.loss))), relativeTolerance: 1e-5))
        let metrics = try Training.evaluate(model, on: Self.cycle.test)
        // 79 validation characters make 9 windows of 8: accuracy is over 72 predicted characters.
        #expect(metrics.count == 9 && metrics.tokens == 72 && metrics.accuracy == 1)
        #expect(isApproximatelyEqual(try #require(metrics.bitsPerToken), metrics.loss / Float(M_LN2), relativeTolerance: 1e-6))
        let predictions = try Training.predict(model, on: Self.cycle.test)
        #expect(predictions.shape == [9, 8])
        // Sampling continues the cycle, even at temperature 1 (the model is sure).
        let vocabulary = try #require(Self.cycle.train.characters)
        var streamed: [Int32] = []
        let ids = try Generation.generate(model, prompt: try vocabulary.encode("cde"), count: 12, settings: SamplingSettings(), context: 8) {
            streamed.append($0)
        }
        #expect(vocabulary.decode(ids) == "cdefghabcdefgha" && streamed == Array(ids.dropFirst(3)), "\(vocabulary.decode(ids)) after losses \(history.epochs.map(\.loss))")
    }

    @Test func samplingIsSeededAndHonoursTemperatureAndTopK() {
        let logits: [Float] = [0.5, 2, 1.9, -1]
        #expect(Generation.sample(logits, SamplingSettings(temperature: 0)) == 1)
        #expect(Generation.sample(logits, SamplingSettings(topK: 1)) == 1)
        func draws(_ settings: SamplingSettings, seed: UInt64) -> [Int] {
            GlobalRandom.seed(seed)
            return (0..<400).map { _ in Generation.sample(logits, settings) }
        }
        #expect(draws(SamplingSettings(), seed: 1) == draws(SamplingSettings(), seed: 1))
        #expect(Set(draws(SamplingSettings(topK: 2), seed: 2)) == [1, 2])
        let all = draws(SamplingSettings(), seed: 3)
        #expect(Set(all) == [0, 1, 2, 3])
        // Probabilities softmax([0.5, 2, 1.9, -1]) ≈ [0.10, 0.46, 0.41, 0.02]: id 1 about 46 % of 400.
        let ones = all.filter { $0 == 1 }.count
        #expect(ones > 150 && ones < 220, "\(ones) of 400")
        // A low temperature makes the favourite nearly certain (at 0.01, e^10 times likelier than the next).
        #expect(draws(SamplingSettings(temperature: 0.01), seed: 4).filter { $0 == 1 }.count > 395)
    }

    @Test func sequenceTargetsNeedAModelWithLogitsAtEveryPosition() throws {
        let classifier = try Sequential([Embedding(vocabularySize: 8, dimension: 4), Flatten(), Linear(inputSize: 32, outputSize: 8)])
        let error = try #require(throws: TrainingError.self) { try LossSelection.loss(for: classifier, data: Self.cycle.train, requested: nil) }
        #expect(error.message.contains("the model must output [8, 8] logits per window; it outputs 8"), "\(error)")
        #expect(error.hint?.contains("gpt(vocab: data.vocab") == true)
        #expect(Generation.context(of: classifier) == nil)
        #expect(Generation.context(of: try Presets.gpt(vocab: 8, context: 5, layers: 1, heads: 1, embed: 4)) == 5)
    }

    @Test func crossEntropyOverSequencesIsTheMeanOverEveryPosition() throws {
        let logits = try Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float($0 % 7) * 0.3 - 0.5 })
        let targets = try Tensor(shape: [2, 3], scalars: [0, 3, 1, 2, 2, 0])
        let flat = try logits.reshaped([6, 4]).crossEntropy(targets: targets.reshaped([6]))
        #expect(try Loss.crossEntropy(logits, targets).item() == flat.item())
        #expect(throws: TensorError.self) { try Loss.crossEntropy(logits, Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 0, 1])) }
        let correct = LossSelection.correctCount(outputs: logits, targets: targets, loss: .crossEntropy, binaryTargets: false)
        let argmaxes = try logits.argmax(axis: 2).scalars
        #expect(correct == zip(argmaxes, targets.scalars).filter { $0 == $1 }.count)
    }
}
