import Datasets
import NeuralNetworks

/// What a checkpoint's metadata may hold. The metadata is text anyone can edit, and `export`
/// turns it into Python, `train` into settings and `seed` state into every later random draw: a
/// value tensorbook could not have written is refused when the file is read, naming the field.
extension TrainingRecipe {
    /// The first field that `train` could not have recorded, described for an error; nil when all hold.
    func problem() -> String? {
        if OptimizerKind(rawValue: optimizer) == nil { return "optimizer \(quoted(optimizer)) is not one of adam, adamw, sgd" }
        if Loss(rawValue: loss) == nil { return "loss \(quoted(loss)) is not one of \(Loss.allCases.map(\.rawValue).joined(separator: ", "))" }
        if let problem = OptimizerSettings.rateProblem(learningRate: learningRate, momentum: momentum) { return problem }
        if !(1...Self.largestCount).contains(batchSize) { return "batch \(batchSize) is not a whole number from 1 to \(Self.largestCount)" }
        if !(1...Self.largestCount).contains(epochs) { return "epochs \(epochs) is not a whole number from 1 to \(Self.largestCount)" }
        return data?.problem(role: "data") ?? evaluationData?.problem(role: "evaluation data")
    }

    /// The largest batch, epoch count, example position or text context a recipe may name.
    static let largestCount = 1 << 40
}

extension DataReference {
    /// The splits tensorbook's datasets have.
    static let splits: Set<String> = ["train", "test", "validation"]

    /// The first field that does not hold, described for an error.
    func problem(role: String) -> String? {
        if !Self.splits.contains(split) { return "the \(role)'s split \(quoted(split)) is not one of train, test, validation" }
        if start < 0 || end < start || end > TrainingRecipe.largestCount { return "the \(role)'s examples \(start)..<\(end) are not a range of positions" }
        if name.count > 1000 || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "the \(role)'s name is not a dataset's name (control characters or over 1000 characters)"
        }
        switch source {
        case .csv(let path, let label):
            if path.isEmpty || path.contains("\0") || label.contains("\0") { return "the \(role)'s CSV path or label is not a file's" }
        case .text(let path, let context):
            if path.isEmpty || path.contains("\0") { return "the \(role)'s text path is not a file's" }
            if !(1...TrainingRecipe.largestCount).contains(context) { return "the \(role)'s context \(context) is not a whole number from 1" }
        case .mnist, .fashionMNIST, .movieReviews: break
        }
        return nil
    }
}

extension OptimizerSettings {
    /// The first field that does not hold, described for an error.
    func problem() -> String? {
        if OptimizerKind(rawValue: kind) == nil { return "optimizer \(quoted(kind)) is not one of adam, adamw, sgd" }
        if stepCount < 0 { return "the optimizer's step count \(stepCount) is negative" }
        return Self.rateProblem(learningRate: learningRate, momentum: momentum)
    }

    /// Why a learning rate and momentum could not come from `train` or an optimizer (nil when they could).
    static func rateProblem(learningRate: Float, momentum: Float) -> String? {
        if !(learningRate.isFinite && learningRate > 0) { return "lr \(learningRate) is not a positive number" }
        if !(momentum >= 0 && momentum < 1) { return "momentum \(momentum) is not in [0, 1)" }
        return nil
    }
}

/// A random generator's saved state, checked: four words, not all zero (xoshiro's one state that
/// never leaves itself: every draw would be the same number).
func randomState(_ text: String) -> [UInt64]? {
    let words = text.split(separator: " ", omittingEmptySubsequences: false).map { UInt64($0) }
    guard words.count == 4, words.allSatisfy({ $0 != nil }) else { return nil }
    let state = words.compactMap { $0 }
    return state.allSatisfy { $0 == 0 } ? nil : state
}

/// `text` quoted for an error message, shortened and with control characters escaped.
private func quoted(_ text: String) -> String {
    let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
    return "'" + shown.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "'"
}
