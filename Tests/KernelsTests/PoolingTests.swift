import Kernels
import Testing

@Suite struct PoolingTests {
    /// The 2×2 kernels (rows of eight windows at a time, narrow planes in two stages, the scalar
    /// loop) against the definition PyTorch uses (first maximum, a NaN taking over), for rows of 1 to
    /// 14 windows, an odd height and an odd width, with ties, ±0, all-negative windows and NaNs in
    /// every window position; nothing is written past the last plane.
    @Test(arguments: [(2, 2), (4, 4), (6, 6), (10, 10), (11, 10), (12, 6), (16, 16), (22, 22), (28, 28), (6, 17)])
    func twoByTwoMatchesTheDefinition(height: Int, width: Int) {
        let planes = 3, outH = height / 2, outW = width / 2
        var x: [Float] = (0..<(planes * height * width)).map { Float(($0 * 37) % 23) - 12 }
        for k in stride(from: 5, to: x.count, by: 13) { x[k] = .nan }
        for k in stride(from: 2, to: x.count, by: 11) { x[k] = k % 2 == 0 ? -0.0 : 0 }
        for rectified in [false, true] {
            // Eight sentinels past the last plane's outputs.
            var out = [Float](repeating: 7, count: planes * outH * outW + 8), argmax = [Int32](repeating: 7, count: out.count)
            Pooling.maxForward(x, planes: planes, height: height, width: width, kernel: 2, stride: 2, &out, argmax: &argmax,
                               rectified: rectified)
            #expect(out.suffix(8) == Array(repeating: 7, count: 8) && argmax.suffix(8) == Array(repeating: 7, count: 8),
                    "written past the planes, rectified \(rectified)")
            for p in 0..<planes {
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        var best = -Float.infinity, winner = 0
                        for (dy, dx) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                            let at = (2 * oy + dy) * width + 2 * ox + dx, value = x[p * height * width + at]
                            if value > best || value.isNaN { best = value; winner = at }
                        }
                        if rectified && !(best > 0) {
                            if !best.isNaN { best = 0 }
                            winner = -1
                        }
                        let j = (p * outH + oy) * outW + ox
                        #expect(out[j].bitPattern == best.bitPattern && Int(argmax[j]) == winner,
                                "plane \(p) window (\(oy), \(ox)), rectified \(rectified)")
                    }
                }
            }
        }
    }
}
