import Language
import TensorEngine
import Training

/// The engine hooks the language runs with (DESIGN.md §2a item 2): Ctrl-C and timeouts through
/// the training `Interrupt` flag, `no_grad:` through `GradientMode`, seeding through `GlobalRandom`.
final class EngineBridge: EngineHooks {
    var isInterrupted: Bool { Interrupt.isRequested }
    var interruptionReason: String { Interrupt.reason.description }
    func clearInterruption() { Interrupt.reset() }
    func requestInterruption(timeout seconds: Int) { Interrupt.request(.timeout(seconds: seconds)) }
    func withoutGradients<T>(_ body: () throws -> T) rethrows -> T { try GradientMode.withoutRecording(body) }
    func seed(_ value: UInt64) { GlobalRandom.seed(value) }
}
