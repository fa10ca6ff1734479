@testable import Kernels
import Synchronization
import Testing

/// The pool's claim protocol: every chunk of every job runs once, whichever thread gets to it.
@Suite struct WorkerPoolTests {
    let maximumChunks = 64

    /// Five thousand jobs back to back on a pool of four threads, 1 to 64 chunks each, some
    /// slow enough that the workers join late and some that finish before they wake: every
    /// chunk runs exactly once before `run` returns.
    @Test func everyChunkRunsExactlyOnce() {
        let pool = WorkerPool(workerCount: 3)
        let runs = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: maximumChunks)
        for chunk in 0..<maximumChunks { (runs + chunk).initialize(to: Atomic(0)) }
        defer { runs.deallocate() }
        var wrong = 0
        for job in 0..<5000 {
            let chunks = 1 + job % maximumChunks, spin = job % 7 == 0 ? 20_000 : 0
            let accepted = pool.run(chunks: chunks) { chunk in
                for _ in 0..<spin { _ = runs[chunk].load(ordering: .relaxed) }  // a slow chunk
                runs[chunk].add(1, ordering: .relaxed)
            }
            #expect(accepted)
            for chunk in 0..<maximumChunks {
                let count = runs[chunk].exchange(0, ordering: .relaxed)
                if count != (chunk < chunks ? 1 : 0) { wrong += 1 }
            }
        }
        #expect(wrong == 0)
    }
}
