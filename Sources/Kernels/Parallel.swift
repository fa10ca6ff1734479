import Foundation
import Synchronization

/// Splits large loops across the machine's cores. This is the engine's only threading scheme: a
/// fixed `WorkerPool`; OpenBLAS is pinned to one thread (see `Gemm`) so its spinning workers never
/// fight ours, and only the pool's threads ever call it.
public enum Parallel {
    /// The most threads the engine uses, however many cores there are; shape-fixed work cuts
    /// (`Gemm`, `Convolution`) make at most this many pieces.
    public static let maximumThreadCount = 8

    private static let configuredThreadCount = Atomic<Int>(defaultThreadCount())

    /// The pool's workers, started on first use (one fewer than the cores: the caller works too).
    private static let pool = WorkerPool(workerCount: defaultThreadCount() - 1)

    /// Threads used for large kernels: `TENSORBOOK_THREADS` if set, otherwise all cores (at most
    /// 8). Can be lowered at run time (e.g. to compare 1 and 2 threads), not raised past the pool.
    public static var threadCount: Int {
        get { configuredThreadCount.load(ordering: .relaxed) }
        set { configuredThreadCount.store(min(max(1, newValue), defaultThreadCount()), ordering: .relaxed) }
    }

    private static func defaultThreadCount() -> Int {
        if let text = ProcessInfo.processInfo.environment["TENSORBOOK_THREADS"], let value = Int(text),
           value > 0 {
            return value
        }
        return max(1, min(maximumThreadCount, ProcessInfo.processInfo.activeProcessorCount))
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
        func range(_ chunk: Int) -> Range<Int> { (count * chunk / chunks)..<(count * (chunk + 1) / chunks) }
        // The pool is busy (another thread's job, or a nested call): run the same chunks inline,
        // so a body sees the same ranges whether or not the pool was free.
        if !runOnPool(chunks: chunks, { body(range($0)) }) {
            for chunk in 0..<chunks { body(range(chunk)) }
        }
    }

    /// Runs independent tasks at the same time, one per thread where threads are free (the caller
    /// takes the first), and returns when all are done. Tasks must not share written memory.
    public static func runConcurrently(_ tasks: [() -> Void]) {
        if threadCount <= 1 || tasks.count <= 1 || !runOnPool(chunks: tasks.count, { tasks[$0]() }) {
            for task in tasks { task() }
        }
    }

    /// Runs `body(chunk)` for each chunk on the pool; false if the pool was busy.
    @usableFromInline
    static func runOnPool(chunks: Int, _ body: (Int) -> Void) -> Bool {
        pool.run(chunks: chunks, body)
    }
}
