import Foundation

/// Installing the process's signal handlers, the one way every mode does it.
enum SignalHandling {
    /// Runs `handler` on `signal`; without `restart` a blocked read returns (EINTR) so the caller
    /// can look at the flag the handler set. The signal is unblocked too: a blocked mask is
    /// inherited across exec (seen: started from a test runner).
    static func handle(_ signal: Int32, restart: Bool = false, _ handler: @escaping @convention(c) (Int32) -> Void) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        action.sa_flags = restart ? SA_RESTART : 0
        sigaction(signal, &action, nil)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, signal)
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
    }
}
