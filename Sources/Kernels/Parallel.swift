import Dispatch
import Foundation
import Synchronization

/// Splits large loops across the machine's cores. This is the engine's only threading scheme:
/// OpenBLAS is pinned to one thread (see `Gemm`) so its spinning workers never fight ours.
public enum Parallel {
    private static let configuredThreadCount = Atomic<Int>(defaultThreadCount())

    /// Threads used for large kernels: `TENSORBOOK_THREADS` if set, otherwise all cores (at most 8).
    public static var threadCount: Int {
        get { configuredThreadCount.load(ordering: .relaxed) }
        set { configuredThreadCount.store(max(1, newValue), ordering: .relaxed) }
    }

    private static func defaultThreadCount() -> Int {
        if let text = ProcessInfo.processInfo.environment["TENSORBOOK_THREADS"], let value = Int(text),
           value > 0 {
            return value
        }
        return max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// Calls `body` on disjoint contiguous ranges covering `0..<count`, one range per thread,
    /// when each range would get at least `minimumPerChunk` items; otherwise once, inline.
    @inlinable
    public static func forEachChunk(
        count: Int, minimumPerChunk: Int, _ body: (Range<Int>) -> Void
    ) {
        let chunks = min(threadCount, count / max(1, minimumPerChunk))
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                box.value(start..<end)
            }
        }
    }
}

/// Carries a value into a `concurrentPerform` block. Every kernel hands each thread a disjoint
/// output range, so the raw pointers inside are never written by two threads at once.
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}
