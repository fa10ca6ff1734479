import Builtins
import Diagnostics
import Display
import Foundation
import Language
import Testing

/// `text(…)`, `generate` and the language-model lines of `train` and `evaluate`, through the
/// language, with every class of bad input the issue names.
@Suite(.serialized) struct LanguageModelCommandTests {
    static let corpus: String = {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("tensorbook-cycle-\(getpid()).txt")
        try! String(repeating: "the cat sat on the mat. ", count: 40).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    /// Runs `source` in a fresh session; returns the plain output and the diagnostics.
    func run(_ source: String) -> (output: String, sink: CollectingSink, diagnostics: [Diagnostic]) {
        let sink = CollectingSink()
        let session = Session(registry: Builtins.makeRegistry(), sink: sink, seed: 0)
        let diagnostics = session.run(SourceFile(name: "t.tb", text: source))
        return (sink.plainText(), sink, diagnostics)
    }

    @Test func trainEvaluateAndGenerateOnAText() throws {
        let script = """
            data = text("\(Self.corpus)", context: 16)
            data
            model = gpt(vocab: data.vocab, context: 16, layers: 1, heads: 2, embed: 32)
            h = train model on data epochs 30 batch 8 lr 0.01 optimizer adamw
            evaluate model on data
            sample = generate model from "the cat" tokens 17 temperature 0.5
            print len(sample)
            """
        let (output, sink, diagnostics) = run(script)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(output.contains("cycle-\(getpid()): 53 train + 5 validation windows of 16 characters, next-character targets, 11 in the vocabulary"), "\(output)")
        #expect(output.contains("epoch 30/30  loss 0.") && output.contains("perplexity 1."), "\(output)")
        #expect(output.contains("nats/char = ") && output.contains("bits/char  perplexity 1."), "\(output)")
        // The sample is streamed piece by piece, and recorded as one line: prompt then 17 characters.
        let pieces = sink.values.filter { if case .stream = $0 { true } else { false } }
        #expect(pieces.count == 19)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let sample = try #require(lines.firstIndex { $0.hasPrefix("the cat") })
        #expect(lines[sample].count == 24 && lines[sample + 1] == "24", "\(output)")
        // Same seed, same sample.
        #expect(run(script).output == output)
    }

    @Test func generateBeforeTrainingUsesTheVocabularyTheModelWasBuiltWith() {
        let (output, _, diagnostics) = run("""
            data = text("\(Self.corpus)", context: 16)
            model = gpt(vocab: data.vocab, context: 16, layers: 1, heads: 1, embed: 8)
            generate model from "a" tokens 5
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(output.count == 6 && output.hasPrefix("a"), "\(output)")
    }

    @Test(arguments: [
        ("model = mlp(4, 2)\ngenerate model from \"the\"", "generate samples from a language model"),
        ("model = gpt(vocab: 12, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"the\"", "has not seen a text"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"the dog\"",
         "2 characters 'd' (U+0064), 'g' (U+0067) never occurred in the training text"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"\"", "the prompt is empty"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"the\" temperature -1",
         "temperature must be a number from 0"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"the\" top_k 0",
         "top_k must be a whole number of at least 1"),
        ("data = text(\"CORPUS\", level: \"word\")", "level \"word\" is not supported"),
        ("data = text(\"CORPUS\", context: 32)\nmodel = gpt(vocab: data.vocab, context: 16, layers: 1, heads: 1, embed: 8)\ntrain model on data", "context"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 3, embed: 8)", "heads"),
        ("data = text(\"CORPUS\", context: 8)\ntrain mlp(8, 4) on data", "the model must output [8, 11] logits per window"),
        ("data = text(\"/no/such/file.txt\")", "no file at '/no/such/file.txt'"),
    ])
    func badInputIsAClearErrorAndTheSessionGoesOn(_ source: String, _ fragment: String) {
        let sink = CollectingSink()
        let session = Session(registry: Builtins.makeRegistry(), sink: sink, seed: 0)
        let diagnostics = session.run(SourceFile(name: "t.tb", text: source.replacingOccurrences(of: "CORPUS", with: Self.corpus)))
        #expect(diagnostics.count == 1 && diagnostics[0].description.contains(fragment), "\(diagnostics.map(\.description))")
        #expect(diagnostics.first?.hint != nil, "\(diagnostics.map(\.description))")
        #expect(session.run(SourceFile(name: "next.tb", text: "print \"alive\"")).isEmpty && sink.plainText().hasSuffix("alive"))
    }
}
