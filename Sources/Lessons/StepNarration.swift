import Datasets
import Display
import NeuralNetworks
import TensorEngine
import Training

/// `step model on data`: one real training step told as it happened, number by number.
public enum StepNarration {
    /// The narration of a recorded step; `verbose` prints every number of the forward and
    /// backward pass (meant for tiny networks such as mlp(2, 2, 1) on xor). With `characters`
    /// (a language model on text) the batch, the loss and one head's attention are told in
    /// characters.
    public static func narrate(_ step: RecordedStep, modelName: String, dataName: String, verbose: Bool,
                               characters: CharacterVocabulary? = nil) -> [DisplayValue] {
        var shown: [DisplayValue] = [
            .text("one training step of \(modelName) on \(dataName): \(step.optimizer), update number \(step.optimizerStep)"),
            .text(characters.map { textBatchSection(step, $0) } ?? batchSection(step)),
            .table(layerTable(step)),
        ]
        if let characters, let first = step.attentionOfFirstExample.first {
            let labels = AttentionPatterns.labels(step.inputs.scalars.prefix(first.weights.shape[3]).map { Int32($0) }, characters)
            shown.append(.table(AttentionPatterns.table(first.weights, head: 0, labels: labels, title:
                "2b. attention in block 1, head 1, for the first window (first 8 positions): row i holds how much position i reads each position 0…i; each row sums to 1")))
        }
        if verbose { shown.append(.text(verboseForward(step))) }
        shown.append(.text(characters.map { textLossSection(step, $0) } ?? lossSection(step)))
        shown.append(.table(gradientTable(step)))
        if verbose { shown.append(.text(verboseBackward(step))) }
        shown.append(.text(updateSection(step)))
        return shown
    }

    static func batchSection(_ step: RecordedStep) -> String {
        let targets = step.targets.scalars.prefix(12).map { Number.text($0) }.joined(separator: " ")
        let more = step.targets.elementCount > 12 ? " …" : ""
        return "1. the batch: inputs \(step.inputs.shape), targets \(step.targets.shape): \(targets)\(more)"
    }

    static func textBatchSection(_ step: RecordedStep, _ characters: CharacterVocabulary) -> String {
        let (windows, length) = (step.inputs.shape[0], step.inputs.shape[1])
        let input = characters.decode(step.inputs.scalars.prefix(length).map { Int32($0) })
        let target = characters.decode(step.targets.scalars.prefix(length).map { Int32($0) })
        return "1. the batch: \(windows) windows of \(length) characters; at every position the target is the next character\n"
            + "   first window: \(quoted(input))\n   its targets:  \(quoted(target))"
    }

    /// The loss at the first window's last position, where the model has the most to read.
    static func textLossSection(_ step: RecordedStep, _ characters: CharacterVocabulary) -> String {
        guard let output = step.layers.last?.output, output.rank == 3 else { return lossSection(step) }
        let (windows, length, classes) = (output.shape[0], output.shape[1], output.shape[2])
        let z = Array(output.scalars[((length - 1) * classes)..<(length * classes)])
        let p = (try? Tensor(z).softmax().scalars) ?? []
        let target = Int(step.targets.scalars[length - 1])
        let context = characters.decode(step.inputs.scalars.prefix(length).suffix(12).map { Int32($0) })
        let likeliest = p.indices.sorted { p[$0] > p[$1] }.prefix(5).map { "\(AttentionPatterns.label(characters.decode([Int32($0)]))) \(Format.percent(p[$0]))" }
        var lines = ["3. the loss: \(step.loss.rawValue) = \(Number.text(step.lossValue)), the mean over \(windows) windows × \(length) positions",
                     "   at the first window's last position, after \(quoted("…" + context)), the next character is \(AttentionPatterns.label(characters.decode([Int32(target)]))) (id \(target))",
                     "   the model's five likeliest next characters: \(likeliest.joined(separator: ", "))"]
        if p.indices.contains(target) {
            lines.append("   p(\(AttentionPatterns.label(characters.decode([Int32(target)])))) = \(Number.text(p[target])), so this position's loss is −log p = \(Number.text(-logf(p[target])))")
        }
        return lines.joined(separator: "\n")
    }

