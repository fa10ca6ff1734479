import Synchronization

/// The flag Ctrl-C sets: training checks it between batches and stops cleanly, keeping the last
/// completed step. Safe to set from a signal handler (one atomic store).
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    /// Asks running work to stop at its next batch boundary.
    public static func request() { flag.store(true, ordering: .relaxed) }
    /// Clears the flag (done before each statement runs).
    public static func reset() { flag.store(false, ordering: .relaxed) }
    /// Whether a stop was asked for.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }
}
