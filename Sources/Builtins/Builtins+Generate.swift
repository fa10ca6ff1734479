import Datasets
import Display
import Language
import NeuralNetworks
import Training

extension Builtins {
    static func registerGenerate(in registry: Registry) {
        registry.register(CommandDefinition(
            "generate",
            grammar: CommandGrammar([.operand("MODEL"), .word("from"), .operand("\"PROMPT\"")], clauses: [
                ClauseDefinition("tokens", .value(placeholder: "N", example: "200")),
                ClauseDefinition("temperature", .value(placeholder: "T", example: "0.8")),
                ClauseDefinition("top_k", .value(placeholder: "K", example: "20")),
            ]),
            documentation: "Samples text from a language model, one character at a time (defaults: 200 tokens, temperature 1, all characters); seed N makes it repeatable.",
            example: "generate model from \"the movie\" tokens 200 temperature 0.8 top_k 20") { try generate($0) })
    }

    /// `generate MODEL from "PROMPT" [tokens N] [temperature T] [top_k K]`: streams the prompt
    /// and each sampled character as it is drawn; returns the whole text.
    private static func generate(_ invocation: CommandInvocation) throws -> Value {
        let model = try modelOperand(invocation)
        guard let context = Generation.context(of: model.model) else {
            throw HostError("generate samples from a language model (one with a position_embedding, such as gpt(…)); this \(model.summary) is not one",
                            hint: "data = text(\"movie_reviews\") then model = gpt(vocab: data.vocab, context: 64, layers: 2, heads: 2, embed: 64)",
                            argument: "operand0")
        }
        guard let characters = model.characters else {
            throw HostError("generate needs to know which character each of the model's ids stands for, and this model has not seen a text",
                            hint: "build it with gpt(vocab: data.vocab, …) or train it on a text first: train model on data", argument: "operand0")
        }
        guard case .string(let prompt) = invocation.operands[1] else {
            throw HostError("generate needs a prompt in quotes, got \(invocation.operands[1].typeName)", hint: "e.g. generate model from \"the movie\"", argument: "operand1")
        }
        guard !prompt.isEmpty else {
            throw HostError("the prompt is empty; the model needs at least one character to continue", hint: "e.g. generate model from \"the \"", argument: "operand1")
        }
        let ids: [Int32]
        do { ids = try characters.encode(prompt) } catch { throw HostError(error.message, hint: error.hint, argument: "operand1") }
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
        guard let value = invocation.clauses["tokens"] else { return 200 }
        guard case .number(let number) = value, number == number.rounded(), number >= 0, number <= 100_000 else {
            throw HostError("tokens must be a whole number from 0 to 100,000, got \(value.quotedDescription)",
                            hint: "e.g. tokens 200 (one token is one character)", argument: "tokens")
        }
        return Int(number)
    }

    private static func samplingSettings(_ invocation: CommandInvocation) throws -> SamplingSettings {
        var settings = SamplingSettings()
        if let value = invocation.clauses["temperature"] {
            guard case .number(let number) = value, number >= 0, number.isFinite, number <= 100 else {
                throw HostError("temperature must be a number from 0 (always the likeliest character) to 100, got \(value.quotedDescription)",
                                hint: "0.8 is a common choice; 1 samples the model's own probabilities", argument: "temperature")
            }
            settings.temperature = Float(number)
        }
        if let value = invocation.clauses["top_k"] {
            guard case .number(let number) = value, number == number.rounded(), number >= 1, number < 1e9 else {
                throw HostError("top_k must be a whole number of at least 1, got \(value.quotedDescription)",
                                hint: "e.g. top_k 20 draws only among the 20 likeliest characters", argument: "top_k")
            }
            settings.topK = Int(number)
        }
        return settings
    }
}
