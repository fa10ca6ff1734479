/// Vectorised passes over one contiguous row: the maximum, and the exponentials shifted by a
/// constant with their sum. LLVM leaves these loops scalar by itself (it may not reorder a float
/// sum or maximum), which made attention's softmax a scalar `exp` per score.
public enum RowOperations {
    /// The largest of `count` floats at `x` (−∞ for none).
    @inlinable
    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var best = FastMath.Vector(repeating: -.infinity)
        var i = 0
        while i + 8 <= count {
            let v = FastMath.load(x + i)
            best.replace(with: v, where: v .> best)
            i += 8
        }
        var result = -Float.infinity
        for lane in 0..<8 where best[lane] > result { result = best[lane] }
        while i < count {
            if x[i] > result { result = x[i] }
            i += 1
        }
        return result
    }

    /// row[j] = e^(row[j] − shift) for j < count, in place; returns their sum.
    @inlinable
    public static func exponentiate(_ row: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Float {
        let shiftVector = FastMath.Vector(repeating: shift)
        var total = FastMath.Vector()
        var i = 0
        while i + 8 <= count {
            let e = FastMath.exp(FastMath.load(row + i) - shiftVector)
            FastMath.store(e, row + i)
            total += e
            i += 8
        }
        var result = total.sum()
        while i < count {
            let e = FastMath.exp(row[i] - shift)
            row[i] = e
            result += e
            i += 1
        }
        return result
    }

    /// Σ e^(x[j] − shift) for j < count, without writing.
    @inlinable
    public static func sumOfExponentials(_ x: UnsafePointer<Float>, count: Int, shift: Float) -> Float {
        let shiftVector = FastMath.Vector(repeating: shift)
        var total = FastMath.Vector()
        var i = 0
        while i + 8 <= count {
            total += FastMath.exp(FastMath.load(x + i) - shiftVector)
            i += 8
        }
        var result = total.sum()
        while i < count {
            result += FastMath.exp(x[i] - shift)
            i += 1
        }
        return result
    }

    /// Σ a[j] · b[j] for j < count.
    @inlinable
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var total = FastMath.Vector()
        var i = 0
        while i + 8 <= count {
            total = FastMath.multiplyAdd(FastMath.load(a + i), FastMath.load(b + i), total)
            i += 8
        }
        var result = total.sum()
        while i < count {
            result += a[i] * b[i]
            i += 1
        }
        return result
    }
}
