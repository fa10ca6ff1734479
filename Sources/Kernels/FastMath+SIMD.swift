import CVectorMath

/// Eight-lane versions of `FastMath` (the same formulas and constants, lane by lane), for loops
/// LLVM cannot vectorise by itself.
extension FastMath {
    /// A vector of eight floats.
    public typealias Vector = SIMD8<Float>

    /// a·b + c per lane with one rounding, as `Float.addingProduct` does lane by lane: one vector
    /// instruction (`SIMD8.addingProduct` is eight scalar fmas LLVM only partly re-vectorises).
    @_transparent
    public static func multiplyAdd(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector {
        tensorbook_fma8(a, b, c)
    }

    /// √x per lane, correctly rounded as `Float.squareRoot()`: one vector instruction (the generic
    /// `SIMD.squareRoot()` is a scalar square root per lane).
    @_transparent
    public static func squareRoot(_ x: Vector) -> Vector {
        tensorbook_sqrt8(x)
    }

    /// eˣ per lane (see `exp(_: Float)`).
    // NOTE: @_transparent, because @inline(__always) was not honoured here and the calls
    // (SIMD8 passed through memory) made the LSTM cell five times slower.
    @_transparent
    public static func exp(_ x: Vector) -> Vector {
        // Lane-wise selects only: the stdlib's generic `clamped` and float→int vector
        // conversions are per-lane slow paths.
        var clamped = x.replacing(with: 0, where: x .!= x)
        clamped.replace(with: -103.9, where: clamped .< -103.9)
        clamped.replace(with: 88.8, where: clamped .> 88.8)
        let shifter = Vector(repeating: 12_582_912)
        let shifted = multiplyAdd(clamped, Vector(repeating: 1.442_695_04), shifter)
        let n = shifted - shifter
        var r = multiplyAdd(n, Vector(repeating: -0.693_359_375), clamped)
        r = multiplyAdd(n, Vector(repeating: 2.121_944_4e-4), r)
        var p = Vector(repeating: 1.987_569_1e-4)
        p = multiplyAdd(p, r, Vector(repeating: 1.398_199_9e-3))
        p = multiplyAdd(p, r, Vector(repeating: 8.333_452e-3))
        p = multiplyAdd(p, r, Vector(repeating: 4.166_579_6e-2))
        p = multiplyAdd(p, r, Vector(repeating: 1.666_666_5e-1))
        p = multiplyAdd(p, r, Vector(repeating: 5.000_000_1e-1))
        let er = multiplyAdd(p * r, r, r + 1)
        // shifted = 1.5·2²³ + n exactly, so its low mantissa bits are n (0x4B40_0000 is 1.5·2²³).
        let ni = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let half = ni &>> 1
        let scale1 = unsafeBitCast((half &+ 127) &<< 23, to: Vector.self)
        let scale2 = unsafeBitCast((ni &- half &+ 127) &<< 23, to: Vector.self)
        var result = er * scale1 * scale2
        result.replace(with: .infinity, where: x .> 88.72)
        result.replace(with: 0, where: x .< -103.9)
        result.replace(with: x, where: x .!= x)
        return result
    }

    /// 1 / (1 + e⁻ˣ) per lane.
    // NOTE: @_transparent, because @inline(__always) was not honoured here and the calls
    // (SIMD8 passed through memory) made the LSTM cell five times slower.
    @_transparent
    public static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    /// tanh x per lane (see `tanh(_: Float)`).
    // NOTE: @_transparent, because @inline(__always) was not honoured here and the calls
    // (SIMD8 passed through memory) made the LSTM cell five times slower.
    @_transparent
    public static func tanh(_ x: Vector) -> Vector {
        let z = x * x
        var p = Vector(repeating: -5.704_988_7e-3)
        p = multiplyAdd(p, z, Vector(repeating: 2.063_908_9e-2))
        p = multiplyAdd(p, z, Vector(repeating: -5.373_971_6e-2))
        p = multiplyAdd(p, z, Vector(repeating: 1.333_144_2e-1))
        p = multiplyAdd(p, z, Vector(repeating: -3.333_328_2e-1))
        let small = multiplyAdd(x * z, p, x)
        let magnitude = abs(x)
        var large = 1 - 2 / (exp(2 * magnitude) + 1)
        large.replace(with: -large, where: x .< 0)
        return small.replacing(with: large, where: magnitude .>= 0.625)
    }

    /// Loads eight floats.
    @inlinable @inline(__always)
    public static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    /// Stores eight floats.
    @inlinable @inline(__always)
    public static func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
    }
}

/// Absolute value per lane.
@inlinable @inline(__always)
func abs(_ x: SIMD8<Float>) -> SIMD8<Float> {
    unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
}
