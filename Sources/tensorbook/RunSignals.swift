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
        SignalHandling.handle(SIGINT) { _ in
            if RunSignals.interrupted.exchange(true, ordering: .relaxed) {
                FileReplacement.removePendingTemporaryFile()
                _exit(130)
            }
            Interrupt.request()
        }
        SignalHandling.handle(SIGTERM) { number in
            FileReplacement.removePendingTemporaryFile()
            signal(number, SIG_DFL)
            raise(number)
        }
    }
}
