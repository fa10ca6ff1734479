#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Reads one answer from standard input: a single key press when it is a terminal (no Enter
/// needed; the terminal is put in non-canonical, no-echo mode for that one read and restored),
/// else one line. nil at end of input.
public enum KeyInput {
    /// One key ("\n" for Enter; "\u{3}" for Ctrl-C, "\u{4}" for Ctrl-D) or one trimmed line.
    public static func next() -> String? {
        isatty(0) == 1 ? key() : readLine()?.trimmingCharacters(in: .whitespaces)
    }

    private static func key() -> String? {
        var saved = termios()
        guard tcgetattr(0, &saved) == 0 else { return readLine() }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(0, TCSANOW, &raw)
        defer { tcsetattr(0, TCSANOW, &saved) }
        var byte: UInt8 = 0
        guard read(0, &byte, 1) == 1 else { return nil }
        return byte == 13 || byte == 10 ? "\n" : String(UnicodeScalar(byte))
    }
}
