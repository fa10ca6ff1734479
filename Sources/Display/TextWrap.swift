#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Words laid out for the terminal: `help` and `explain`'s listings use it so they never run
/// wider than the screen.
public enum TextWrap {
    /// The width to lay text out for: the terminal's own (standard output's window size), else
    /// `COLUMNS`, else 80 for piped output; capped at 100 for readability.
    public static var terminalWidth: Int {
        var size = winsize()
        if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return min(Int(size.ws_col), 100) }
        guard let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 else { return 80 }
        return min(columns, 100)
    }

    /// Words of `text` in lines of at most `width` characters (a longer word stands alone), the
    /// first line starting with `first` and the rest with `rest`.
    public static func lines(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }

    /// Two columns, `name  text`, the text wrapped under itself (a hanging indent).
    public static func definitionList(_ rows: [(name: String, text: String)], width: Int) -> [String] {
        let labelWidth = (rows.map(\.name.count).max() ?? 0) + 2
        return rows.flatMap { row in
            lines(row.text, width: width, first: row.name.padding(toLength: labelWidth, withPad: " ", startingAt: 0),
                  rest: String(repeating: " ", count: labelWidth))
        }
    }
}
