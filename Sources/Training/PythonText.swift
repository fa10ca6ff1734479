/// The only way text from outside the program (a checkpoint's metadata, a file or dataset name)
/// enters the Python that `export` writes: as a string literal, inside a comment or inside a
/// docstring, each escaped so that no quote, backslash, newline or control character can end it
/// early and turn the rest into code.
public enum PythonText {
    /// `text` as a double-quoted Python string literal that evaluates to exactly `text`.
    public static func literal(_ text: String) -> String {
        "\"" + escaped(text, quote: true) + "\""
    }

    /// `text` made safe to follow a `#`: on one line, control characters shown as escapes.
    public static func comment(_ text: String) -> String {
        escaped(text, quote: false)
    }

    /// `text` made safe inside a `"""…"""` docstring: backslashes, quotes and control characters
    /// escaped (so neither `"""` nor a trailing `"` can close it), on one line.
    public static func docstring(_ text: String) -> String {
        escaped(text, quote: true)
    }

    /// A float constant Python reads back as the same value (`float("nan")` for the non-finite).
    public static func number(_ value: Float) -> String {
        value.isFinite ? "\(value)" : "float(\(literal("\(value)")))"
    }

    /// Backslash escapes for backslashes, (when `quote`) double quotes, and every character that is
    /// not printable on one line; letters of any script and emoji stay as they are.
    private static func escaped(_ text: String, quote: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"" where quote: result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if isPrintable(scalar) {
                    result.unicodeScalars.append(scalar)
                } else {
                    let hex = String(scalar.value, radix: 16)
                    result += scalar.value <= 0xFF ? "\\x" + pad(hex, 2) : scalar.value <= 0xFFFF ? "\\u" + pad(hex, 4) : "\\U" + pad(hex, 8)
                }
            }
        }
        return result
    }

    /// Whether `scalar` prints as itself on one line (not a control, format, separator or unassigned code point).
    private static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return false
        case .spaceSeparator: return scalar == " "
        default: return true
        }
    }

    private static func pad(_ hex: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - hex.count)) + hex
    }
}
