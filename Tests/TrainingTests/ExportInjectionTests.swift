import Datasets
import Foundation
import NeuralNetworks
import TensorEngine
import TestSupport
import Testing
@testable import Training

/// A checkpoint's metadata is text anyone can edit, and `export` writes it into a Python program:
/// nothing in it may become code (issue 33, item 1).
@Suite struct ExportInjectionTests {
    /// Strings that try every way out of a literal, a comment and a docstring.
    static let hostile = [
        "train\"], 0; __import__(\"os\").system(\"id\") #",
        "a\nimport os; os.system('id')",
        "x\"\"\"; __import__('os').system('id'); \"\"\"",
        "back\\", "back\\\"; print(1) #", "cr\rimport os", "nul\0byte", "line\u{2028}separator", "tab\tand\u{1B}[31mescape",
        "'''", "\"", "é ∑ 😀", "",
    ]

    @Test(arguments: hostile) func everyStringComesBackAsItselfAndNothingElse(_ text: String) throws {
        let literal = PythonText.literal(text)
        let comment = "x = 1  # " + PythonText.comment(text)
        let docstring = "\"\"\"" + PythonText.docstring(text) + "\"\"\""
        let check = """
            import ast, sys
            text, literal, comment, docstring = (sys.argv[i].encode("utf-8", "surrogatepass").decode("utf-8") for i in (1, 2, 3, 4))
            assert ast.literal_eval(literal) == text, ("literal", literal)
            assert ast.literal_eval(docstring) == text, ("docstring", docstring)
            body = ast.parse(comment).body
            assert len(body) == 1 and isinstance(body[0], ast.Assign), ("comment", comment)
            print("ok")
            """
        #expect(!PythonText.literal("a\0b").contains("\0") && PythonText.literal("a\0b") == "\"a\\x00b\"")
        guard !text.contains("\0") else { return }  // argv cannot carry a NUL: checked above
        let result = try python(check, arguments: [text, literal, comment, docstring])
        #expect(result == "ok\n", "\(result)")
    }

    @Test func nonFiniteNumbersAreFloatCalls() {
        #expect(PythonText.number(0.001) == "0.001")
        #expect(PythonText.number(.nan) == "float(\"nan\")")
        #expect(PythonText.number(-.infinity) == "float(\"-inf\")")
    }

    /// A recipe whose every free-text field (paths, label, names) is hostile exports a script with the
    /// same code as a plain one: only string constants differ.
    @Test func aHostileRecipeExportsTheSameCodeAsAPlainOne() throws {
        let model = try Sequential([Linear(inputSize: 3, outputSize: 2)], inputShape: Shape([3]))
        func script(_ text: String, name: String) throws -> String {
            let data = DataReference(source: .csv(path: "/data/" + text, label: text), split: "train", start: 0, end: 10, name: text)
            let recipe = TrainingRecipe(optimizer: "sgd", learningRate: 0.5, momentum: 0.25, batchSize: 4, epochs: 2, loss: "cross_entropy",
                                        data: data, evaluationData: data)
            return try PyTorchExport(model: model, recipe: recipe, trained: true, scriptPath: "/tmp/\(name).py", workingDirectory: "/tmp").script()
        }
        let plain = try script("plain", name: "plain")
        let compare = """
            import ast, sys
            class Blank(ast.NodeTransformer):
                def visit_Constant(self, node):
                    return ast.Constant("") if isinstance(node.value, str) else node
            def code(path):
                return ast.dump(Blank().visit(ast.parse(open(path, encoding="utf-8").read())))
            print("same" if code(sys.argv[1]) == code(sys.argv[2]) else "different")
            """
        let plainPath = temporaryPath("plain.py")
        try plain.write(toFile: plainPath, atomically: true, encoding: .utf8)
        for (index, text) in Self.hostile.enumerated() where !text.contains("\0") {
            let hostilePath = temporaryPath("hostile\(index).py")
            defer { try? FileManager.default.removeItem(atPath: hostilePath) }
            try script(text, name: "m\"\"\"\(index)").write(toFile: hostilePath, atomically: true, encoding: .utf8)
            #expect(try python(compare, arguments: [plainPath, hostilePath]) == "same\n", "\(text.debugDescription)")
        }
    }

    /// Each field `train` could not have written is refused when the checkpoint is read, naming it.
    @Test(arguments: [
        ("optimizer", "optimizer 'adam\")\\nimport os' is not one of adam, adamw, sgd"),
        ("loss", "loss 'mse  # x\\nimport os' is not one of"),
        ("split", "split 'train\"], 0; import os #' is not one of train, test, validation"),
        ("lr", "lr -1e+30 is not a positive number"),
        ("epochs", "epochs -1 is not a whole number"),
        ("momentum", "momentum 1.5 is not in [0, 1)"),
        ("batch", "batch 0 is not a whole number"),
        ("range", "examples 5..<2 are not a range"),
        ("name", "name is not a dataset's name"),
    ]) func aTamperedRecipeIsRefusedWhenRead(field: String, message: String) throws {
        let model = try Sequential([Linear(inputSize: 3, outputSize: 2)], inputShape: Shape([3]))
        var data = DataReference(source: .mnist, split: "train", start: 0, end: 10, name: "mnist.train[0:10]")
        var recipe = TrainingRecipe(optimizer: "adam", learningRate: 0.001, momentum: 0, batchSize: 4, epochs: 1, loss: "mse", data: nil, evaluationData: nil)
        switch field {
        case "optimizer": recipe.optimizer = "adam\")\nimport os"
        case "loss": recipe.loss = "mse  # x\nimport os"
        case "split": data.split = "train\"], 0; import os #"
        case "lr": recipe.learningRate = -1e30
        case "epochs": recipe.epochs = -1
        case "momentum": recipe.momentum = 1.5
        case "batch": recipe.batchSize = 0
        case "range": (data.start, data.end) = (5, 2)
        default: data.name = "x\nimport os"
        }
        recipe.data = data
        let path = temporaryPath("tampered-\(field).safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint(model: model, recipe: recipe).save(to: path)
        #expect(throws: ModelError.self) { try Checkpoint.load(from: path) }
        do { _ = try Checkpoint.load(from: path) } catch {
            #expect(error.message.contains("a training recipe tensorbook did not write") && error.message.contains(message), "\(error.message)")
            #expect(error.hint?.contains("into model") == true)
        }
    }

    @Test func aTamperedOptimizerOrRandomStateIsRefused() throws {
        let model = try Sequential([Linear(inputSize: 3, outputSize: 2)], inputShape: Shape([3]))
        let path = temporaryPath("tampered-state.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var zero = RandomGenerator(seed: 0)
        zero.stateWords = [0, 0, 0, 0]
        try Checkpoint(model: model, optimizer: SGD(learningRate: 0.1), random: zero).save(to: path)
        #expect(message(loading: path).contains("a random generator state tensorbook did not write"))
        try Checkpoint(model: model, optimizer: SGD(learningRate: -1e30)).save(to: path)
        #expect(message(loading: path).contains("an optimizer entry tensorbook did not write: lr -1e+30 is not a positive number"))
        var fine = RandomGenerator(seed: 3)
        _ = fine.next()
        try Checkpoint(model: model, optimizer: SGD(learningRate: 0.1), random: fine).save(to: path)
        #expect(try Checkpoint.load(from: path).random?.stateWords == fine.stateWords)
    }

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tensorbook-\(getpid())-\(name)").path
    }

    private func message(loading path: String) -> String {
        do { _ = try Checkpoint.load(from: path); return "" } catch { return error.message }
    }

    private func python(_ script: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
