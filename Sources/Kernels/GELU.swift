#if canImport(Glibc)
import Glibc
#endif

/// GELU, x · Φ(x), exactly with erf (`nn.GELU()`): 0.5 · x · (1 + erf(x / √2)).
public enum GELUExact: UnaryFunction {
    @inlinable public static func apply(_ x: Float) -> Float { 0.5 * x * (1 + erff(x * 0.707_106_77)) }
}

/// GELU with the tanh approximation (`nn.GELU(approximate="tanh")`, GPT-2's):
/// 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))), with the vectorisable `FastMath.tanh`
/// (libm's scalar `tanhf` took a fifth of a tiny GPT's training step).
public enum GELUTanh: UnaryFunction {
    @inlinable @inline(__always) public static func apply(_ x: Float) -> Float {
        0.5 * x * (1 + FastMath.tanh(0.797_884_56 * (x + 0.044_715 * x * x * x)))
    }
}

/// Gradient of exact GELU: g · (Φ(x) + x · φ(x)) (a = x, b = g).
public enum GELUExactGradient: BinaryFunction {
    @inlinable public static func apply(_ x: Float, _ g: Float) -> Float {
        let cumulative = 0.5 * (1 + erff(x * 0.707_106_77))
        let density = expf(-0.5 * x * x) * 0.398_942_28
        return g * (cumulative + x * density)
    }
}

/// Gradient of tanh-approximated GELU (a = x, b = g).
public enum GELUTanhGradient: BinaryFunction {
    @inlinable @inline(__always) public static func apply(_ x: Float, _ g: Float) -> Float {
        let inner = 0.797_884_56 * (x + 0.044_715 * x * x * x)
        let t = FastMath.tanh(inner)
        let innerDerivative = 0.797_884_56 * (1 + 3 * 0.044_715 * x * x)
        return g * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * innerDerivative)
    }
}
