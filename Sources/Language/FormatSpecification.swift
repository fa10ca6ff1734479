import Diagnostics
import Foundation

/// Python's format mini-language for f-strings, the common part: `[[fill]align][sign][0][width][,][.precision][type]`
/// with types `f e g % d s`, e.g. `{loss:.4f}`, `{accuracy:.1%}`, `{n:,}`, `{name:>10}`.
struct FormatSpecification {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var width = 0
    var grouping = false
    var precision: Int?
    var type: Character?

    /// Parses `text`, or returns nil when it does not follow the grammar.
    init?(_ text: String) {
        var characters = Array(text)[...]
        if characters.count >= 2, "<>^=".contains(characters[characters.startIndex + 1]) {
            fill = characters.removeFirst()
            align = characters.removeFirst()
        } else if let first = characters.first, "<>^=".contains(first) {
            align = characters.removeFirst()
        }
        if let first = characters.first, "+- ".contains(first) { sign = characters.removeFirst() }
        if characters.first == "0" {
            characters.removeFirst()
            if align == nil { (fill, align) = ("0", "=") }
        }
        var digits = ""
        while let first = characters.first, first.isASCII, first.isNumber { digits.append(characters.removeFirst()) }
        if !digits.isEmpty {
            guard let value = Int(digits) else { return nil }  // 10^20 overflows: too wide, like any width past 500
            width = value
        }
        if characters.first == "," { grouping = true; characters.removeFirst() }
        if characters.first == "." {
            characters.removeFirst()
            var precisionDigits = ""
            while let first = characters.first, first.isASCII, first.isNumber { precisionDigits.append(characters.removeFirst()) }
            guard let value = Int(precisionDigits), value <= 50 else { return nil }
            precision = value
        }
        if let first = characters.first, "feEgGd%s".contains(first) { type = characters.removeFirst() }
        guard characters.isEmpty, width <= 500 else { return nil }
    }

    /// Whether the type asks for a number.
    var isNumeric: Bool { type.map { "feEgGd%".contains($0) } ?? (precision != nil || grouping || sign != "-") }

    /// A number laid out by this specification; nil when `d` meets a fraction.
    func format(_ number: Double) -> String? {
        var body: String
        let magnitude = abs(number)
        switch type {
        case "f"?: body = String(format: "%.\(precision ?? 6)f", magnitude)
        case "e"?, "E"?: body = String(format: "%.\(precision ?? 6)\(type!)", magnitude)
        case "g"?, "G"?: body = String(format: "%.\(max(precision ?? 6, 1))\(type!)", magnitude)
        case "%"?: body = String(format: "%.\(precision ?? 6)f", magnitude * 100) + "%"
        case "d"?:
            guard number == number.rounded(), magnitude < 1e18 else { return nil }
            body = String(Int64(magnitude))
        default: body = precision.map { String(format: "%.\(max($0, 1))g", magnitude) } ?? Value.format(magnitude)
        }
        if !magnitude.isFinite { body = magnitude.isNaN ? "nan" : "inf" }
        if grouping { body = Self.grouped(body) }
        let signText = number.sign == .minus && !(number == 0 && type == nil) && !number.isNaN ? "-" : (sign == "-" ? "" : String(sign))
        return pad(body, sign: signText, defaultAlign: ">")
    }

    /// Text laid out by this specification (width and alignment only).
    func format(text: String) -> String {
        let shown = precision.map { String(text.prefix($0)) } ?? text
        return pad(shown, sign: "", defaultAlign: "<")
    }

    private func pad(_ body: String, sign: String, defaultAlign: Character) -> String {
        let missing = width - body.count - sign.count
        guard missing > 0 else { return sign + body }
        let padding = String(repeating: fill, count: missing)
        switch align ?? defaultAlign {
        case "<": return sign + body + padding
        case "^": return String(padding.prefix(missing / 2)) + sign + body + String(padding.prefix(missing - missing / 2))
        case "=": return sign + padding + body
        default: return padding + sign + body
        }
    }

    /// "1234567.5" → "1,234,567.5"
    private static func grouped(_ text: String) -> String {
        let integerPart = text.prefix { $0.isNumber }
        var result = ""
        for (index, digit) in integerPart.enumerated() {
            if index > 0 && (integerPart.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result + text.dropFirst(integerPart.count)
    }
}

extension Interpreter {
    /// The text of an f-string.
    /// The format `{x=}` stands for: the printed form (Python's repr).
    static let printedForm = "!r"

    func format(_ parts: [FormatPart]) throws(Diagnostic) -> String {
        var result = ""
        for part in parts {
            switch part {
            case .text(let text): result += text
            case .value(let expression, let format): result += try formatted(try evaluate(expression), format, at: expression.span)
            }
        }
        return result
    }

    func formatted(_ value: Value, _ format: String?, at span: SourceSpan) throws(Diagnostic) -> String {
        if format == Self.printedForm { return printable(value) }
        guard let format, !format.isEmpty else {
            if case .object(let object) = value, let text = object.plainFormatted { return text }
            return printable(value)
        }
        guard let specification = FormatSpecification(format) else {
            throw Diagnostic("'\(format)' is not a format tensorbook knows", at: span,
                             hint: "for example {x:.4f} (4 decimals), {x:.1%} (percent), {x:,} (thousands), {x:>8} (width 8), {x:.3e} (exponent)")
        }
        let number: Double?
        switch value {
        case .number(let x): number = x
        case .bool(let flag): number = flag ? 1 : 0
        case .object(let object): number = object.numberValue
        default: number = nil
        }
        guard specification.isNumeric else { return specification.format(text: printable(value)) }
        guard let number else {
            throw Diagnostic("the format '\(format)' needs a number, got a \(value.typeName)", at: span,
                             hint: value.typeName == "tensor" ? "a tensor of one element formats as a number; reduce it first, e.g. x.mean()" : nil)
        }
        guard let text = specification.format(number) else {
            throw Diagnostic("the format '\(format)' needs a whole number, got \(Value.format(number))", at: span, hint: "use .0f to round, or round(x)")
        }
        return text
    }
}
