import Display
import Foundation
import NeuralNetworks
import TensorEngine

/// `explain TOPIC`: formula, symbols, a worked example computed now by the engine, and the
/// tensors of the session's models that the topic is about.
public enum Explanation {
    /// The list `explain` with no topic shows, wrapped to `width` (the terminal's by default).
    public static func topicList(width: Int = TextWrap.terminalWidth) -> [DisplayValue] {
        let rows = TextWrap.definitionList(Topic.allCases.map { ($0.rawValue, $0.summary) }, width: max(40, width) - 2)
        return [.text((["explain TOPIC — the topics:"] + rows.map { "  " + $0 }).joined(separator: "\n"))]
    }

    /// Everything `explain topic` shows; `models` are the session's models by variable name.
    public static func explain(_ topic: Topic, models: [(name: String, model: Sequential)]) throws -> [DisplayValue] {
        var lines = ["\(topic.rawValue) — \(topic.summary)", ""]
        lines += topic.formula.map { "    " + $0 }
        lines += ["", "where"] + topic.symbols.map { "    " + $0 }
        lines += ["", "worked example (computed just now by the engine):"] + (try WorkedExample.lines(for: topic)).map { "    " + $0 }
        let session = models.flatMap { SessionTensors.lines(for: topic, name: $0.name, model: $0.model) }
        if !session.isEmpty { lines += ["", "in this session:"] + session.map { "    " + $0 } }
        return [.text(lines.joined(separator: "\n"))]
    }
}

/// Numbers written the way lessons show them: up to 4 decimals, no trailing zeros.
enum Number {
    static func text(_ value: Float, digits: Int = 4) -> String {
        if value == 0 { return "0" }
        if !value.isFinite { return value.isNaN ? "NaN" : value > 0 ? "∞" : "−∞" }
        if abs(value) < 1e-3 || abs(value) >= 1e5 {
            var exponent = Int(Float.log10Floor(abs(value)))
            var mantissa = Progress.format(value / Float.powerOfTen(exponent), digits: 3)
            if mantissa.hasPrefix("10.") || mantissa.hasPrefix("-10.") {
                exponent += 1
                mantissa = Progress.format(value / Float.powerOfTen(exponent), digits: 3)
            }
            return trimmed(mantissa) + "×10" + superscript(exponent)
        }
        return trimmed(Progress.format(value, digits: digits))
    }

    /// Six significant digits, for arithmetic a reader may want to redo; very small or large
    /// numbers as `6.47865×10⁻⁸` rather than C's `6.47865e-08`.
    static func precise(_ value: Float) -> String {
        let magnitude = abs(value)
        guard value != 0, magnitude < 1e-4 || magnitude >= 1e6, value.isFinite else { return String(format: "%.6g", Double(value)) }
        let parts = String(format: "%.5e", Double(value)).split(separator: "e")
        let mantissa = trimmed(String(parts[0]))
        return mantissa + "×10" + superscript(Int(parts[1]) ?? 0)
    }

    /// An exponent in superscript digits: −8 → ⁻⁸.
    static func superscript(_ exponent: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (exponent < 0 ? "⁻" : "") + String(String(abs(exponent)).map { digits[$0.wholeNumberValue ?? 0] })
    }

    static func list(_ values: [Float], digits: Int = 4) -> String {
        "[" + values.map { text($0, digits: digits) }.joined(separator: ", ") + "]"
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result == "-0" ? "0" : result
    }
}

extension Float {
    static func log10Floor(_ x: Float) -> Float {
        var exponent: Float = 0, value = x
        while value >= 10 { value /= 10; exponent += 1 }
        while value < 1 { value *= 10; exponent -= 1 }
        return exponent
    }

    static func powerOfTen(_ exponent: Int) -> Float {
        var result: Float = 1
        for _ in 0..<abs(exponent) { result *= 10 }
        return exponent < 0 ? 1 / result : result
    }
}

/// Which tensors of a model a topic concerns, by PyTorch name and shape.
enum SessionTensors {
    static func lines(for topic: Topic, name: String, model: Sequential) -> [String] {
        let parameters = model.namedParameters
        let count = parameters.reduce(0) { $0 + $1.tensor.elementCount }
        switch topic {
        case .forward:
            guard let input = model.inputShape, let shapes = try? model.layerOutputShapes(for: input) else {
                return ["\(name): \(model.layers.count) layers; their shapes are known once it sees data"]
            }
            return ["\(name): \(input.compactDescription) → " + shapes.map(\.compactDescription).joined(separator: " → ")]
        case .backward:
            return ["\(name): backward fills ∂L/∂θ for its \(parameters.count) parameter tensors (\(count) numbers), each the shape of its tensor"]
        case .sgd, .adam:
            let state = topic == .adam ? "m and v" : "a velocity v"
            return ["\(name): \(parameters.count) parameter tensors, \(count) numbers; each tensor gets \(state) of the same shape"]
        case .mse, .crossEntropy, .bce:
            guard let input = model.inputShape, let output = try? model.outputShape(for: input) else { return [] }
            return ["\(name) outputs \(output.compactDescription) per example" + (output.elementCount > 1 ? " (one score per class)" : "")]
        default:
            return model.layers.enumerated().filter { topic.layerKinds.contains($0.element.kind) }.map { index, layer in
                let tensors = layer.namedParameters.map { "\(index).\($0.name) \($0.tensor.shape.compactDescription)" }
                return "\(name) layer \(index + 1): \(layer)" + (tensors.isEmpty ? "" : " — " + tensors.joined(separator: ", "))
            }
        }
    }
}
