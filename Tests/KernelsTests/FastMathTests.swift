import Foundation
import Kernels
import Testing

@Suite struct FastMathTests {
    /// Every 97th float bit pattern in the useful range, compared with the C library in ulps.
    static func sweep(from low: Float, to high: Float) -> [Float] {
        var values: [Float] = []
        var x = low
        while x < high {
            values.append(x)
            x = Float(bitPattern: x.bitPattern &+ (x < 0 ? UInt32.max - 96 : 97))
            if x.isNaN { break }
        }
        return values.filter { $0 >= low && $0 < high }
    }

    static func ulps(_ a: Float, _ b: Float) -> Float {
        if a == b { return 0 }
        return abs(a - b) / Float(b.ulp)
    }

    @Test func expWithinTwoUlpsOfLibm() {
        var worst: Float = 0
        for x in stride(from: Float(-87), to: 88, by: 0.0137) {
            worst = max(worst, Self.ulps(FastMath.exp(x), Foundation.exp(x)))
        }
        #expect(worst <= 2, "worst \(worst) ulp")
    }

    /// sin and cos of the vector kernel against the double-precision C library: within 2e-7 of the
    /// true value for |x| ≤ 8192 (the float result itself rounds by up to 6e-8), the C library's
    /// float result beyond, NaN for ±∞ and NaN, and the tail of a count that is not a multiple of 8.
    @Test func sineAndCosineMatchTheCLibrary() {
        var inputs = stride(from: Float(-8192), to: 8192, by: 0.913).map { $0 }
        inputs += stride(from: Float(-10), to: 10, by: 0.001).map { $0 }
        inputs += [0, -0, Float.pi, -Float.pi / 2, 1e-30, 8192.5, -1e6, 3e30, .infinity, -.infinity, .nan, 1.5]
        for cosine in [false, true] {
            var output = [Float](repeating: 0, count: inputs.count)
            Elementwise.sineOrCosine(inputs, &output, count: inputs.count, cosine: cosine)
            var worst: Double = 0
            for (x, y) in zip(inputs, output) {
                if !x.isFinite { #expect(y.isNaN, "\(cosine ? "cos" : "sin")(\(x)) = \(y)"); continue }
                if abs(x) > FastMath.trigonometricLimit {
                    #expect(y == (cosine ? cosf(x) : sinf(x)), "x = \(x)")
                    continue
                }
                let exact = cosine ? Foundation.cos(Double(x)) : Foundation.sin(Double(x))
                worst = max(worst, abs(Double(y) - exact))
            }
            #expect(worst <= 2e-7, "\(cosine ? "cos" : "sin") worst absolute error \(worst)")
        }
    }

    @Test func vectorLanesEqualScalarFunctions() {
        var x = Float(-120)
        while x < 120 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0173 })
            let (e, s, t) = (FastMath.exp(lanes), FastMath.sigmoid(lanes), FastMath.tanh(lanes))
            for lane in 0..<8 {
                #expect(e[lane] == FastMath.exp(lanes[lane]) && s[lane] == FastMath.sigmoid(lanes[lane]) && t[lane] == FastMath.tanh(lanes[lane]),
                        "x = \(lanes[lane])")
            }
            x += 0.731
        }
        let special = SIMD8<Float>(.nan, .infinity, -.infinity, 0, -0.0, 1e-30, 100, -200)
        let e = FastMath.exp(special)
        #expect(e[0].isNaN && e[1] == .infinity && e[2] == 0 && e[3] == 1 && e[6] == .infinity && e[7] == 0)
        #expect(FastMath.tanh(special)[0].isNaN && FastMath.tanh(special)[1] == 1 && FastMath.tanh(special)[2] == -1)
    }

    @Test func expEdgeCases() {
        #expect(FastMath.exp(0) == 1)
        #expect(FastMath.exp(100) == .infinity)
        #expect(FastMath.exp(-200) == 0)
        #expect(FastMath.exp(.nan).isNaN)
        #expect(FastMath.exp(-100) > 0 && FastMath.exp(-100) < 1e-43)
    }

    @Test func tanhAndSigmoidAgreeWithLibm() {
        var worstTanh: Float = 0, worstSigmoid: Float = 0
        for x in stride(from: Float(-20), to: 20, by: 0.00731) {
            worstTanh = max(worstTanh, abs(FastMath.tanh(x) - Foundation.tanh(x)))
            worstSigmoid = max(worstSigmoid, abs(FastMath.sigmoid(x) - 1 / (1 + Foundation.exp(-x))))
        }
        #expect(worstTanh < 3e-7, "tanh worst absolute error \(worstTanh)")
        #expect(worstSigmoid < 2e-7, "sigmoid worst absolute error \(worstSigmoid)")
        #expect(abs(FastMath.tanh(1e-4) - 1e-4) < 1e-11)
        #expect(FastMath.tanh(.nan).isNaN && FastMath.sigmoid(-200) == 0 && FastMath.sigmoid(200) == 1)
    }
}

/// The vectorised row passes agree with plain loops at every length around the vector width.
@Suite struct RowOperationsTests {
    static func close(_ a: Float, _ b: Float) -> Bool { Swift.abs(a - b) <= 1e-5 * Swift.max(1, Swift.abs(b)) }

    @Test(arguments: 0...19)
    func maximumExponentialsAndDotMatchPlainLoops(_ count: Int) {
        var values: [Float] = (0..<count).map { Float(($0 * 37) % 11) - 5.5 }
        if count > 3 { values[3] = -.infinity }
        let other: [Float] = (0..<count).map { Float($0) * 0.25 - 1 }
        let maximum = values.withUnsafeBufferPointer { RowOperations.maximum($0.baseAddress!, count: count) }
        #expect(maximum == (values.max() ?? -.infinity))
        var row = values
        let total = row.withUnsafeMutableBufferPointer { RowOperations.exponentiate($0.baseAddress!, count: count, shift: 1) }
        let expected: [Float] = values.map { FastMath.exp($0 - 1) }
        #expect(row == expected)
        #expect(Self.close(total, expected.reduce(0, +)))
        let sum = values.withUnsafeBufferPointer { RowOperations.sumOfExponentials($0.baseAddress!, count: count, shift: 1) }
        #expect(Self.close(sum, total))
        let dot = other.withUnsafeBufferPointer { RowOperations.dot($0.baseAddress!, $0.baseAddress!, count: count) }
        #expect(Self.close(dot, other.map { $0 * $0 }.reduce(0, +)))
    }
}
