/// The 2×2, stride-2 max-pool of every CNN here, in vector selects: on real activations which
/// element of a window wins is a coin flip, so branches would mispredict half the time (only planes
/// of an odd width with rows under 8 windows keep a scalar loop). Each window's winner is the first
/// maximum in row-major window order, a NaN taking over (the last NaN wins), as PyTorch.
extension Pooling {
    /// One plane, row by row: eight windows at a time, the row's last eight overlapping the ones
    /// before them; rows under 8 windows (planes `NarrowPlanes` does not take) window by window.
    /// `rectified` applies `rectify` to each window before it is stored (a separate pass would
    /// reload the overlapping 8-wide stores, which the CPU cannot forward).
    @inline(__always)
    static func maxForward2x2(
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
        let upper = load16(top + 2 * ox), lower = load16(top + width + 2 * ox)
        let first = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14) &+ (base + Int32(2 * ox))
        var best = upper.evenHalf, winner = first
        takeLater(upper.oddHalf, first &+ 1, over: &best, &winner)
        takeLater(lower.evenHalf, first &+ Int32(width), over: &best, &winner)
        takeLater(lower.oddHalf, first &+ Int32(width + 1), over: &best, &winner)
        if rectified { rectify(&best, &winner) }
        store(best, winner, row + ox, rowIndex.map { $0 + ox })
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

    /// Planes of an even width whose output rows are narrower than 8 (LeNet's conv2: 10×10 → 5×5),
    /// in two vector stages: the horizontal pairs of the whole plane (a pair never straddles two rows
    /// when the width is even, so the plane is one flat run of pairs), then each output row from its
    /// two rows of pair winners. Taking the top pair's winner unless the bottom pair's is greater (or
    /// NaN) picks the same element as scanning the window in row-major order.
    struct NarrowPlanes {
        let outH: Int, outW: Int

        /// Whether planes of this width pool here: even width, rows under 8 windows, and at least
        /// eight pairs per plane.
        static func fit(width: Int, outH: Int, outW: Int) -> Bool {
            outW < 8 && width == 2 * outW && 2 * outH * outW >= 8
        }

        /// Pools `planes` of x (H×W each) into `out` (outH×outW each), as `maxForward` does.
        func pool(
            _ x: UnsafePointer<Float>, planes: Range<Int>, height: Int, _ out: UnsafeMutablePointer<Float>,
            _ argmax: UnsafeMutablePointer<Int32>?, rectified: Bool
        ) {
            let pairs = 2 * outH * outW, outSize = outH * outW
            // Pair winners, 8 floats of slack for the last row's 8-wide loads. An output row whose
            // 8-wide store would run past the plane (the last, or every row of a plane under 4
            // windows wide) goes through `spilledRow`: past the plane may be another thread's plane.
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: 4 * (2 * (pairs + 8) + 16), alignment: 64)
            defer { scratch.deallocate() }
            scratch.initializeMemory(as: UInt8.self, repeating: 0, count: 4 * (2 * (pairs + 8) + 16))
            let pairBest = scratch.assumingMemoryBound(to: Float.self), pairWinner = (scratch + 4 * (pairs + 8)).assumingMemoryBound(to: Int32.self)
            let spilledRow = (scratch + 8 * (pairs + 8)).assumingMemoryBound(to: Float.self)
            let spilledRowIndex = (scratch + 8 * (pairs + 8) + 32).assumingMemoryBound(to: Int32.self)
            for p in planes {
                horizontalPairs(x + p * height * 2 * outW, pairs: pairs, pairBest, pairWinner)
                let o = out + p * outSize, index = argmax.map { $0 + p * outSize }
                for oy in 0..<outH {
                    let top = 2 * oy * outW
                    var best = load8(pairBest + top), winner = load8(pairWinner + top)
                    takeLater(load8(pairBest + top + outW), load8(pairWinner + top + outW), over: &best, &winner)
                    if rectified { Pooling.rectify(&best, &winner) }
                    if oy * outW + 8 <= outSize {
                        Pooling.store(best, winner, o + oy * outW, index.map { $0 + oy * outW })
                    } else {
                        Pooling.store(best, winner, spilledRow, spilledRowIndex)
                        (o + oy * outW).update(from: spilledRow, count: outW)
                        index.map { ($0 + oy * outW).update(from: spilledRowIndex, count: outW) }
                    }
                }
            }
        }

        /// The winner of each horizontal pair of the plane's first 2·outH rows, eight at a time (the
        /// last eight overlapping the ones before them), with its index in the plane.
        @inline(__always)
        private func horizontalPairs(
            _ plane: UnsafePointer<Float>, pairs: Int, _ best: UnsafeMutablePointer<Float>, _ winner: UnsafeMutablePointer<Int32>
        ) {
            var q = 0
            while true {
                let start = min(q, pairs - 8), values = Pooling.load16(plane + 2 * start)
                var pairBest = values.evenHalf, pairWinner = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14) &+ Int32(2 * start)
                Pooling.takeLater(values.oddHalf, pairWinner &+ 1, over: &pairBest, &pairWinner)
                Pooling.store(pairBest, pairWinner, best + start, winner + start)
                if start == pairs - 8 { return }
                q += 8
            }
        }
    }

    /// Takes the later candidate where it is greater than the best so far, or NaN.
    @inline(__always)
    private static func takeLater(
        _ candidate: SIMD8<Float>, _ candidateIndex: SIMD8<Int32>, over best: inout SIMD8<Float>, _ winner: inout SIMD8<Int32>
    ) {
        let better = (candidate .> best) .| (candidate .!= candidate)
        best.replace(with: candidate, where: better)
        winner.replace(with: candidateIndex, where: better)
    }

    /// `rectify` on eight windows.
    @inline(__always)
    private static func rectify(_ best: inout SIMD8<Float>, _ winner: inout SIMD8<Int32>) {
        let notPositive = .!(best .> 0)
        best.replace(with: 0, where: notPositive .& (best .== best))
        winner.replace(with: -1, where: notPositive)
    }

    @inline(__always)
    private static func load16(_ pointer: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    private static func load8<T: SIMDScalar>(_ pointer: UnsafeMutablePointer<T>) -> SIMD8<T> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<T>.self)
    }

    @inline(__always)
    private static func store(
        _ best: SIMD8<Float>, _ winner: SIMD8<Int32>, _ values: UnsafeMutablePointer<Float>, _ indices: UnsafeMutablePointer<Int32>?
    ) {
        UnsafeMutableRawPointer(values).storeBytes(of: best, as: SIMD8<Float>.self)
        if let indices { UnsafeMutableRawPointer(indices).storeBytes(of: winner, as: SIMD8<Int32>.self) }
    }
}