    /// Text in quotes with line breaks shown as ⏎.
    static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\n", with: "⏎") + "\"" }

    static func layerTable(_ step: RecordedStep) -> Table {
        let rows = step.layers.enumerated().map { index, layer -> [String] in
            let values = layer.output.scalars
            let mean = values.reduce(0, +) / Float(max(values.count, 1))
            let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(max(values.count, 1))).squareRoot()
            let zeros = layer.kind == "relu" ? Format.percent(Float(values.filter { $0 == 0 }.count) / Float(max(values.count, 1))) : ""
            return ["\(index + 1)", layer.layer, Shape(Array(layer.output.shape.dimensions.dropFirst())).compactDescription,
                    layer.output.shape.compactDescription, Number.text(mean), Number.text(std), zeros]
        }
        let examples = step.inputs.rank > 0 ? step.inputs.shape[0] : 1
        return Table(title: "2. forward pass: each layer's output for one example and for the batch; mean, std and zeros over all \(examples) examples",
                     headers: ["#", "layer", "one example", "batch", "mean", "std", "zeros"], rows: rows,
                     alignments: [.right, .left, .right, .right, .right, .right, .right])
    }

    static func lossSection(_ step: RecordedStep) -> String {
        guard let output = step.layers.last?.output else { return "" }
        let width = output.elementCount / max(output.shape[0], 1)
        let z = Array(output.scalars.prefix(width)), target = step.targets.scalars[0]
        var lines = ["3. the loss: \(step.loss.rawValue) = \(Number.text(step.lossValue)) (the mean over the \(output.shape[0]) examples)",
                     "   for the first example:"]
        switch step.loss {
        case .crossEntropy:
            let p = (try? Tensor(z).softmax().scalars) ?? []
            let t = Int(target)
            lines.append("   scores z = \(Number.list(z, digits: 3)), true class \(t)")
            lines.append("   p = softmax(z) = \(Number.list(p, digits: 3))")
            if p.indices.contains(t) { lines.append("   −log p\(subscriptDigits(t)) = −log \(Number.text(p[t])) = \(Number.text(-logf(p[t])))") }
        case .binaryCrossEntropy:
            let probability = 1 / (1 + expf(-z[0]))
            lines.append("   logit z = \(Number.text(z[0])), σ(z) = \(Number.text(probability)), label y = \(Number.text(target))")
            lines.append("   −[y·log σ(z) + (1 − y)·log(1 − σ(z))] = \(Number.text(target == 1 ? -logf(probability) : -logf(1 - probability)))")
        case .meanSquaredError:
            lines.append("   ŷ = \(Number.text(z[0])), y = \(Number.text(target)), (ŷ − y)² = \(Number.text((z[0] - target) * (z[0] - target)))")
        }
        return lines.joined(separator: "\n")
    }

    static func gradientTable(_ step: RecordedStep) -> Table {
        let rows = step.parameters.map { record in
            [record.name, record.before.shape.compactDescription, Number.text(norm(record.gradient)), Number.text(norm(record.before))]
        }
        return Table(title: "4. backward pass: the gradient of the loss for every parameter tensor",
                     headers: ["parameter", "shape", "‖∂L/∂θ‖", "‖θ‖"], rows: rows)
    }

    /// The optimizer's arithmetic for the weight with the largest gradient in the first tensor.
    static func updateSection(_ step: RecordedStep) -> String {
        guard let record = step.parameters.first(where: { $0.gradient.elementCount > 0 }) else { return "5. no parameters to update" }
        let gradients = record.gradient.scalars
        let index = gradients.indices.max { abs(gradients[$0]) < abs(gradients[$1]) } ?? 0
        let position = multiIndex(index, record.before.shape)
        let (g, before, after) = (gradients[index], record.before.scalars[index], record.after.scalars[index])
        var lines = ["5. the update, for one real weight: \(record.name)\(position), the one with the largest gradient in that tensor",
                     "   (its change is the easiest to see; every other weight follows the same formula with its own g)"]
        let t = step.optimizerStep, lr = step.learningRate
        if let m = record.stateAfter["m"]?.scalars[index], let v = record.stateAfter["v"]?.scalars[index] {
            let m0 = record.stateBefore["m"]?.scalars[index] ?? 0, v0 = record.stateBefore["v"]?.scalars[index] ?? 0
            let mHat = m / (1 - powf(0.9, Float(t))), vHat = v / (1 - powf(0.999, Float(t)))
            lines += ["   g  = \(Number.precise(g))",
                      "   m  = 0.9·\(Number.precise(m0)) + 0.1·g = \(Number.precise(m))",
                      "   v  = 0.999·\(Number.precise(v0)) + 0.001·g² = \(Number.precise(v))",
                      "   m̂  = m / (1 − 0.9^\(t)) = \(Number.precise(mHat))",
                      "   v̂  = v / (1 − 0.999^\(t)) = \(Number.precise(vHat))",
                      "   Δw = −\(Number.precise(lr))·m̂ / (√v̂ + 1e-8) = \(Number.precise(after - before))"]
            if t == 1 {
                lines.append("   on the first step m̂ = g and v̂ = g², so Δw = −lr·g/(|g| + ε) ≈ −lr·sign(g): every weight with a gradient moves by about lr = \(Number.precise(lr))")
            }
        } else if let velocity = record.stateAfter["momentum"]?.scalars[index] {
            lines += ["   g = \(Number.precise(g)),  velocity v = \(Number.precise(velocity)),  Δw = −\(Number.precise(lr))·v = \(Number.precise(after - before))"]
        } else {
            lines += ["   g = \(Number.precise(g)),  Δw = −\(Number.precise(lr))·g = \(Number.precise(after - before))"]
        }
        lines.append("   w: \(Number.precise(before)) → \(Number.precise(after))")
        return lines.joined(separator: "\n")
    }

    static func verboseForward(_ step: RecordedStep) -> String {
        var lines = ["   every number of the forward pass:", "   inputs = \(TensorText.compact(step.inputs))"]
        for (index, layer) in step.layers.enumerated() { lines.append("   \(index + 1) \(layer.layer) → \(TensorText.compact(layer.output))") }
        return lines.joined(separator: "\n")
    }

    static func verboseBackward(_ step: RecordedStep) -> String {
        var lines = ["   every number of the backward pass (∂L/∂θ), with the weights before and after:"]
        for record in step.parameters {
            lines.append("   \(record.name): w = \(TensorText.compact(record.before))")
            lines.append("   \(String(repeating: " ", count: record.name.count))  ∂L/∂w = \(TensorText.compact(record.gradient))")
            lines.append("   \(String(repeating: " ", count: record.name.count))  after = \(TensorText.compact(record.after))")
        }
        return lines.joined(separator: "\n")
    }

    static func norm(_ tensor: Tensor) -> Float { tensor.scalars.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    static func multiIndex(_ flat: Int, _ shape: Shape) -> String {
        var remainder = flat, indices: [Int] = []
        for axis in stride(from: shape.rank - 1, through: 0, by: -1) {
            indices.insert(remainder % shape[axis], at: 0)
            remainder /= shape[axis]
        }
        return "[" + indices.map(String.init).joined(separator: ", ") + "]"
    }

    static func subscriptDigits(_ value: Int) -> String {
        String(String(value).map { Character(UnicodeScalar(0x2080 + ($0.wholeNumberValue ?? 0))!) })
    }
}

/// Tensors as nested lists on one line (rows separated by "; "), for verbose narration.
enum TensorText {
    static func compact(_ tensor: Tensor) -> String {
        let values = tensor.scalars
        let width = tensor.rank > 1 ? tensor.shape[tensor.rank - 1] : max(values.count, 1)
        let rows = values.chunks(width).map { Number.list($0, digits: 4) }
        return rows.count <= 1 ? (rows.first ?? "[]") : rows.joined(separator: "; ")
    }
}

/// Percentages like the rest of the output.
enum Format {
    static func percent(_ value: Float) -> String { Progress.format(value * 100, digits: 1) + "%" }
}

#if canImport(Glibc)
import Glibc
#endif
