#if canImport(Glibc)
import Glibc
#endif

/// A one-input scalar function applied element by element; specialised per conforming type.
public protocol UnaryFunction {
    /// The function's value at x.
    static func apply(_ x: Float) -> Float
}

extension Elementwise {
    /// out[i] = F(x[i]) for contiguous buffers (out may equal x).
    @inlinable
    public static func map<F: UnaryFunction>(
        _ function: F.Type, _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int
    ) {
        Parallel.forEachChunk(count: count, minimumPerChunk: minimumPerThread / 4) { range in
            for i in range { out[i] = F.apply(x[i]) }
        }
    }

    /// out[i] = x[i] · scale + shift.
    @inlinable
    public static func affine(
        _ x: UnsafePointer<Float>, scale: Float, shift: Float, _ out: UnsafeMutablePointer<Float>, count: Int
    ) {
        Parallel.forEachChunk(count: count, minimumPerChunk: minimumPerThread) { range in
            for i in range { out[i] = x[i] * scale + shift }
        }
    }

    /// out[i] += x[i] (gradient accumulation).
    @inlinable
    public static func accumulate(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        Parallel.forEachChunk(count: count, minimumPerChunk: minimumPerThread) { range in
            for i in range { out[i] += x[i] }
        }
    }

    /// out[i] = value.
    @inlinable
    public static func fill(_ out: UnsafeMutablePointer<Float>, with value: Float, count: Int) {
        if value == 0 {
            out.update(repeating: 0, count: count)
        } else {
            for i in 0..<count { out[i] = value }
        }
    }
}

/// −x
public enum Negate: UnaryFunction { @inlinable public static func apply(_ x: Float) -> Float { -x } }
/// |x|
public enum Absolute: UnaryFunction { @inlinable public static func apply(_ x: Float) -> Float { abs(x) } }
/// √x
public enum SquareRoot: UnaryFunction { @inlinable public static func apply(_ x: Float) -> Float { x.squareRoot() } }
/// ln x (C `logf`)
public enum Logarithm: UnaryFunction { @inlinable public static func apply(_ x: Float) -> Float { logf(x) } }
/// max(x, 0); NaN stays NaN.
public enum ReLU: UnaryFunction { @inlinable public static func apply(_ x: Float) -> Float { x > 0 ? x : (x.isNaN ? x : 0) } }
/// eˣ, vectorisable (see `FastMath.exp`).
public enum Exponential: UnaryFunction { @inlinable public static func apply(_ x: Float) -> Float { FastMath.exp(x) } }
/// 1 / (1 + e⁻ˣ)
public enum Sigmoid: UnaryFunction { @inlinable public static func apply(_ x: Float) -> Float { FastMath.sigmoid(x) } }
/// tanh x, vectorisable (see `FastMath.tanh`).
public enum HyperbolicTangent: UnaryFunction { @inlinable public static func apply(_ x: Float) -> Float { FastMath.tanh(x) } }

extension Elementwise {
    /// out[i] = min(max(x[i], low), high); NaN stays NaN (Swift's max and min keep a NaN first operand).
    public static func clamp(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, low: Float, high: Float) {
        Parallel.forEachChunk(count: count, minimumPerChunk: minimumPerThread) { range in
            for i in range { out[i] = Swift.min(Swift.max(x[i], low), high) }
        }
    }

    /// out[i] = 1 where low < x[i] < high, else 0: where clamp passes the gradient.
    public static func strictlyInside(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int, low: Float, high: Float) {
        Parallel.forEachChunk(count: count, minimumPerChunk: minimumPerThread) { range in
            for i in range { out[i] = x[i] > low && x[i] < high ? 1 : 0 }
        }
    }

    /// out[i] = condition[i] ≠ 0 ? a[i] : b[i], as a bitwise blend (a random mask would
    /// mispredict a branch every other element).
    public static func select(
        _ condition: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, count: Int
    ) {
        Parallel.forEachChunk(count: count, minimumPerChunk: minimumPerThread) { range in
            for i in range {
                let take = 0 &- UInt32(condition[i] != 0 ? 1 : 0)
                out[i] = Float(bitPattern: (a[i].bitPattern & take) | (b[i].bitPattern & ~take))
            }
        }
    }
}
