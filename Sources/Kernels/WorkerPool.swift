#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A fixed set of persistent worker threads that run the chunks of one job at a time together
/// with the calling thread. Fixed, because every thread that ever calls OpenBLAS keeps its own
/// packing buffer: Dispatch's elastic pool grew peak memory by hundreds of MiB.
///
/// Protocol: `state` is even when a job is published and odd while one is being written. Chunks
/// are claimed from `claims`, which carries the job's generation in its high bits, so a worker
/// that read an old job can never claim — and so never run — a chunk of a newer one; and a job's
/// body stays alive while any of its chunks is claimed, because `run` waits for them all.
/// Workers spin briefly between jobs (the next usually follows within microseconds), then sleep.
final class WorkerPool: @unchecked Sendable {
    private let state = Atomic<Int>(0)
    private let jobBody = Atomic<UInt>(0)
    private let jobChunks = Atomic<Int>(0)
    private let claims = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = .allocate(capacity: 1)
    private let wakeUp: UnsafeMutablePointer<pthread_cond_t> = .allocate(capacity: 1)

    private static let chunkBits = 32
    private static let chunkMask = (1 << chunkBits) - 1

    /// Starts `workerCount` threads that wait for jobs for the rest of the process.
    init(workerCount: Int) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wakeUp, nil)
        for _ in 0..<workerCount {
            var thread = pthread_t()
            pthread_create(&thread, nil, { context in
                Unmanaged<WorkerPool>.fromOpaque(context!).takeRetainedValue().workLoop()
                return nil
            }, Unmanaged.passRetained(self).toOpaque())
            pthread_detach(thread)
        }
    }

    /// Runs `body(chunk)` for every chunk in 0..<chunks across the workers and the caller and
    /// returns when all are done; returns false, running nothing, if another job holds the pool.
    func run(chunks: Int, _ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            withUnsafePointer(to: body) { bodyPointer in
                let previous = state.load(ordering: .relaxed)
                state.store(previous + 1, ordering: .sequentiallyConsistent)  // odd: writing
                let published = previous + 2
                jobBody.store(UInt(bitPattern: bodyPointer), ordering: .relaxed)
                jobChunks.store(chunks, ordering: .relaxed)
                finished.store(0, ordering: .relaxed)
                claims.store((published >> 1) << Self.chunkBits, ordering: .relaxed)
                state.store(published, ordering: .sequentiallyConsistent)  // even: published
                if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                    pthread_mutex_lock(mutex)
                    pthread_cond_broadcast(wakeUp)
                    pthread_mutex_unlock(mutex)
                }
                runChunks(body: UnsafeRawPointer(bodyPointer), chunks: chunks, generation: published)
                while finished.load(ordering: .acquiring) < chunks { spinPause() }
            }
        }
        return true
    }

    /// Claims and runs chunks of the job of `generation` until none are left or a newer job began.
    private func runChunks(body: UnsafeRawPointer, chunks: Int, generation: Int) {
        let tag = (generation >> 1) << Self.chunkBits
        while true {
            let claim = claims.load(ordering: .acquiring)
            guard claim & ~Self.chunkMask == tag, claim & Self.chunkMask < chunks else { return }
            guard claims.compareExchange(expected: claim, desired: claim + 1, ordering: .acquiringAndReleasing).exchanged else { continue }
            body.assumingMemoryBound(to: ((Int) -> Void).self).pointee(claim & Self.chunkMask)
            finished.add(1, ordering: .releasing)
        }
    }

    /// How long an idle worker keeps spinning before it sleeps: long enough to span the gaps
    /// between the kernels of one training step, short enough that an idle REPL costs nothing.
    private static let spinNanoseconds: UInt64 = 5_000_000

    private func workLoop() {
        var seen = 0
        var idleSince: UInt64 = 0
        var idleSpins = 0
        while true {
            let generation = state.load(ordering: .acquiring)
            if generation == seen || generation & 1 == 1 {
                idleSpins += 1
                if idleSpins & 1023 == 0 {
                    // Check the clock only now and then: reading it costs more than a spin.
                    let now = Self.monotonicNanoseconds()
                    if idleSince == 0 { idleSince = now } else if now - idleSince > Self.spinNanoseconds {
                        sleep(whileAt: seen)
                        idleSince = 0
                    }
                }
                spinPause()
                continue
            }
            idleSince = 0
            idleSpins = 0
            let body = jobBody.load(ordering: .relaxed), chunks = jobChunks.load(ordering: .relaxed)
            guard state.load(ordering: .acquiring) == generation else { continue }  // rewritten meanwhile
            seen = generation
            if let pointer = UnsafeRawPointer(bitPattern: body) { runChunks(body: pointer, chunks: chunks, generation: generation) }
        }
    }

    /// Blocks until `state` moves past `seen` (a job is published or being written).
    private func sleep(whileAt seen: Int) {
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while state.load(ordering: .sequentiallyConsistent) == seen { pthread_cond_wait(wakeUp, mutex) }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    @inline(__always)
    private func spinPause() {
        _ = busy.load(ordering: .relaxed)
    }
}
