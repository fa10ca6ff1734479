import Builtins
import Diagnostics
import Display
import Foundation
import Kernels
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

    @Test func showingATextShowsItsWindowsAsCharactersEvenWhenTheyAreShort() {
        let (output, _, diagnostics) = run("show text(\"\(Self.corpus)\", context: 4)")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(output.contains("target (the next characters)") && output.contains("     0  the    he c\n     1  cat    at s"), "\(output)")
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

    @Test func attentionPicturesStepNarrationAndTheScaleEstimate() throws {
        let (output, sink, diagnostics) = run("""
            data = text("\(Self.corpus)", context: 16)
            model = gpt(vocab: data.vocab, context: 16, layers: 2, heads: 2, embed: 16)
            a = attention model on "the mat"
            len(a.weights)
            a.weights[0].shape
            show attention model on "the cat"
            step model on data batch 4
            estimate model tokens 1e6
            estimate gpt(vocab: 117, context: 64, layers: 4, heads: 4, embed: 128) tokens 1e6
            causal_mask(3)
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        // Two blocks × two heads: four pictures of 7×7 weights, enlarged to at least 32 pixels.
        let strips = sink.values.compactMap { if case .images(let strip) = $0 { strip } else { nil } }
        #expect(strips.count == 1 && strips[0].images.count == 4 && strips[0].images[0].width == 35)
        #expect(strips[0].images.map(\.caption) == ["block 1 head 1", "block 1 head 2", "block 2 head 1", "block 2 head 2"])
        // Row 0 reads only itself: its first cell is white, the rest of the row black (the mask).
        #expect(strips[0].images[0].pixels[0] == 255 && strips[0].images[0].pixels[34] == 0)
        #expect(output.contains("2\n[1, 2, 7, 7]"), "\(output)")
        #expect(output.contains("2b. attention in block 1, head 1, for the first window"), "\(output)")
        #expect(output.contains("the next character is") && output.contains("five likeliest next characters"), "\(output)")
        // The estimate prices at the machine's peak when timings are off, so its numbers are the same everywhere.
        #expect(output.contains("≈ 6 · N · D = 6 × 831,488 × 1×10⁶ = 4.989×10¹² FLOPs"), "\(output)")
        #expect(output.contains("GPT-3             175 B   300 B       3.14×10²³  18,495 years      4.9 GWh"), "\(output)")
        #expect(output.contains("Brown et al. 2020"))
        #expect(output.contains("[0., -inf, -inf]"), "\(output)")
    }

    /// Untimed, the estimate prices time and energy at the reference laptop (538 GFLOP/s, 2 cores ×
    /// 15 W) whatever this machine's cores: it used to multiply by the thread count, so a notebook
    /// recorded here read 60 W on a 4-core machine (and this suite failed when a parallel test
    /// had lowered the thread count).
    @Test func theUntimedEstimateDoesNotDependOnTheThreadCount() {
        let saved = Parallel.threadCount
        Parallel.threadCount = 1
        defer { Parallel.threadCount = saved }
        let (output, _, diagnostics) = run("estimate gpt(vocab: 117, context: 64, layers: 4, heads: 4, embed: 128) tokens 1e6")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(output.contains("a laptop CPU's peak (no real run gets all of it; with --time or at the prompt the rate is measured here), 30 W:"),
                "\(output)")
        #expect(output.contains("GPT-3             175 B   300 B       3.14×10²³  18,495 years      4.9 GWh"), "\(output)")
    }

    @Test(arguments: [
        ("model = mlp(4, 2)\ngenerate model from \"the\"", "generate needs a language model"),
        ("model = gpt(vocab: 12, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"the\"", "has not seen a text"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"the dog\"",
         "2 characters 'd' (U+0064), 'g' (U+0067) never occurred in the training text"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"\"", "the text is empty"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"the\" temperature -1",
         "temperature must be a number from 0"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\ngenerate model from \"the\" top_k 0",
         "top_k must be a whole number of at least 1"),
        ("data = text(\"CORPUS\", level: \"word\")", "level \"word\" is not supported"),
        ("data = text(\"CORPUS\", context: 32)\nmodel = gpt(vocab: data.vocab, context: 16, layers: 1, heads: 1, embed: 8)\ntrain model on data", "context"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 3, embed: 8)", "heads"),
        ("data = text(\"CORPUS\", context: 8)\ntrain mlp(8, 4) on data", "the model must output [8, 11] logits per window"),
        ("data = text(\"/no/such/file.txt\")", "no file at '/no/such/file.txt'"),
        ("data = text(\"CORPUS\", context: 8)\nmodel = gpt(vocab: data.vocab, context: 8, layers: 1, heads: 1, embed: 8)\nattention model on \"the cat sat on\"",
         "the text has 14 characters but the model reads at most 8"),
        ("model = mlp(4, 2)\nattention model on \"the\"", "attention needs a language model"),
        ("estimate mlp(4, 2) tokens 10", "estimate prices a language model"),
        ("estimate gpt(vocab: 5, context: 4, layers: 1, heads: 1, embed: 4) tokens -3", "tokens must be a number from 1"),
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
