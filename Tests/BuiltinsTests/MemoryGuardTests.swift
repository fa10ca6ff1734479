import Builtins
import Diagnostics
import Display
import Language
import TensorEngine
import Testing

/// Sizes no machine holds are errors that name the shape and the bytes, and the session goes on
/// (issue 15: they used to end the process with "failed to allocate 4000000000000 bytes").
@Suite(.serialized) struct MemoryGuardTests {
    static let tooLarge: [(source: String, expected: String)] = [
        ("x = zeros(100000, 100000, 100)", "zeros: a tensor of shape [100000, 100000, 100] needs 3.6 TiB"),
        ("x = randn(1000000000000)", "randn: a tensor of shape [1000000000000] needs 3.6 TiB"),
        ("x = ones([100000, 100000])", "ones: a tensor of shape [100000, 100000] needs 37.3 GiB"),
        ("m = sequential(linear(10000000, 10000000))", "a parameter: a tensor of shape [10000000, 10000000] needs 363.8 TiB, more than"),
        ("l = linear(10000000, 10000000)", "needs 363.8 TiB"),
        ("x = zeros(100000, 1) * zeros(1, 100000)", "multiply: a tensor of shape [100000, 100000] needs 37.3 GiB"),
        ("x = zeros(100000, 1) @ zeros(1, 100000)", "matmul: a tensor of shape [100000, 100000] needs 37.3 GiB"),
        ("x = zeros(10000000000, 10000000000)", "multiply to more elements than any machine can hold"),
        ("x = zeros(4).reshape([10000000000, 10000000000, 0])", "multiply to far more than the 4 elements"),
        ("x = arange(1e30)", "more than 10¹⁵ numbers"),
        // Issue 33, item 3: these ended the process (a failed allocation, an overflow trap).
        ("x = random_binary(n: 1e11)", "random_binary: a tensor of shape [120000000000, 11] needs"),
        ("x = blobs(n: 1e11)", "blobs: a tensor of shape [125000000000, 3] needs"),
        ("x = spirals(n: 1e11)", "spirals: a tensor of shape [125000000000, 3] needs"),
        ("print zeros(0, 4294967296, 4294967296)", "multiply to more elements than any machine can hold"),
        // Issue 35: the tutorials' vocabulary checks its sizes too.
        ("x = linspace(0, 1, 1e12)", "linspace: a tensor of shape [1000000000000] needs"),
        ("x = one_hot(zeros(100000), 10000000)", "one_hot: a tensor of shape [100000, 10000000] needs"),
        ("x = multinomial(tensor([0.5, 0.5]), 1e12, replacement: true)", "multinomial: a tensor of shape [1000000000000] needs"),
        ("x = zeros(10, 10000000)[zeros(100000)]", "index: a tensor of shape [100000, 10000000] needs"),
        ("x = where(zeros(100000, 1), zeros(1, 100000), 0)", "where: a tensor of shape [100000, 100000] needs"),
    ]

    /// A model whose outputs are NaN or 1e30 predicts no class: confusion counts them instead of trapping on Int(nan).
    @Test(arguments: ["nan", "1e30"]) func confusionOfAModelGoneWrongSaysSo(_ scale: String) {
        let sink = CollectingSink()
        let session = Session(registry: Builtins.makeRegistry(), sink: sink, seed: 1)
        let diagnostics = session.run(SourceFile(name: "t.tb", text: """
            m = mlp(2, 1)
            d = spirals(n: 30, classes: 2)
            train m on d epochs 1 loss mse
            no_grad:
                m[0].weight *= \(scale == "nan" ? "float(\"nan\")" : scale)
            confusion m on d
            """))
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        #expect(sink.plainText().contains("0 of 7 correct (0.0%); 7 predictions were not a class index"), "\(sink.plainText())")
    }

    @Test(arguments: tooLarge.indices)
    func anAbsurdSizeIsAnErrorAndTheSessionGoesOn(_ index: Int) throws {
        let (source, expected) = Self.tooLarge[index]
        let sink = CollectingSink()
        let session = Session(registry: Builtins.makeRegistry(), sink: sink, seed: 0)
        #expect(session.run(SourceFile(name: "t.tb", text: "kept = tensor([1, 2, 3])")).isEmpty)
        let diagnostics = session.run(SourceFile(name: "t.tb", text: source))
        let message = diagnostics.first.map { $0.message + " " + ($0.hint ?? "") } ?? "no error"
        #expect(message.contains(expected), "\(message)")
        #expect(diagnostics.first?.span != nil, "the error points at the statement")
        #expect(session.run(SourceFile(name: "t.tb", text: "print kept.sum()")).isEmpty)
        #expect(sink.plainText().contains("6"))
    }

    @Test func sizesParseAndPrint() {
        #expect(MemoryBudget.parseSize("8G") == 8 << 30)
        #expect(MemoryBudget.parseSize("512m") == 512 << 20)
        #expect(MemoryBudget.parseSize("1.5 GiB") == 3 << 29)
        #expect(MemoryBudget.parseSize("4096") == 4096)
        #expect(MemoryBudget.parseSize("lots") == nil && MemoryBudget.parseSize("-1G") == nil && MemoryBudget.parseSize("1e30") == nil)
        #expect(MemoryBudget.describe(4_000_000_000_000) == "3.6 TiB")
        #expect(MemoryBudget.describe(64 << 20) == "64 MiB")
        #expect(MemoryBudget.describe(512) == "512 bytes")
        #expect(MemoryBudget.byteCount(of: [Int.max, 2]) == nil)
        #expect(MemoryBudget.byteCount(of: []) == 4)
    }
}
