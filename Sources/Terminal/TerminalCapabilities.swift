#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// What the output can do: colour only on a TTY and never when NO_COLOR is set.
public struct TerminalCapabilities: Sendable {
    /// Whether the output is a terminal (live progress, cursor movement).
    public var isTerminal: Bool
    /// Whether to use ANSI colour.
    public var color: Bool
    /// Columns available.
    public var width: Int

    /// Explicit capabilities (tests, notebooks).
    public init(isTerminal: Bool, color: Bool, width: Int = 100) {
        self.isTerminal = isTerminal
        self.color = color
        self.width = width
    }

    /// The capabilities of a file descriptor (1 for standard output).
    public static func detect(fileDescriptor: Int32 = 1) -> TerminalCapabilities {
        let isTerminal = isatty(fileDescriptor) == 1
        let environment = ProcessInfo.processInfo.environment
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        var size = winsize()
        let width = isTerminal && ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 100
        return TerminalCapabilities(isTerminal: isTerminal, color: isTerminal && !noColor && environment["TERM"] != "dumb", width: width)
    }
}

/// Writes text to a file descriptor with `write(2)` (Swift 6 forbids touching C's `stdout` global).
public struct FileOutput: Sendable {
    public let fileDescriptor: Int32

    /// Output to a descriptor (1 = standard output, 2 = standard error).
    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    /// Writes all of `text`.
    public func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fileDescriptor, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }
}
