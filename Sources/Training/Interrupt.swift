import Synchronization

/// The flag Ctrl-C sets: training checks it between batches and stops cleanly, keeping the last
/// completed step; the interpreter checks it between statements. Safe to set from a signal
/// handler (atomic stores only).
public enum Interrupt {
    /// Why work was asked to stop.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// Ctrl-C (SIGINT).
        case keyboard
        /// A notebook cell ran past `--timeout SECONDS`.
        case timeout(seconds: Int)
        /// A Jupyter front end's interrupt (the stop button: `interrupt_request` or SIGINT to a kernel).
        case kernelInterrupt

        public var description: String {
            switch self {
            case .keyboard: "Ctrl-C"
            case .timeout(let seconds): "the --timeout of \(seconds) s"
            case .kernelInterrupt: "an interrupt from Jupyter"
            }
        }
    }

    private static let flag = Atomic<Bool>(false)
    /// 0 for Ctrl-C, -1 for a kernel interrupt, otherwise the timeout in seconds.
    private static let timeoutSeconds = Atomic<Int>(0)

    /// Asks running work to stop at its next batch or statement boundary.
    public static func request(_ reason: Reason = .keyboard) {
        switch reason {
        case .keyboard: timeoutSeconds.store(0, ordering: .relaxed)
        case .timeout(let seconds): timeoutSeconds.store(max(seconds, 1), ordering: .relaxed)
        case .kernelInterrupt: timeoutSeconds.store(-1, ordering: .relaxed)
        }
        flag.store(true, ordering: .relaxed)
    }
    /// Clears the flag (done before each run).
    public static func reset() {
        flag.store(false, ordering: .relaxed)
        timeoutSeconds.store(0, ordering: .relaxed)
    }
    /// Whether a stop was asked for.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }
    /// Why the last stop was asked for.
    public static var reason: Reason {
        let seconds = timeoutSeconds.load(ordering: .relaxed)
        return seconds == 0 ? .keyboard : seconds < 0 ? .kernelInterrupt : .timeout(seconds: seconds)
    }
}
