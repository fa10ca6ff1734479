import Datasets
import Display
import Foundation
import Language
import Lessons
import NeuralNetworks
import TensorEngine
import Training

extension Builtins {
    /// The language-model commands: generate and attention.
    static func registerLanguageModelCommands(in registry: Registry) {
        registry.register(CommandDefinition(
            "attention", grammar: CommandGrammar([.operand("MODEL"), .word("on"), .operand("\"TEXT\"")]),
            documentation: "Each attention head's weights on a text, as pictures: row i is what position i reads.",
            example: "show attention model on \"the movie\"", displaysResult: true, canFollowShow: true) { try attention($0) })
        registry.register(CommandDefinition(
            "estimate", grammar: CommandGrammar([.operand("MODEL")], clauses: [ClauseDefinition(
                "tokens", .value(placeholder: "N", example: "1e6"), default: .number(1e6),
                rule: NumberRule("a number from 1 to 10¹⁶", hint: "e.g. tokens 1e6 (a million characters)") { $0 >= 1 && $0 < 1e16 })]),
            documentation: "What training a language model on N tokens costs: FLOPs, time and energy, beside GPT-2 small, GPT-3 and Chinchilla (sources listed).",
            example: "estimate gpt(vocab: 117, context: 64, layers: 4, heads: 4, embed: 128) tokens 1e6") { try estimate($0) })
        registry.register(CommandDefinition(
            "generate",
            grammar: CommandGrammar([.operand("MODEL"), .word("from"), .operand("\"PROMPT\"")], clauses: [
                ClauseDefinition("tokens", .value(placeholder: "N", example: "200"), default: .number(200),
                                 rule: .wholeNumber(atLeast: 0, upTo: 100_000, "a whole number from 0 to 100,000", hint: "e.g. tokens 200 (one token is one character)")),
                ClauseDefinition("temperature", .value(placeholder: "T", example: "0.8"), default: .number(1),
                                 rule: NumberRule("a number from 0 (always the likeliest character) to 100",
                                                  hint: "0.8 is a common choice; 1 samples the model's own probabilities") { $0 >= 0 && $0 <= 100 }),
                ClauseDefinition("top_k", .value(placeholder: "K", example: "20"),
                                 rule: .wholeNumber(atLeast: 1, hint: "e.g. top_k 20 draws only among the 20 likeliest characters")),
            ]),
            documentation: "Samples text from a language model, one character at a time (defaults: 200 tokens, temperature 1, all characters); seed N makes it repeatable.",
            example: "generate model from \"the movie\" tokens 200 temperature 0.8 top_k 20") { try generate($0) })
    }

    /// `attention MODEL on "TEXT"`: the weights of every head of every block for the text.
    private static func attention(_ invocation: CommandInvocation) throws -> Value {
        let (model, context, characters) = try languageModel(invocation)
        guard case .string(let text) = invocation["text"] else {
            throw HostError("attention needs a text in quotes, got \(invocation["text"].typeName)", hint: "e.g. attention model on \"the movie\"", argument: "text")
        }
        let ids = try promptIds(text, characters, context: context, argument: "text")
        let input = try hosted { try Tensor(shape: [1, ids.count], scalars: ids.map(Float.init)) }
        let patterns = try withModelErrors(model, invocation, activity: "computing attention") { try model.model.attentionWeights(input) }
        return .object(AttentionObject(patterns: patterns, text: text))
    }

    /// `estimate MODEL tokens N`: priced at the machine's peak, or at a rate measured now on the
    /// model when timings are shown (so notebooks record the same numbers everywhere).
    private static func estimate(_ invocation: CommandInvocation) throws -> Value {
        let model = try modelOperand(invocation)
        guard let context = Generation.context(of: model.model) else {
            throw HostError("estimate prices a language model's training per token, and this \(model.summary) has no context (position_embedding)",
                            hint: "e.g. estimate gpt(vocab: 117, context: 64, layers: 4, heads: 4, embed: 128) tokens 1e6", argument: "model")
        }
        let tokens = try invocation.arguments.number("tokens")
        let estimate = ScaleEstimate(model: model.model, window: context, tokens: tokens)
        // Untimed, both the rate and the draw are the reference laptop's: the output must not
        // depend on this machine's cores (nor on a test that lowers the thread count meanwhile).
        let cores = invocation.showsTimings ? Training.threadCount : Cost.referenceCores
        let watts = Cost.defaultWattsPerCore * Double(cores)
        let rate = invocation.showsTimings ? try measuredRate(model.model, window: context) : Cost.referencePeakGigaflops
        estimate.report(rate: rate, watts: watts, measured: invocation.showsTimings).forEach(invocation.sink.emit)
        return .none
    }

    /// GFLOP/s of forward + backward passes on a random batch of 8 windows (no update: the model
    /// does not change), by tensorbook's FLOP accounting.
    private static func measuredRate(_ model: Sequential, window: Int) throws -> Double {
        let vocabulary = model.layers.lazy.compactMap { ($0 as? Embedding)?.vocabularySize }.first ?? 1
        let ids = try Tensor(shape: [8, window], scalars: (0..<(8 * window)).map { _ in Float(GlobalRandom.withGenerator { $0.nextInt(in: 0..<vocabulary) }) })
        let clock = ContinuousClock()
        var seconds = 0.0
        for pass in 0..<3 {
            let start = clock.now
            try model(ids).mean().backward()
            let elapsed = clock.now - start
            if pass > 0 { seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18 }
        }
        for parameter in model.parameters { parameter.zeroGrad() }
        return 2 * 3 * Double(model.forwardFLOPs(for: [window])) * 8 / max(seconds, 1e-9) / 1e9
    }

