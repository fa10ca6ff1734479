import Foundation
import Notebooks
import Synchronization
import Training

/// Ctrl-C and SIGTERM during `tensorbook run` and `export`. The first Ctrl-C asks the work to stop
/// at its next batch or statement (as in the REPL); the run then records nothing and exits 130. A
/// second Ctrl-C, or SIGTERM, ends the process at once. Either way a temporary file being written
/// beside a notebook is removed first.
enum RunSignals {
    private static let interrupted = Atomic<Bool>(false)

    /// Whether Ctrl-C was pressed during this run.
    static var wasInterrupted: Bool { interrupted.load(ordering: .relaxed) }

    /// Installs the handlers (no SA_RESTART, so a blocked read returns to check the flag).
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if RunSignals.interrupted.exchange(true, ordering: .relaxed) {
                FileReplacement.removePendingTemporaryFile()
                _exit(130)
            }
            Interrupt.request()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        var terminate = sigaction()
        terminate.__sigaction_handler.sa_handler = { number in
            FileReplacement.removePendingTemporaryFile()
            signal(number, SIG_DFL)
            raise(number)
        }
        sigemptyset(&terminate.sa_mask)
        terminate.sa_flags = 0
        sigaction(SIGTERM, &terminate, nil)
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGINT)
        sigaddset(&blocked, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &blocked, nil)  // a mask blocked by the parent is inherited across exec
    }
}
