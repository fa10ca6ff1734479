#if canImport(Glibc)
import Glibc
#endif

/// GELU, x · Φ(x), exactly with erf (`nn.GELU()`): 0.5 · x · (1 + erf(x / √2)).
public enum GELUExact: UnaryFunction {
    @inlinable public static func apply(_ x: Float) -> Float { 0.5 * x * (1 + erff(x * 0.707_106_77)) }
}

/// GELU with the tanh approximation (`nn.GELU(approximate="tanh")`, GPT-2's):
/// 0.5 · x · (1 + tanh(u)) with u = √(2/π) · (x + 0.044715 · x³), computed as x · σ(2u)
/// (the same function, since 1 + tanh(u) = 2σ(2u)): one vectorisable `FastMath.exp` and one
/// division per element, where tanh needed a polynomial and an exponential and a select.
public enum GELUTanh: UnaryFunction {
    @inlinable @inline(__always) public static func apply(_ x: Float) -> Float {
        x / (1 + FastMath.exp(-1.595_769_12 * x.addingProduct(0.044_715 * x * x, x)))
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

/// Gradient of tanh-approximated GELU (a = x, b = g): with σ = σ(2u),
/// d/dx x·σ = σ + 2·x·u′·σ·(1 − σ), u′ = √(2/π) · (1 + 3 · 0.044715 · x²).
public enum GELUTanhGradient: BinaryFunction {
    @inlinable @inline(__always) public static func apply(_ x: Float, _ g: Float) -> Float {
        let sigma = 1 / (1 + FastMath.exp(-1.595_769_12 * x.addingProduct(0.044_715 * x * x, x)))
        let twiceInnerDerivative = 1.595_769_12 * (1 + 0.134_145 * x * x)
        return g * sigma.addingProduct(x * twiceInnerDerivative * sigma, 1 - sigma)
    }
}
