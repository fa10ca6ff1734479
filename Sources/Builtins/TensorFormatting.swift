import Foundation
import TensorEngine

/// Prints tensors the way PyTorch does: `tensor([[1., 2.], [3., 4.]])`, four decimals or
/// scientific notation when the range calls for it, and `...` past 1,000 elements.
enum TensorFormatting {
    static let summarizeAbove = 1000
    static let edgeItems = 3

    /// The PyTorch-style text of a tensor.
    /// `classes` writes whole numbers without PyTorch's float point (`tensor([7, 2, 1])`, as an int64 tensor prints).
    static func describe(_ tensor: Tensor, classes: Bool = false) -> String {
        let values = tensor.scalars
        let style = NumberStyle(values.filter(\.isFinite), classes: classes)
        let body = nested(values, shape: tensor.shape.dimensions, offset: 0, depth: 0, style: style,
                          summarize: tensor.elementCount > summarizeAbove)
        return "tensor(\(body))"
    }

    private static func nested(_ values: [Float], shape: [Int], offset: Int, depth: Int, style: NumberStyle, summarize: Bool) -> String {
        guard let size = shape.first else { return style.format(values[offset]) }
        let inner = shape.dropFirst().reduce(1, *)
        let indices: [Int?] = summarize && size > 2 * edgeItems
            ? Array(0..<edgeItems) + [nil] + Array((size - edgeItems)..<size) : Array(0..<size)
        let parts = indices.map { index -> String in
            guard let index else { return "..." }
            return nested(values, shape: Array(shape.dropFirst()), offset: offset + index * inner, depth: depth + 1, style: style, summarize: summarize)
        }
        if shape.count == 1 { return "[" + parts.joined(separator: ", ") + "]" }
        let separator = "," + String(repeating: "\n", count: shape.count - 1) + String(repeating: " ", count: depth + 8)
        return "[" + parts.joined(separator: separator) + "]"
    }

    /// How every number of one tensor is written, so columns line up.
    struct NumberStyle {
        enum Mode { case integer, fixed, scientific }
        let mode: Mode
        let width: Int
        /// Whole numbers are class indices: no trailing "." after them.
        var classes = false

        init(_ values: [Float], classes: Bool = false) {
            self.classes = classes
            let magnitudes = values.map { abs($0) }.filter { $0 > 0 }
            let largest = magnitudes.max() ?? 0, smallest = magnitudes.min() ?? 0
            if values.allSatisfy({ $0 == $0.rounded() }) && largest < 1e8 {
                mode = .integer
            } else if largest >= 1e8 || (smallest > 0 && (smallest < 1e-4 || largest / smallest > 1000)) {
                mode = .scientific
            } else {
                mode = .fixed
            }
            var probe = NumberStyle(mode: mode, width: 0)
            probe.classes = classes
            width = values.map { probe.format($0).count }.max() ?? 1
        }

        private init(mode: Mode, width: Int) {
            self.mode = mode
            self.width = width
        }

        func format(_ value: Float) -> String {
            let text: String
            if value.isNaN { text = "nan" } else if value.isInfinite { text = value > 0 ? "inf" : "-inf" } else {
                switch mode {
                case .integer: text = String(Int64(value)) + (classes ? "" : ".")
                case .fixed: text = Format.fixed(value, 4)
                case .scientific: text = scientific(value)
                }
            }
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }

        private func scientific(_ value: Float) -> String {
            guard value != 0 else { return "0.0000e+00" }
            var exponent = Int(Float.log10(abs(value)).rounded(.down))
            var mantissa = value / Float.pow10(exponent)
            if Format.fixed(abs(mantissa), 4) == "10.0000" {
                exponent += 1
                mantissa /= 10
            }
            return Format.fixed(mantissa, 4) + "e" + (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
        }
    }
}

extension Float {
    static func log10(_ x: Float) -> Float { Float(Foundation.log10(Double(x))) }
    static func pow10(_ exponent: Int) -> Float { Float(Foundation.pow(10, Double(exponent))) }
}
