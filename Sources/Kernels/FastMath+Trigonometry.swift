#if canImport(Glibc)
import Glibc
#endif

extension FastMath {
    /// sin or cos per lane for |x| ≤ `trigonometricLimit`: Cody–Waite reduction x = n·π/2 + r in
    /// three parts and Cephes `sinf`/`cosf` polynomials on |r| ≤ π/4; the quadrant n mod 4 picks
    /// the polynomial and the sign. Lanes beyond the limit (and NaN, ±∞) give garbage here: the
    /// caller recomputes them with the C library.
    @_transparent
    public static func sineOrCosine(_ x: Vector, cosine: Bool) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let magnitude = unsafeBitCast(bits & 0x7FFF_FFFF, to: Vector.self)
        let shifter = Vector(repeating: 12_582_912)
        let shifted = multiplyAdd(magnitude, Vector(repeating: 0.636_619_772), shifter)
        let n = shifted - shifter
        var r = multiplyAdd(n, Vector(repeating: -1.570_312_5), magnitude)
        r = multiplyAdd(n, Vector(repeating: -4.837_512_969_970_703_125e-4), r)
        r = multiplyAdd(n, Vector(repeating: -7.549_789_954_891_882_16e-8), r)
        let z = r * r
        var s = Vector(repeating: -1.951_529_589_1e-4)
        s = multiplyAdd(s, z, Vector(repeating: 8.332_160_873_6e-3))
        s = multiplyAdd(s, z, Vector(repeating: -1.666_665_461_1e-1))
        let sinR = multiplyAdd(s * z, r, r)
        var c = Vector(repeating: 2.443_315_711_809_948e-5)
        c = multiplyAdd(c, z, Vector(repeating: -1.388_731_625_493_765e-3))
        c = multiplyAdd(c, z, Vector(repeating: 4.166_664_568_298_827e-2))
        let cosR = multiplyAdd(c * z, z, multiplyAdd(z, Vector(repeating: -0.5), Vector(repeating: 1)))
        // shifted = 1.5·2²³ + n exactly, so its low mantissa bits are n (0x4B40_0000 is 1.5·2²³).
        let quadrant = (unsafeBitCast(shifted, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ (cosine ? 1 : 0)) & 3
        // Bitwise blends, not `replacing(with:where:)`, whose generic form runs lane by lane here.
        let useCosine = SIMD8<UInt32>(repeating: 0) &- (quadrant & 1)
        let value = (unsafeBitCast(sinR, to: SIMD8<UInt32>.self) & ~useCosine) | (unsafeBitCast(cosR, to: SIMD8<UInt32>.self) & useCosine)
        var sign = (quadrant & 2) &<< 30
        if !cosine { sign ^= bits & 0x8000_0000 }  // sin is odd
        return unsafeBitCast(value ^ sign, to: Vector.self)
    }

    /// The largest |x| `sineOrCosine` reduces accurately (n·π/2 in three float parts stays exact).
    public static let trigonometricLimit: Float = 8192
}

extension Elementwise {
    /// out[i] = sin x[i] (or cos x[i]) for contiguous buffers: eight lanes at a time with
    /// `FastMath.sineOrCosine`, the C library for the tail and for |x| beyond its limit.
    public static func sineOrCosine(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, cosine: Bool) {
        Parallel.forEachChunk(count: count, minimumPerChunk: minimumPerThread / 4) { range in
            var i = range.lowerBound
            // The sign bit of limit − |x| (as bit patterns) marks a lane beyond the limit, ∞ or NaN.
            let limitBits = SIMD8<UInt32>(repeating: FastMath.trigonometricLimit.bitPattern)
            var beyond = SIMD8<UInt32>(repeating: 0)
            while i + 8 <= range.upperBound {
                let value = FastMath.load(x + i)
                beyond |= limitBits &- (unsafeBitCast(value, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF)
                FastMath.store(FastMath.sineOrCosine(value, cosine: cosine), out + i)
                i += 8
            }
            let vectorEnd = i
            let anyBeyond = (beyond &>> 31).wrappedSum() != 0  // a sum of ones: 0x8000_0000s would wrap to 0
            for j in range where j >= vectorEnd || (anyBeyond && !(Swift.abs(x[j]) <= FastMath.trigonometricLimit)) {
                out[j] = cosine ? cosf(x[j]) : sinf(x[j])
            }
        }
    }
}
