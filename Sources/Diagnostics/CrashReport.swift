#if canImport(Glibc)
import Glibc
#endif

/// What the user sees if tensorbook itself fails (a trap, a failed allocation, a segfault): one
/// short paragraph on standard error — what failed, where in their input, that it is a bug in
/// tensorbook, and the file the backtrace went to — then exit code 70, instead of the Swift
/// runtime's register dump. The handler only writes pre-built C strings and calls
/// async-signal-safe functions; `Session.run` keeps `location` current.
public enum CrashReport {
    private static let capacity = 512
    nonisolated(unsafe) private static let locationBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        buffer.initialize(repeating: 0, count: capacity)
        return buffer
    }()
    nonisolated(unsafe) private static var reportPath: UnsafeMutablePointer<CChar>?
    private static let signals: [(number: Int32, name: String)] = [
        (SIGSEGV, "SIGSEGV: a bad memory access"), (SIGBUS, "SIGBUS: a bad memory access"),
        (SIGILL, "SIGILL: a Swift runtime trap such as an overflow, or an instruction this CPU lacks, e.g. from an OPENBLAS_CORETYPE it cannot run"), (SIGTRAP, "SIGTRAP: a Swift runtime trap, such as an overflow"),
        (SIGABRT, "SIGABRT: an abort, such as a failed allocation"), (SIGFPE, "SIGFPE: an arithmetic fault"),
    ]
    nonisolated(unsafe) private static var signalNames: [Int32: UnsafeMutablePointer<CChar>] = [:]

    /// glibc's `backtrace` and `backtrace_symbols_fd` (<execinfo.h> is not in Swift's Glibc
    /// module, so they are looked up by name at start-up).
    private typealias Backtrace = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>, Int32) -> Int32
    private typealias BacktraceSymbols = @convention(c) (UnsafePointer<UnsafeMutableRawPointer?>, Int32, Int32) -> Void
    nonisolated(unsafe) private static var backtrace: Backtrace?
    nonisolated(unsafe) private static var backtraceSymbols: BacktraceSymbols?

    /// Installs the handler for the fatal signals (once, at start-up); the backtrace of a crash
    /// goes to `$TMPDIR/tensorbook-crash-PID.txt`.
    public static func install() {
        let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        reportPath = strdup("\(folder)/tensorbook-crash-\(getpid()).txt")
        for (number, name) in signals { signalNames[number] = strdup(name) }
        _ = locationBuffer
        let library = dlopen(nil, RTLD_NOW)
        backtrace = dlsym(library, "backtrace").map { unsafeBitCast($0, to: Backtrace.self) }
        backtraceSymbols = dlsym(library, "backtrace_symbols_fd").map { unsafeBitCast($0, to: BacktraceSymbols.self) }
        var warmUp = [UnsafeMutableRawPointer?](repeating: nil, count: 1)
        _ = backtrace?(&warmUp, 1)  // the first call loads the unwinder: not something to do in a handler
        for (number, _) in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in CrashReport.report(signal) }
            action.sa_flags = 0
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }

    /// Where the input being run is, e.g. "lesson.nb:41" (shown if tensorbook crashes there).
    public static func setLocation(_ text: String) {
        var bytes = Array(text.utf8.prefix(capacity - 1)).map { CChar(bitPattern: $0) }
        bytes.append(0)
        bytes.withUnsafeBufferPointer { locationBuffer.update(from: $0.baseAddress!, count: $0.count) }
    }

    private static func write(_ fd: Int32, _ text: UnsafePointer<CChar>) { _ = Glibc.write(fd, text, strlen(text)) }

    /// The signal handler: the paragraph, the backtrace file, exit 70.
    private static func report(_ signal: Int32) {
        let name = signalNames[signal] ?? signalNames[SIGSEGV]!
        write(2, "\ntensorbook stopped on an internal error (")
        write(2, name)
        if locationBuffer[0] != 0 {
            write(2, ") while running ")
            write(2, locationBuffer)
        } else {
            write(2, ")")
        }
        write(2, ".\nThis is a bug in tensorbook, not a mistake in your input; variables of this session are lost.\n")
        if let reportPath {
            // Never through a link or over a file already there: $TMPDIR is shared, and a planted
            // symlink would make the report overwrite whatever it points at.
            let fd = open(reportPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd >= 0 {
                write(fd, "tensorbook internal error (")
                write(fd, name)
                write(fd, ") while running ")
                write(fd, locationBuffer)
                write(fd, "\nbacktrace (addr2line -f -C -e BINARY +OFFSET names a frame's function and line):\n")
                var frames = (0..<64).map { _ in UnsafeMutableRawPointer?.none }
                if let backtrace, let backtraceSymbols { backtraceSymbols(&frames, backtrace(&frames, 64), fd) }
                close(fd)
                write(2, "The backtrace is in ")
                write(2, reportPath)
                write(2, "; please report it with the statement that caused it.\n")
            } else {
                write(2, "No backtrace was written: ")
                write(2, reportPath)
                write(2, " is already there (remove it if it is not yours); please report the statement that caused this.\n")
            }
        }
        _exit(70)
    }
}
