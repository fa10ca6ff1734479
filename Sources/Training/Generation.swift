import Foundation
import NeuralNetworks
import TensorEngine

/// How the next token is drawn from a language model's logits.
public struct SamplingSettings: Sendable, Equatable {
    /// Logits are divided by it before the softmax: below 1 sharper, above 1 flatter; 0 always
    /// takes the most likely token (greedy decoding).
    public var temperature: Float
    /// Only the `topK` most likely tokens may be drawn (nil: all of them).
    public var topK: Int?

    /// Settings as `generate … temperature T top_k K` gives them (PyTorch/nanoGPT defaults: 1, all).
    public init(temperature: Float = 1, topK: Int? = nil) {
        self.temperature = temperature
        self.topK = topK
    }
}

/// Autoregressive sampling from a language model (nanoGPT's `generate`): feed the last `context`
/// ids, take the logits of the last position, draw one id, append it, repeat. Draws come from the
/// seeded global generator, so `seed N` makes a sample repeatable. No key/value cache: each token
/// recomputes the window, which at tensorbook's sizes costs milliseconds.
public enum Generation {
    /// The longest window a model reads: its position embedding's context; nil when the model has
    /// none (then it is not a language model tensorbook can sample from).
    public static func context(of model: Sequential) -> Int? {
        model.layers.lazy.compactMap { ($0 as? PositionEmbedding)?.context }.first
    }

    /// Appends `count` sampled ids to `prompt`, calling `emit` with each as it is drawn; stops
    /// early (returning what it has) when `shouldStop` says so.
    @discardableResult
    public static func generate(
        _ model: Sequential, prompt: [Int32], count: Int, settings: SamplingSettings, context: Int,
        shouldStop: () -> Bool = { Interrupt.isRequested }, emit: (Int32) -> Void
    ) throws -> [Int32] {
        let previousMode = model.isTraining
        model.isTraining = false
        defer { model.isTraining = previousMode }
        var ids = prompt
        try GradientMode.withoutRecording {
            for _ in 0..<count where !shouldStop() {
                let window = ids.suffix(context)
                let input = try Tensor(shape: [1, window.count], scalars: window.map(Float.init))
                let logits = try model(input)
                let classes = logits.shape[logits.rank - 1]
                let last = Array(logits.scalars.suffix(classes))
                let next = Int32(sample(last, settings))
                ids.append(next)
                emit(next)
            }
        }
        return ids
    }

    /// One draw from softmax(logits / temperature) restricted to the top k (ties keep the lower id).
    public static func sample(_ logits: [Float], _ settings: SamplingSettings) -> Int {
        let ranked = logits.indices.sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        guard settings.temperature > 0, let best = ranked.first else { return ranked.first ?? 0 }
        let kept = ranked.prefix(min(settings.topK ?? logits.count, logits.count))
        let weights = kept.map { exp(Double((logits[$0] - logits[best]) / settings.temperature)) }
        let total = weights.reduce(0, +)
        var threshold = Double(GlobalRandom.withGenerator { $0.nextUniform() }) * total
        for (index, weight) in zip(kept, weights) {
            threshold -= weight
            if threshold < 0 { return index }
        }
        return kept.last ?? best
    }
}
