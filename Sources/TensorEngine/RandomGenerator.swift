#if canImport(Glibc)
import Glibc
#endif
import Synchronization

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

/// The process-wide generator behind `randn`, `rand`, initialisers and shuffles; `seed(_:)` makes
/// everything after it repeatable. Its default seed is fixed, so runs are repeatable even unseeded.
public enum GlobalRandom {
    private static let generator = Mutex(RandomGenerator(seed: 0))

    /// Restarts the global stream from `seed`.
    public static func seed(_ seed: UInt64) {
        generator.withLock { $0 = RandomGenerator(seed: seed) }
    }

    /// Draws from the global generator.
    public static func withGenerator<R, E: Error>(_ body: (inout RandomGenerator) throws(E) -> R) throws(E) -> R {
        try generator.withLock { (generator) throws(E) -> R in try body(&generator) }
    }
}
