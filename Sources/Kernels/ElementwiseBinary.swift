#if canImport(Glibc)
import Glibc
#endif

/// A two-input scalar function applied element by element; specialised per conforming type.
public protocol BinaryFunction {
    /// The function's value at (a, b).
    static func apply(_ a: Float, _ b: Float) -> Float
}

/// Element-by-element kernels over broadcast operands.
public enum Elementwise {
    /// Elements per thread below which a loop runs on one thread.
    public static let minimumPerThread = 1 << 15

    /// out[i] = F(a[i], b[i]) for contiguous buffers of equal length.
    @inlinable
    public static func map<F: BinaryFunction>(
        _ function: F.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ out: UnsafeMutablePointer<Float>, count: Int
    ) {
        Parallel.forEachChunk(count: count, minimumPerChunk: minimumPerThread) { range in
            for i in range { out[i] = F.apply(a[i], b[i]) }
        }
    }

    /// out = F(a, b) where `layout` walks the output with strides (output, a, b).
    @inlinable
    public static func map<F: BinaryFunction>(
        _ function: F.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ out: UnsafeMutablePointer<Float>, layout: StridedLayout
    ) {
        let inner = layout.innerCount
        let outStride = layout.strides[0].last!, aStride = layout.strides[1].last!, bStride = layout.strides[2].last!
        let rowsPerChunk = max(1, minimumPerThread / max(inner, 1))
        Parallel.forEachChunk(count: layout.outerCount, minimumPerChunk: rowsPerChunk) { rows in
            layout.forEachRow(in: rows) { offsets in
                let o = out + offsets[0], x = a + offsets[1], y = b + offsets[2]
                if outStride == 1 && aStride == 1 && bStride == 1 {
                    for i in 0..<inner { o[i] = F.apply(x[i], y[i]) }
                } else if outStride == 1 && aStride == 1 && bStride == 0 {
                    let value = y[0]
                    for i in 0..<inner { o[i] = F.apply(x[i], value) }
                } else if outStride == 1 && aStride == 0 && bStride == 1 {
                    let value = x[0]
                    for i in 0..<inner { o[i] = F.apply(value, y[i]) }
                } else {
                    for i in 0..<inner { o[i * outStride] = F.apply(x[i * aStride], y[i * bStride]) }
                }
            }
        }
    }
}

/// a + b
public enum Add: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a + b } }
/// a − b
public enum Subtract: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a - b } }
/// a · b
public enum Multiply: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a * b } }
/// a ÷ b
public enum Divide: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a / b } }
/// aᵇ (C `powf`, which PyTorch's CPU kernels also follow for float32)
public enum Power: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { powf(a, b) } }
/// The larger of a and b; NaN if either is NaN (as `torch.maximum`).
public enum Maximum: BinaryFunction {
    @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : (a > b ? a : b) }
}
/// The smaller of a and b; NaN if either is NaN (as `torch.minimum`).
public enum Minimum: BinaryFunction {
    @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a.isNaN || b.isNaN ? .nan : (a < b ? a : b) }
}
/// 1 where a == b, else 0.
public enum Equal: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a == b ? 1 : 0 } }
/// 1 where a != b, else 0.
public enum NotEqual: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a != b ? 1 : 0 } }
/// 1 where a < b, else 0.
public enum Less: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a < b ? 1 : 0 } }
/// 1 where a <= b, else 0.
public enum LessOrEqual: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a <= b ? 1 : 0 } }
/// 1 where a > b, else 0.
public enum Greater: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 } }
/// 1 where a >= b, else 0.
public enum GreaterOrEqual: BinaryFunction { @inlinable public static func apply(_ a: Float, _ b: Float) -> Float { a >= b ? 1 : 0 } }

/// Gradient of ReLU: g where x > 0, else 0 (a = x, b = g; PyTorch's threshold_backward).
public enum ReLUGradient: BinaryFunction { @inlinable public static func apply(_ x: Float, _ g: Float) -> Float { x > 0 ? g : 0 } }
/// Gradient of sigmoid from its output: g · y · (1 − y) (a = y, b = g).
public enum SigmoidGradient: BinaryFunction { @inlinable public static func apply(_ y: Float, _ g: Float) -> Float { g * y * (1 - y) } }
/// Gradient of tanh from its output: g · (1 − y²) (a = y, b = g).
public enum TanhGradient: BinaryFunction { @inlinable public static func apply(_ y: Float, _ g: Float) -> Float { g * (1 - y * y) } }
/// Gradient of |x|: g · sign(x), 0 at 0 (a = x, b = g).
public enum AbsGradient: BinaryFunction {
    @inlinable public static func apply(_ x: Float, _ g: Float) -> Float { x > 0 ? g : (x < 0 ? -g : 0) }
}
