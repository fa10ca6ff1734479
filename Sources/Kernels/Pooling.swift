/// 2-D max pooling over independent planes (N·C planes of H×W), no padding, floor mode (as PyTorch).
public enum Pooling {
    /// out[p, oy, ox] = max of the k×k window at (oy·s, ox·s); `argmax`, when given, gets the
    /// winner's index in its plane (the first maximum in row-major window order, a NaN taking over,
    /// as PyTorch).
    ///
    /// `rectified` pools as if a ReLU came first: max(relu(x)) = relu(max(x)), so the output is the
    /// same as pooling a ReLU's output, and a window whose maximum is not positive gets argmax -1
    /// (no gradient: ReLU's gradient there is 0), saving the ReLU's pass over the larger input.
    public static func maxForward(
        _ x: UnsafePointer<Float>, planes: Int, height: Int, width: Int, kernel: Int, stride: Int,
        _ out: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?, rectified: Bool = false
    ) {
        let outH = (height - kernel) / stride + 1, outW = (width - kernel) / stride + 1
        Parallel.forEachChunk(count: planes, minimumPerChunk: max(1, Elementwise.minimumPerThread / (height * width))) { range in
            for p in range {
                let plane = x + p * height * width
                let o = out + p * outH * outW, index = argmax.map { $0 + p * outH * outW }
                if kernel == 2 && stride == 2 {
                    maxForward2x2(plane, width: width, outH: outH, outW: outW, o, index, rectified: rectified)
                } else {
                    maxForwardGeneral(plane, width: width, kernel: kernel, stride: stride, outH: outH, outW: outW, o, index)
                    if rectified { rectify(o, index, count: outH * outW) }
                }
            }
        }
    }

    @inline(__always)
    private static func maxForwardGeneral(
        _ plane: UnsafePointer<Float>, width: Int, kernel: Int, stride: Int, outH: Int, outW: Int,
        _ o: UnsafeMutablePointer<Float>, _ index: UnsafeMutablePointer<Int32>?
    ) {
        for oy in 0..<outH {
            for ox in 0..<outW {
                var best = -Float.infinity, bestIndex = (oy * stride) * width + ox * stride
                for ky in 0..<kernel {
                    let rowStart = (oy * stride + ky) * width + ox * stride
                    for kx in 0..<kernel {
                        let value = plane[rowStart + kx]
                        if value > best || value.isNaN { best = value; bestIndex = rowStart + kx }
                    }
                }
                o[oy * outW + ox] = plane[bestIndex]
                index?[oy * outW + ox] = Int32(bestIndex)
            }
        }
    }

    /// 2×2 windows at stride 2: eight outputs at a time (the last eight of a row overlap the ones
    /// before them), with selects instead of branches, whose outcomes on real activations are
    /// coin flips; rows narrower than 8 take the scalar loop. `rectified` applies `rectify` to each
    /// window before it is stored (a separate pass would reload the overlapping 8-wide stores,
    /// which the CPU cannot forward).
    @inline(__always)
    private static func maxForward2x2(
        _ plane: UnsafePointer<Float>, width: Int, outH: Int, outW: Int,
        _ o: UnsafeMutablePointer<Float>, _ index: UnsafeMutablePointer<Int32>?, rectified: Bool
    ) {
        for oy in 0..<outH {
            let top = plane + 2 * oy * width, row = o + oy * outW, rowIndex = index.map { $0 + oy * outW }
            let base = Int32(2 * oy * width)
            guard outW >= 8 else {
                for ox in 0..<outW { maxWindow2x2(top, width: width, base: base, ox, row, rowIndex, rectified) }
                continue
            }
            var ox = 0
            while ox + 8 < outW {
                maxWindows2x2(top, width: width, base: base, ox, row, rowIndex, rectified)
                ox += 8
            }
            maxWindows2x2(top, width: width, base: base, outW - 8, row, rowIndex, rectified)
        }
    }

