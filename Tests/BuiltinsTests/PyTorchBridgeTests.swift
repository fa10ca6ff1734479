import Builtins
import Diagnostics
import Display
import Foundation
import Language
import NeuralNetworks
import TensorEngine
import Testing

/// Issue 13: checkpoints that resume exactly, weights that come back from PyTorch, and `export`.
/// (The PyTorch side — the exported script's logits, torchrun, weights trained there — is
/// Tests/Bridge/test_bridge.py, which `make test` runs with PyTorch from PyPI.)
@Suite(.serialized) struct PyTorchBridgeTests {
    let folder: String = {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("tensorbook-bridge-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func file(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Runs statements in a new session (a new process would start the same way) and returns its output.
    @discardableResult
    func run(_ statements: String, seed: UInt64 = 0, expectingError: Bool = false) -> String {
        let sink = CollectingSink()
        let session = Session(registry: Builtins.makeRegistry(), sink: sink, seed: seed)
        let diagnostics = session.run(SourceFile(name: "bridge.tb", text: statements))
        let errors = diagnostics.map { $0.message + " " + ($0.hint ?? "") }.joined(separator: "\n")
        #expect(diagnostics.isEmpty != expectingError, "\(errors)")
        return sink.plainText() + errors
    }

    /// Every parameter of the model saved at `path`, by name.
    func parameters(_ path: String) throws -> [String: [Float]] {
        let file = try SafetensorsFile(path: path)
        var result: [String: [Float]] = [:]
        for key in file.entries.keys where !key.hasPrefix(Safetensors.checkpointPrefix) { result[key] = try file.tensor(key).scalars }
        return result
    }

    static let resumable: [(model: String, clauses: String)] = [
        // Dropout draws from the random generator each batch: the checkpoint must carry it.
        ("sequential(flatten, linear(784, 32), relu, dropout(0.25), linear(32, 10))", ""),
        ("sequential(flatten, linear(784, 32), relu, linear(32, 10))", "optimizer sgd lr 0.05 momentum 0.9"),
    ]

    @Test(arguments: resumable.indices)
    func oneEpochSaveLoadOneEpochEqualsTwoEpochsBitForBit(_ index: Int) throws {
        let (model, clauses) = Self.resumable[index]
        let data = "mnist.train[0:640]"
        run("""
            m = \(model)
            train m on \(data) batch 32 \(clauses)
            save m to "\(file("checkpoint.safetensors"))" with optimizer
            """, seed: 7)
        // Another seed, so only the checkpoint's random state can make the second epoch match.
        let resumed = run("""
            m = load "\(file("checkpoint.safetensors"))"
            train m on \(data) batch 32 \(clauses)
            save m to "\(file("resumed.safetensors"))"
            """, seed: 12345)
        #expect(resumed.contains("after 20 steps and the random state of the save"), "\(resumed)")
        run("""
            m = \(model)
            train m on \(data) batch 32 epochs 2 \(clauses)
            save m to "\(file("straight.safetensors"))"
            """, seed: 7)
        let (split, straight) = (try parameters(file("resumed.safetensors")), try parameters(file("straight.safetensors")))
        #expect(split.keys.sorted() == straight.keys.sorted() && !split.isEmpty)
        for (name, values) in straight {
            #expect(split[name] == values, "\(name) differs after resuming")
        }
        // Without the optimizer the second epoch starts Adam afresh: not the same weights.
        run("""
            m = \(model)
            train m on \(data) batch 32 \(clauses)
            save m to "\(file("plain.safetensors"))"
            m = load "\(file("plain.safetensors"))"
            train m on \(data) batch 32 \(clauses)
            save m to "\(file("restarted.safetensors"))"
            """, seed: 7)
        #expect(try parameters(file("restarted.safetensors")) != straight)
    }

    @Test func weightsLoadIntoABuiltModelAndMismatchesNameTheTensor() throws {
        run("""
            m = mlp(4, 8, 3)
            save m to "\(file("mlp.safetensors"))"
            """, seed: 1)
        let loaded = run("""
            m = mlp(4, 8, 3)
            load "\(file("mlp.safetensors"))" into m
            save m to "\(file("copy.safetensors"))"
            """, seed: 2)
        #expect(loaded.contains("loaded 4 tensors (67 parameters)"), "\(loaded)")
        #expect(try parameters(file("copy.safetensors")) == (try parameters(file("mlp.safetensors"))))

        // A PyTorch file: no tensorbook metadata, names from a DistributedDataParallel wrapper.
        let weights = try parameters(file("mlp.safetensors"))
        let shapes = ["0.weight": [8, 4], "0.bias": [8], "2.weight": [3, 8], "2.bias": [3]]
        func write(_ name: String, _ rename: (String) -> String, shape: (String) -> [Int] = { shapes[$0]! }) throws {
            let tensors = try weights.keys.sorted().map { key in (rename(key), try Tensor(shape: Shape(shape(key)), scalars: weights[key]!)) }
            try SafetensorsFile.write(tensors.map { (name: $0.0, tensor: $0.1) }, metadata: ["format": "pt"], to: file(name))
        }
        try write("ddp.safetensors") { "module." + $0 }
        #expect(run("m = mlp(4, 8, 3)\nload \"\(file("ddp.safetensors"))\" into m").contains("loaded 4 tensors"))

        // Mismatches: each names the tensor and both shapes, and the model keeps its weights.
        try write("renamed.safetensors") { $0 == "2.weight" ? "fc.weight" : $0 }
        try write("wide.safetensors", { $0 }, shape: { $0 == "0.bias" ? [2, 4] : shapes[$0]! })
        let cases: [(file: String, expected: String)] = [
            ("renamed.safetensors", "has no tensor '2.weight' ([3, 8]), which this model needs"),
            ("wide.safetensors", "tensor '0.bias' in"),
        ]
        for (name, expected) in cases {
            let output = run("""
                m = mlp(4, 8, 3)
                save m to "\(file("before.safetensors"))"
                load "\(file(name))" into m
                """, seed: 3, expectingError: true)
            #expect(output.contains(expected), "\(output)")
            run("""
                m = mlp(4, 8, 3)
                save m to "\(file("after.safetensors"))"
                """, seed: 3)
            #expect(try parameters(file("after.safetensors")) == (try parameters(file("before.safetensors"))))
        }
        let shape = run("m = mlp(4, 9, 3)\nload \"\(file("mlp.safetensors"))\" into m", expectingError: true)
        #expect(shape.contains("tensor '0.weight' in") && shape.contains("has shape [8, 4]; this model's '0.weight' has [9, 4]"), "\(shape)")
        let extra = run("m = mlp(4, 8)\nm2 = sequential(linear(4, 8))\nload \"\(file("mlp.safetensors"))\" into m2", expectingError: true)
        #expect(extra.contains("has a tensor '2.bias' that this model has no place for"), "\(extra)")
        let notModel = run("load \"\(file("mlp.safetensors"))\" into 3", expectingError: true)
        #expect(notModel.contains("load … into needs a model, got number"), "\(notModel)")
        let plain = run("m = load \"\(file("ddp.safetensors"))\"", expectingError: true)
        #expect(plain.contains("no tensorbook architecture") && plain.contains("into model"), "\(plain)")
    }

    /// save and export replace only files tensorbook wrote, unless told overwrite (issue 33, item 8).
    @Test func aFileTensorbookDidNotWriteIsReplacedOnlyWithOverwrite() throws {
        try "print('my own script')\n".write(toFile: file("mine.py"), atomically: true, encoding: .utf8)
        try "not ours".write(toFile: file("theirs.safetensors"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: file("link.safetensors"), withDestinationPath: file("mine.py"))
        for statement in ["export m to \"\(file("mine.py"))\"", "save m to \"\(file("theirs.safetensors"))\"",
                          "save m to \"\(file("link.safetensors"))\"", "save tensor([1.0]) to \"\(file("theirs.safetensors"))\""] {
            let refused = run("m = mlp(2, 3)\n" + statement, expectingError: true)
            #expect(refused.contains("exists and was not written by tensorbook, so it is left as it is") && refused.contains("overwrite"), "\(refused)")
        }
        #expect(try String(contentsOfFile: file("mine.py"), encoding: .utf8) == "print('my own script')\n")
        run("""
            m = mlp(2, 3)
            save m to "\(file("theirs.safetensors"))" overwrite
            save m to "\(file("theirs.safetensors"))"
            save tensor([1.0]) to "\(file("t.safetensors"))"
            save tensor([2.0]) to "\(file("t.safetensors"))"
            export m to "\(file("mine.py"))" overwrite
            export m to "\(file("mine.py"))"
            """)
        #expect(try String(contentsOfFile: file("mine.py"), encoding: .utf8).contains("written by tensorbook's `export`"))
    }

    @Test func exportWritesAScriptEvenForAnUntrainedModelAndSaysSo() throws {
        let output = run("""
            m = lenet()
            export m to "\(file("lenet.py"))"
            """)
        #expect(output.contains("never trained here") && output.contains("uses the defaults"), "\(output)")
        let script = try String(contentsOfFile: file("lenet.py"), encoding: .utf8)
        #expect(script.contains("nn.Conv2d(6, 16, 5),  # (3) conv2d(6, 16, 5)"))
        #expect(script.contains("Never trained in tensorbook"))
        #expect(script.contains("raise SystemExit(\"load_data: no dataset recorded"))
        #expect(run("export lenet() to \"\(file("x.txt"))\"", expectingError: true).contains("must end in .py"))
        #expect(run("save lenet() to \"\(file("x.safetensors"))\" with optimizer", expectingError: true).contains("has no optimizer yet"))
    }

    @Test func exportOfATrainedModelRecordsItsTraining() throws {
        run("""
            m = sequential(flatten, linear(784, 10))
            train m on mnist.train[0:256] batch 32 lr 0.01 optimizer sgd momentum 0.5
            export m to "\(file("linear.py"))"
            """)
        let script = try String(contentsOfFile: file("linear.py"), encoding: .utf8)
        #expect(script.contains("EPOCHS, BATCH, LR = 1, 32, 0.01"))
        #expect(script.contains("torch.optim.SGD(parameters, lr=lr, momentum=0.5)"))
        #expect(script.contains("TRAIN_EXAMPLES = range(0, 256)  # mnist.train[0:256]"))
        #expect(script.contains("TEST_EXAMPLES = None"))
        #expect(script.contains("LOSS = nn.CrossEntropyLoss()"))
    }
}
