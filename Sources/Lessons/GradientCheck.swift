import Datasets
import Display
import NeuralNetworks
import TensorEngine
import Training

/// `gradcheck model on data`: backpropagation against finite differences on a real model.
public enum GradientCheck {
    /// For `perTensor` elements of every parameter tensor: the analytic gradient, the central
    /// difference (L(w + ε) − L(w − ε)) / 2ε on one small batch, and their relative difference
    /// (relative to at least 1e-3, below which float32 differences are noise).
    public static func run(_ model: Sequential, on data: Dataset, loss requested: Loss?, batchSize: Int = 8, perTensor: Int = 2) throws -> [DisplayValue] {
        try model.build(for: data.exampleShape)
        let loss = try LossSelection.loss(for: model, data: data, requested: requested)
        let (inputs, targets) = try data.batch(0..<min(batchSize, data.count))
        let previousMode = model.isTraining
        model.isTraining = false
        defer { model.isTraining = previousMode }
        func value() throws -> Double { Double(try GradientMode.withoutRecording { try loss.ofBatch(try model(inputs), targets).item() }) }
        for parameter in model.parameters { parameter.zeroGrad() }
        try loss.ofBatch(try model(inputs), targets).backward()
        let epsilon: Float = 1e-2
        var rows: [[String]] = [], worst: Float = 0
        for (name, tensor) in model.namedParameters {
            let gradient = tensor.grad?.scalars ?? Array(repeating: 0, count: tensor.elementCount)
            for index in picks(perTensor, of: gradient) {
                let original = tensor.scalars[index]
                tensor.updateScalars { $0[index] = original + epsilon }
                let plus = try value()
                tensor.updateScalars { $0[index] = original - epsilon }
                let minus = try value()
                tensor.updateScalars { $0[index] = original }
                let numeric = Float((plus - minus) / (2 * Double(epsilon)))
                // The loss is float32 (about 1e-7 relative), so with ε = 0.01 the quotient carries
                // noise near 1e-5: entries smaller than 1e-3 are compared on that absolute scale.
                let difference = abs(gradient[index] - numeric) / max(abs(gradient[index]) + abs(numeric), 1e-3)
                let untested = gradient[index] == 0 && numeric == 0
                if !untested { worst = max(worst, difference) }
                rows.append([name + StepNarration.multiIndex(index, tensor.shape), Number.text(gradient[index], digits: 6),
                             Number.text(numeric, digits: 6), Number.text(difference, digits: 4),
                             untested ? "untested (zero gradient)" : difference < 0.02 ? "ok" : "differs"])
            }
        }
        for parameter in model.parameters { parameter.zeroGrad() }
        let verdict = worst < 0.02
            ? "backpropagation agrees with finite differences (worst relative difference \(Number.text(worst)))"
            : "some entries differ by more than 2%: float32 differences with ε = 0.01 are rough, and a ReLU or max-pool kink between w − ε and w + ε breaks the difference quotient"
        return [.table(Table(title: "gradient check on \(inputs.shape[0]) examples of \(data.name), ε = 0.01 (float32)",
                             headers: ["weight", "backprop", "finite difference", "relative difference", "verdict"], rows: rows)),
                .text(verdict)]
    }
}

extension GradientCheck {
    /// `count` indices spread over the entries with a nonzero gradient (a dead ReLU's weights
    /// agree trivially at 0 = 0 and prove nothing); spread over all entries when none has one.
    public static func picks(_ count: Int, of gradient: [Float]) -> [Int] {
        let signal = gradient.indices.filter { gradient[$0] != 0 }
        let pool = signal.isEmpty ? Array(gradient.indices) : signal
        guard !pool.isEmpty else { return [] }
        return Set((0..<count).map { pool[($0 * pool.count + pool.count / 2) / count] }).sorted()
    }
}

/// `confusion model on data`: how often each true class was predicted as each class.
public enum ConfusionMatrix {
    public static func table(predictions: Tensor, data: Dataset) -> [DisplayValue] {
        let classes = data.classCount ?? 0
        guard classes > 0 else { return [.text("\(data.name) has no classes, so there is no confusion matrix")] }
        var counts = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        var notClasses = 0
        for (position, predicted) in predictions.scalars.enumerated() {
            guard let truth = data.classIndex(at: position) else { continue }
            // A model trained with mse predicts raw numbers: NaN, 1e30 or -2 is no class (Int() of them traps).
            guard predicted.isFinite, predicted >= 0, predicted < Float(classes), let column = Int(exactly: predicted) else {
                notClasses += 1
                continue
            }
            counts[truth][column] += 1
        }
        let names = data.classNames ?? (0..<classes).map(String.init)
        let rows = (0..<classes).map { (truth: Int) -> [String] in
            let total = Float(max(counts[truth].reduce(0, +), 1))
            let rate = Format.percent(Float(counts[truth][truth]) / total)
            return [names[truth]] + counts[truth].map { String($0) } + [rate]
        }
        let correct = (0..<classes).reduce(0) { $0 + counts[$1][$1] }
        return [.table(Table(title: "confusion on \(data.name): rows are true classes, columns predictions",
                             headers: ["true \\ predicted"] + names.map { String($0.prefix(6)) } + ["correct"], rows: rows)),
                .text("\(correct) of \(predictions.elementCount) correct (\(Format.percent(Float(correct) / Float(max(predictions.elementCount, 1)))))"
                      + (notClasses == 0 ? "" : "; \(notClasses) predictions were not a class index (NaN, infinite, fractional or out of range: is the model trained with mse?)"))]
    }
}
