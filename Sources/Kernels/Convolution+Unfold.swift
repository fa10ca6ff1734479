/// im2col and its adjoint: an image unfolded into its patch matrix, and a patch matrix's gradient
/// folded back onto the image. Stride 1 (every essay model) takes a path with no division and no
/// per-row branches; its rows are short (10–30 floats), so the per-row cost is what matters.
extension Convolution {
    /// Unfolds one C×H×W image into the (C·kh·kw)×(outH·outW) patch matrix (zeros for padding),
    /// whose rows start `rowStride` floats apart (by default outH·outW: the matrix alone).
    public static func imageToColumns(_ g: Geometry, image: UnsafePointer<Float>, columns: UnsafeMutablePointer<Float>,
                                      rowStride: Int? = nil) {
        let rowStride = rowStride ?? g.outPixels
        if g.stride == 1 {
            unitStrideImageToColumns(g, image: image, columns: columns, rowStride: rowStride)
        } else {
            stridedImageToColumns(g, image: image, columns: columns, rowStride: rowStride)
        }
    }

    /// The adjoint of `imageToColumns`: adds each patch entry back onto the image pixel it came from
    /// (the image is overwritten).
    public static func columnsToImage(_ g: Geometry, columns: UnsafePointer<Float>, rowStride: Int? = nil,
                                      image: UnsafeMutablePointer<Float>) {
        let rowStride = rowStride ?? g.outPixels
        image.update(repeating: 0, count: g.inChannels * g.height * g.width)
        if g.stride == 1 {
            unitStrideColumnsToImage(g, columns: columns, rowStride: rowStride, image: image)
        } else {
            stridedColumnsToImage(g, columns: columns, rowStride: rowStride, image: image)
        }
    }

    /// The patch rows of one kernel offset (ki, kj) at stride 1: the output rows `rows` read the
    /// image, the others are padding; within a row, `columns` read it and the edges are padding.
    private struct UnitStrideWindow {
        var rows: Range<Int>, columns: Range<Int>
        /// Where output (oy, columns.lowerBound) reads in its image plane.
        var firstSource: Int

        init(_ g: Geometry, ki: Int, kj: Int) {
            let valid = validOutputRange(kernelOffset: kj, g, outW: g.outWidth)
            let low = max(0, g.padding - ki), high = min(g.outHeight, g.height + g.padding - ki)
            rows = valid.isEmpty || low >= high ? 0..<0 : low..<high
            columns = valid
            firstSource = (ki - g.padding) * g.width + valid.lowerBound - g.padding + kj
        }
    }

