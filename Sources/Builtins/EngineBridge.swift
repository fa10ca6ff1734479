import Language
import Synchronization
import TensorEngine
import Training

/// The engine hooks the language runs with (DESIGN.md §2a item 2): Ctrl-C and timeouts through
/// the training `Interrupt` flag, `no_grad:` through `GradientMode`, seeding through `GlobalRandom`.
final class EngineBridge: EngineHooks {
    /// Batches left before a replayed stop (-1: none), batches trained, and whether a replayed
    /// stop was reached: this session's own, so tests running side by side do not share them.
    private let batchBudget = Atomic<Int>(-1), batchCount = Atomic<Int>(0), replayedStop = Atomic<Bool>(false)

    var isInterrupted: Bool { Interrupt.isRequested || replayedStop.load(ordering: .relaxed) }
    var interruptionReason: String { replayedStop.load(ordering: .relaxed) ? Interrupt.Reason.keyboard.description : Interrupt.reason.description }
    func clearInterruption() {
        Interrupt.reset()
        replayedStop.store(false, ordering: .relaxed)
    }
    func requestInterruption(timeout seconds: Int) { Interrupt.request(.timeout(seconds: seconds)) }
    func withoutGradients<T>(_ body: () throws -> T) rethrows -> T { try GradientMode.withoutRecording(body) }
    func seed(_ value: UInt64) { GlobalRandom.seed(value) }
    var trainingBatchesRun: Int { batchCount.load(ordering: .relaxed) }
    func stopTraining(afterBatches batches: Int?) { batchBudget.store(batches.map { max($0, 0) } ?? -1, ordering: .relaxed) }

    func mayTrainNextBatch() -> Bool {
        if isInterrupted { return false }
        let budget = batchBudget.load(ordering: .relaxed)
        if budget == 0 {
            replayedStop.store(true, ordering: .relaxed)
            return false
        }
        if budget > 0 { batchBudget.store(budget - 1, ordering: .relaxed) }
        batchCount.add(1, ordering: .relaxed)
        return true
    }
}