    /// The model, its context and its characters, or why it cannot be read as a language model.
    private static func languageModel(_ invocation: CommandInvocation) throws -> (ModelObject, Int, CharacterVocabulary) {
        let model = try modelOperand(invocation)
        guard let context = Generation.context(of: model.model) else {
            throw HostError("\(invocation.keyword) needs a language model (one with a position_embedding, such as gpt(…)); this \(model.summary) is not one",
                            hint: "data = text(\"movie_reviews\") then model = gpt(vocab: data.vocab, context: 64, layers: 2, heads: 2, embed: 64)",
                            argument: "model")
        }
        guard let characters = model.characters else {
            throw HostError("\(invocation.keyword) needs to know which character each of the model's ids stands for, and this model has not seen a text",
                            hint: "build it with gpt(vocab: data.vocab, …) or train it on a text first: train model on data", argument: "model")
        }
        return (model, context, characters)
    }

    /// A prompt's ids: at least one character, every one in the vocabulary; at most `context` when `fitting`.
    private static func promptIds(_ text: String, _ characters: CharacterVocabulary, context: Int?, argument: String) throws -> [Int32] {
        guard !text.isEmpty else {
            throw HostError("the text is empty; the model needs at least one character", hint: "e.g. \"the \"", argument: argument)
        }
        let ids: [Int32]
        do { ids = try characters.encode(text) } catch { throw HostError(error.message, hint: error.hint, argument: argument) }
        if let context, ids.count > context {
            throw HostError("the text has \(ids.count) characters but the model reads at most \(context) at once (its context)",
                            hint: "give at most \(context) characters", argument: argument)
        }
        return ids
    }

    /// `generate MODEL from "PROMPT" [tokens N] [temperature T] [top_k K]`: streams the prompt
    /// and each sampled character as it is drawn; returns the whole text.
    private static func generate(_ invocation: CommandInvocation) throws -> Value {
        let (model, context, characters) = try languageModel(invocation)
        guard case .string(let prompt) = invocation["prompt"] else {
            throw HostError("generate needs a prompt in quotes, got \(invocation["prompt"].typeName)", hint: "e.g. generate model from \"the movie\"", argument: "prompt")
        }
        // A prompt longer than the context is fine: the model reads its last `context` characters.
        let ids = try promptIds(prompt, characters, context: nil, argument: "prompt")
        let settings = try samplingSettings(invocation)
        let count = try tokenCount(invocation)
        invocation.sink.emit(.stream(prompt, isLast: false))
        let all = try withModelErrors(model, invocation, activity: "generating") {
            try Generation.generate(model.model, prompt: ids, count: count, settings: settings, context: context,
                                    shouldStop: { invocation.context.engine.isInterrupted }) { id in
                invocation.sink.emit(.stream(characters.decode([id]), isLast: false))
            }
        }
        invocation.sink.emit(.stream("", isLast: true))
        if all.count < ids.count + count {
            invocation.sink.emit(.text("stopped by \(invocation.context.engine.interruptionReason) after \(all.count - ids.count) of \(count) characters"))
        }
        return .string(characters.decode(all))
    }

    private static func tokenCount(_ invocation: CommandInvocation) throws -> Int {
        try invocation.arguments.integer("tokens")
    }

    private static func samplingSettings(_ invocation: CommandInvocation) throws -> SamplingSettings {
        var settings = SamplingSettings()
        settings.temperature = Float(try invocation.arguments.number("temperature"))
        settings.topK = try invocation.arguments.optionalInteger("top_k")
        return settings
    }
}

/// What `attention model on "text"` returns: every head's weights, shown as pictures.
final class AttentionObject: HostObject, @unchecked Sendable {
    let patterns: [(layer: Int, weights: Tensor)]
    let text: String

    init(patterns: [(layer: Int, weights: Tensor)], text: String) {
        self.patterns = patterns
        self.text = text
    }

    var typeName: String { "attention" }
    var summary: String {
        let heads = patterns.first.map { $0.weights.shape[1] } ?? 0
        return "attention weights of \(patterns.count) block\(patterns.count == 1 ? "" : "s") × \(heads) head\(heads == 1 ? "" : "s") on \(text.unicodeScalars.count) characters"
    }

    func display() -> [DisplayValue] {
        [.images(AttentionPatterns.images(patterns, title: "attention on \"\(DatasetObject.visible(text))\": row i = what position i reads (white = all of it); the mask leaves the upper right black")),
         .text(summary)]
    }

    var memberNames: [String] { ["weights"] }

    func member(_ name: String) throws(HostError) -> Value {
        guard name == "weights" else { throw HostError("attention has no member '\(name)'", hint: "members: weights") }
        return .makeList(patterns.map { TensorObject.value($0.weights) })
    }
}