    /// Eight 2×2 windows of one output row, from output column `ox`.
    @inline(__always)
    private static func maxWindows2x2(
        _ top: UnsafePointer<Float>, width: Int, base: Int32, _ ox: Int,
        _ row: UnsafeMutablePointer<Float>, _ rowIndex: UnsafeMutablePointer<Int32>?, _ rectified: Bool
    ) {
        let upper = UnsafeRawPointer(top + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let lower = UnsafeRawPointer(top + width + 2 * ox).loadUnaligned(as: SIMD16<Float>.self)
        let first = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14) &+ (base + Int32(2 * ox))
        // First maximum in row-major window order, a NaN taking over (the last one wins), like PyTorch.
        var best = upper.evenHalf, winner = first
        @inline(__always) func consider(_ candidate: SIMD8<Float>, offset: Int) {
            let better = (candidate .> best) .| (candidate .!= candidate)
            best.replace(with: candidate, where: better)
            winner.replace(with: first &+ Int32(offset), where: better)
        }
        consider(upper.oddHalf, offset: 1)
        consider(lower.evenHalf, offset: width)
        consider(lower.oddHalf, offset: width + 1)
        if rectified {
            let notPositive = .!(best .> 0)
            best.replace(with: 0, where: notPositive .& (best .== best))
            winner.replace(with: -1, where: notPositive)
        }
        UnsafeMutableRawPointer(row + ox).storeBytes(of: best, as: SIMD8<Float>.self)
        if let rowIndex { UnsafeMutableRawPointer(rowIndex + ox).storeBytes(of: winner, as: SIMD8<Int32>.self) }
    }

    /// One 2×2 window: the scalar form of `maxWindows2x2`.
    @inline(__always)
    private static func maxWindow2x2(
        _ top: UnsafePointer<Float>, width: Int, base: Int32, _ ox: Int,
        _ row: UnsafeMutablePointer<Float>, _ rowIndex: UnsafeMutablePointer<Int32>?, _ rectified: Bool
    ) {
        var best = top[2 * ox], winner = base + Int32(2 * ox)
        @inline(__always) func consider(offset: Int) {
            let candidate = top[2 * ox + offset]
            if candidate > best || candidate.isNaN { best = candidate; winner = base + Int32(2 * ox + offset) }
        }
        consider(offset: 1)
        consider(offset: width)
        consider(offset: width + 1)
        if rectified && !(best > 0) {
            if !best.isNaN { best = 0 }
            winner = -1
        }
        row[ox] = best
        rowIndex?[ox] = winner
    }

    /// ReLU of pooled maxima, as `ReLU` computes it (NaN kept, -0 and negatives to 0); a window
    /// that is not positive gets argmax -1, as ReLU's gradient (x > 0 ? g : 0) is 0 there.
    @inline(__always)
    private static func rectify(_ o: UnsafeMutablePointer<Float>, _ index: UnsafeMutablePointer<Int32>?, count: Int) {
        for j in 0..<count where !(o[j] > 0) {
            if !o[j].isNaN { o[j] = 0 }
            index?[j] = -1
        }
    }

    /// dx[p, argmax[p, j]] += upstream[p, j], skipping argmax -1 (a rectified window that was 0);
    /// dx is overwritten.
    public static func maxBackward(
        _ upstream: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, planes: Int, planeSize: Int, outPlaneSize: Int,
        _ dx: UnsafeMutablePointer<Float>
    ) {
        Parallel.forEachChunk(count: planes, minimumPerChunk: max(1, Elementwise.minimumPerThread / planeSize)) { range in
            for p in range {
                let d = dx + p * planeSize, g = upstream + p * outPlaneSize, index = argmax + p * outPlaneSize
                d.update(repeating: 0, count: planeSize)
                for j in 0..<outPlaneSize where index[j] >= 0 { d[Int(index[j])] += g[j] }
            }
        }
    }
}