    private static func unitStrideImageToColumns(_ g: Geometry, image: UnsafePointer<Float>,
                                                 columns: UnsafeMutablePointer<Float>, rowStride: Int) {
        let outW = g.outWidth, outPixels = g.outPixels
        var row = 0
        for c in 0..<g.inChannels {
            let plane = image + c * g.height * g.width
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let destination = columns + row * rowStride, window = UnitStrideWindow(g, ki: ki, kj: kj)
                    row += 1
                    // Whole padding rows above and below: contiguous in the patch row.
                    destination.update(repeating: 0, count: window.rows.lowerBound * outW)
                    (destination + window.rows.upperBound * outW).update(
                        repeating: 0, count: outPixels - window.rows.upperBound * outW)
                    let lead = window.columns.lowerBound, trail = window.columns.upperBound, count = window.columns.count
                    for oy in window.rows {
                        let out = destination + oy * outW
                        for ox in 0..<lead { out[ox] = 0 }
                        for ox in trail..<outW { out[ox] = 0 }
                        copyShortRow(from: plane + window.firstSource + oy * g.width, to: out + lead, count: count)
                    }
                }
            }
        }
    }

    private static func unitStrideColumnsToImage(_ g: Geometry, columns: UnsafePointer<Float>, rowStride: Int,
                                                 image: UnsafeMutablePointer<Float>) {
        let outW = g.outWidth
        var row = 0
        for c in 0..<g.inChannels {
            let plane = image + c * g.height * g.width
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let source = columns + row * rowStride, window = UnitStrideWindow(g, ki: ki, kj: kj)
                    row += 1
                    for oy in window.rows {
                        addShortRow(source + oy * outW + window.columns.lowerBound,
                                    into: plane + window.firstSource + oy * g.width, count: window.columns.count)
                    }
                }
            }
        }
    }

    private static func stridedImageToColumns(_ g: Geometry, image: UnsafePointer<Float>,
                                              columns: UnsafeMutablePointer<Float>, rowStride: Int) {
        let outH = g.outHeight, outW = g.outWidth
        var row = 0
        for c in 0..<g.inChannels {
            let plane = image + c * g.height * g.width
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let destination = columns + row * rowStride
                    let valid = validOutputRange(kernelOffset: kj, g, outW: outW)
                    for oy in 0..<outH {
                        let iy = oy * g.stride - g.padding + ki
                        let out = destination + oy * outW
                        if iy < 0 || iy >= g.height || valid.isEmpty {
                            out.update(repeating: 0, count: outW)
                            continue
                        }
                        out.update(repeating: 0, count: valid.lowerBound)
                        (out + valid.upperBound).update(repeating: 0, count: outW - valid.upperBound)
                        let source = plane + iy * g.width + valid.lowerBound * g.stride - g.padding + kj
                        for (k, ox) in valid.enumerated() { out[ox] = source[k * g.stride] }
                    }
                    row += 1
                }
            }
        }
    }

    private static func stridedColumnsToImage(_ g: Geometry, columns: UnsafePointer<Float>, rowStride: Int,
                                              image: UnsafeMutablePointer<Float>) {
        let outH = g.outHeight, outW = g.outWidth
        var row = 0
        for c in 0..<g.inChannels {
            let plane = image + c * g.height * g.width
            for ki in 0..<g.kernelHeight {
                for kj in 0..<g.kernelWidth {
                    let source = columns + row * rowStride
                    let valid = validOutputRange(kernelOffset: kj, g, outW: outW)
                    for oy in 0..<outH where !valid.isEmpty {
                        let iy = oy * g.stride - g.padding + ki
                        if iy < 0 || iy >= g.height { continue }
                        let destination = plane + iy * g.width + valid.lowerBound * g.stride - g.padding + kj
                        let patchRow = source + oy * outW + valid.lowerBound
                        for k in 0..<valid.count { destination[k * g.stride] += patchRow[k] }
                    }
                    row += 1
                }
            }
        }
    }

    /// Copies a short row inline: image rows are 10–30 floats, where a `memmove` call costs more
    /// than the copy (explicit SIMD, so LLVM does not turn the loop back into that call). A row of
    /// 8 or more ends with one 8-wide copy that overlaps the one before it.
    @inline(__always)
    static func copyShortRow(from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        if count < 8 {
            for k in 0..<count { destination[k] = source[k] }
            return
        }
        var k = 0
        while k + 8 < count {
            copy8(from: source + k, to: destination + k)
            k += 8
        }
        copy8(from: source + count - 8, to: destination + count - 8)
    }

    @inline(__always)
    private static func copy8(from source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(destination).storeBytes(
            of: UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
    }

    /// destination[0..<count] += source[0..<count], inline, eight lanes then four then one.
    @inline(__always)
    static func addShortRow(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        var k = 0
        while k + 8 <= count {
            let sum = UnsafeRawPointer(destination + k).loadUnaligned(as: SIMD8<Float>.self)
                + UnsafeRawPointer(source + k).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(destination + k).storeBytes(of: sum, as: SIMD8<Float>.self)
            k += 8
        }
        if k + 4 <= count {
            let sum = UnsafeRawPointer(destination + k).loadUnaligned(as: SIMD4<Float>.self)
                + UnsafeRawPointer(source + k).loadUnaligned(as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(destination + k).storeBytes(of: sum, as: SIMD4<Float>.self)
            k += 4
        }
        while k < count {
            destination[k] += source[k]
            k += 1
        }
    }

    /// The output columns ox whose input column ox·s − p + kj lies inside the image.
    @inline(__always)
    static func validOutputRange(kernelOffset kj: Int, _ g: Geometry, outW: Int) -> Range<Int> {
        // ox·s − p + kj ≥ 0  ⇔  ox ≥ ⌈(p − kj)/s⌉;   ox·s − p + kj ≤ W − 1  ⇔  ox ≤ ⌊(W − 1 + p − kj)/s⌋
        let lower = max(0, (g.padding - kj + g.stride - 1) / g.stride)
        let upperInclusive = (g.width - 1 + g.padding - kj)
        let upper = upperInclusive < 0 ? 0 : min(outW, upperInclusive / g.stride + 1)
        return lower < upper ? lower..<upper : 0..<0
    }
}
