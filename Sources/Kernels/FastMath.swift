/// Branch-free float32 exp/sigmoid/tanh that LLVM vectorises (libm's `expf` is a scalar call).
/// Accuracy is within 2 ulp of the C library over the float range (tested in KernelsTests).
public enum FastMath {
    /// eˣ: Cody–Waite range reduction x = n·ln2 + r and a degree-6 polynomial for eʳ (Cephes
    /// `expf` coefficients); saturates to 0 below −103.9 and to +∞ above 88.72, NaN stays NaN.
    @inlinable @inline(__always)
    public static func exp(_ x: Float) -> Float {
        let clamped = Swift.min(Swift.max(x.isNaN ? 0 : x, -103.9), 88.8)
        // Round to nearest with the 1.5·2²³ trick (no libm call, vectorises).
        let shifter: Float = 12_582_912
        let n = shifter.addingProduct(clamped, 1.442_695_04) - shifter
        // Fused multiply-adds (one rounding each); the vector version does exactly the same.
        var r = clamped.addingProduct(n, -0.693_359_375)
        r = r.addingProduct(n, 2.121_944_4e-4)
        var p: Float = 1.987_569_1e-4
        p = Float(1.398_199_9e-3).addingProduct(p, r)
        p = Float(8.333_452e-3).addingProduct(p, r)
        p = Float(4.166_579_6e-2).addingProduct(p, r)
        p = Float(1.666_666_5e-1).addingProduct(p, r)
        p = Float(5.000_000_1e-1).addingProduct(p, r)
        let er = (r + 1).addingProduct(p * r, r)
        // Scale by 2ⁿ in two halves so that n down to −150 stays representable (subnormals).
        let ni = Int32(n)
        let half = ni >> 1
        let scale1 = Float(bitPattern: UInt32(bitPattern: (half + 127) << 23))
        let scale2 = Float(bitPattern: UInt32(bitPattern: (ni - half + 127) << 23))
        let result = er * scale1 * scale2
        return x > 88.72 ? .infinity : (x < -103.9 ? 0 : (x.isNaN ? x : result))
    }

    /// 1 / (1 + e⁻ˣ)
    @inlinable @inline(__always)
    public static func sigmoid(_ x: Float) -> Float {
        1 / (1 + exp(-x))
    }

    /// tanh x: an odd polynomial for |x| < 0.625 (Cephes `tanhf`), else 1 − 2/(e^{2|x|} + 1).
    @inlinable @inline(__always)
    public static func tanh(_ x: Float) -> Float {
        let z = x * x
        var p: Float = -5.704_988_7e-3
        p = Float(2.063_908_9e-2).addingProduct(p, z)
        p = Float(-5.373_971_6e-2).addingProduct(p, z)
        p = Float(1.333_144_2e-1).addingProduct(p, z)
        p = Float(-3.333_328_2e-1).addingProduct(p, z)
        let small = x.addingProduct(x * z, p)
        let magnitude = Swift.abs(x)
        let large = 1 - 2 / (exp(2 * magnitude) + 1)
        let signedLarge = x < 0 ? -large : large
        return magnitude < 0.625 ? small : signedLarge
    }
}
