#if canImport(Glibc)
import Glibc
#endif

/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64) whose streams are
/// identical on every machine: integers come from the generator alone, and normals are computed in
/// double precision and rounded once to float.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The generator's whole state, four words: saved with a checkpoint so that training resumes
    /// with the same shuffles and dropout masks.
    public var stateWords: [UInt64] {
        get { [state.0, state.1, state.2, state.3] }
        set {
            precondition(newValue.count == 4, "a generator's state is four words")
            state = (newValue[0], newValue[1], newValue[2], newValue[3])
        }
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 24 random bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Standard normal (Box–Muller, one value per call so the stream does not depend on batching).
    public mutating func nextNormal() -> Float {
        let u1 = (Double(next() >> 11) + 1) * 0x1p-53
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// Uniform integer in [low, high) (Lemire's multiply-shift, unbiased for ranges below 2³²).
    public mutating func nextInt(in range: Range<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound)
        let product = (next() >> 32) &* width
        return range.lowerBound + Int(product >> 32)
    }
}

/// The default generator behind `randn`, `rand`, initialisers, shuffles and dropout; `seed(_:)`
/// makes everything after it repeatable, and the default seed is fixed, so even unseeded runs
/// repeat. There is one generator per thread: in the REPL (one thread) that is exactly PyTorch's
/// global seed, and code on other threads — tests running in parallel, background work — can
/// neither disturb a seeded stream nor be disturbed by it.
public enum GlobalRandom {
    /// Each thread's generator, boxed in its thread-specific slot and freed when the thread ends.
    private final class Box {
        var generator = RandomGenerator(seed: 0)
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in pointer.map { Unmanaged<AnyObject>.fromOpaque($0).release() } }
        return key
    }()

    private static var box: Box {
        if let existing = pthread_getspecific(key) {
            return Unmanaged<Box>.fromOpaque(existing).takeUnretainedValue()
        }
        let fresh = Box()
        pthread_setspecific(key, Unmanaged.passRetained(fresh).toOpaque())
        return fresh
    }

    /// Restarts the calling thread's stream from `seed`.
    public static func seed(_ seed: UInt64) {
        box.generator = RandomGenerator(seed: seed)
    }

    /// The calling thread's generator as it stands (a copy), or replaced by another.
    public static var generator: RandomGenerator {
        get { box.generator }
        set { box.generator = newValue }
    }

    /// Draws from the calling thread's generator.
    public static func withGenerator<R, E: Error>(_ body: (inout RandomGenerator) throws(E) -> R) throws(E) -> R {
        try body(&box.generator)
    }
}
