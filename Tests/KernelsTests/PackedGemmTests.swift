import Kernels
import Testing

/// `PackedGemm` against the definition (in Double) for row counts that leave every tile height,
/// column counts that leave a partial panel, depths past one depth block, both ways of storing
/// B, both ways of reading A (copied when there are 16 panels or more), writing and adding; and
/// a row's result does not depend on the rows computed with it.
@Suite struct PackedGemmTests {
    /// Values in [-1, 1) that are not round numbers.
    func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float((($0 + seed) * 7919 + seed * 104_729) % 2000) / 1000 - 1 + 0.000_37 }
    }

    @Test(arguments: [(1, 16, 1), (5, 20, 7), (6, 33, 64), (13, 128, 300), (32, 512, 128), (32, 128, 512), (7, 260, 9)])
    func multiplyMatchesTheDefinition(_ size: (m: Int, n: Int, k: Int)) {
        let (m, n, k) = size
        let lda = k + 3, ldc = n + 5
        let a = values(m * lda, seed: 1), initial = values(m * ldc, seed: 2)
        for transposed in [false, true] {
            let ldb = transposed ? k + 2 : n + 2
            let b = values((transposed ? n : k) * ldb, seed: 3)
            var packed = [Float](repeating: .nan, count: PackedGemm.packedCount(k: k, n: n))
            for accumulate in [false, true] {
                var c = initial
                packed.withUnsafeMutableBufferPointer { storage in
                    let matrix = PackedGemm.pack(b, ldb: ldb, k: k, n: n, transposed: transposed, into: storage.baseAddress!)
                    PackedGemm.multiply(m: m, a: a, lda: lda, matrix, c: &c, ldc: ldc, accumulate: accumulate)
                }
                var worst: Double = 0
                for i in 0..<m {
                    for j in 0..<n {
                        var sum: Double = accumulate ? Double(initial[i * ldc + j]) : 0
                        for p in 0..<k { sum += Double(a[i * lda + p]) * Double(transposed ? b[j * ldb + p] : b[p * ldb + j]) }
                        worst = max(worst, abs(Double(c[i * ldc + j]) - sum))
                    }
                    for j in n..<ldc { #expect(c[i * ldc + j] == initial[i * ldc + j], "column \(j) past n was written") }
                }
                #expect(worst < 1e-5 * Double(k), "m \(m) n \(n) k \(k) transposed \(transposed) accumulate \(accumulate): \(worst)")
            }
        }
    }

    @Test(arguments: [16, 512])
    func aRowDoesNotDependOnTheRowsBesideIt(_ n: Int) {
        let (m, k) = (32, 200)
        let a = values(m * k, seed: 4), b = values(k * n, seed: 5)
        var packed = [Float](repeating: 0, count: PackedGemm.packedCount(k: k, n: n))
        var whole = [Float](repeating: 0, count: m * n), split = whole
        packed.withUnsafeMutableBufferPointer { storage in
            let matrix = PackedGemm.pack(b, ldb: n, k: k, n: n, transposed: false, into: storage.baseAddress!)
            PackedGemm.multiply(m: m, a: a, lda: k, matrix, c: &whole, ldc: n, accumulate: false)
            for (start, count) in [(0, 5), (5, 1), (6, 13), (19, 13)] {
                a.withUnsafeBufferPointer { rowsOfA in
                    split.withUnsafeMutableBufferPointer { rowsOfC in
                        PackedGemm.multiply(m: count, a: rowsOfA.baseAddress! + start * k, lda: k, matrix,
                                            c: rowsOfC.baseAddress! + start * n, ldc: n, accumulate: false)
                    }
                }
            }
        }
        #expect(whole.map(\.bitPattern) == split.map(\.bitPattern))
    }
}
