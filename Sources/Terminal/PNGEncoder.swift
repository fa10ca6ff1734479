import CPNG
import Foundation

/// A raster image: `channels` bytes per pixel (1 grey, 3 RGB), row-major.
public struct Bitmap: Sendable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [UInt8]

    /// A bitmap filled with one colour.
    public init(width: Int, height: Int, channels: Int, fill: [UInt8]) {
        self.width = width
        self.height = height
        self.channels = channels
        pixels = Array((0..<(width * height)).map { _ in fill }.joined())
    }

    /// Sets one pixel (ignored outside the bitmap).
    public mutating func set(_ x: Int, _ y: Int, _ color: [UInt8]) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        for channel in 0..<channels { pixels[(y * width + x) * channels + channel] = color[channel] }
    }
}

/// PNG encoding with libpng's simplified API (no setjmp).
public enum PNGEncoder {
    /// The PNG bytes of a bitmap, or nil if libpng refuses it.
    public static func encode(_ bitmap: Bitmap) -> Data? {
        var image = png_image()
        image.version = 1  // PNG_IMAGE_VERSION
        image.width = UInt32(bitmap.width)
        image.height = UInt32(bitmap.height)
        // PNG_FORMAT_GRAY is 0 and PNG_FORMAT_RGB is PNG_FORMAT_FLAG_COLOR (2); the macros do not import.
        image.format = bitmap.channels == 1 ? 0 : 2
        var size: png_alloc_size_t = 0
        let stride = Int32(bitmap.width * bitmap.channels)
        guard png_image_write_to_memory(&image, nil, &size, 0, bitmap.pixels, stride, nil) != 0, size > 0 else { return nil }
        var data = Data(repeating: 0, count: Int(size))
        let written = data.withUnsafeMutableBytes { buffer in
            png_image_write_to_memory(&image, buffer.baseAddress, &size, 0, bitmap.pixels, stride, nil)
        }
        png_image_free(&image)
        return written != 0 ? data.prefix(Int(size)) : nil
    }

    /// Writes a bitmap to a PNG file.
    public static func write(_ bitmap: Bitmap, to path: String) throws {
        guard let data = encode(bitmap) else { throw CocoaError(.fileWriteUnknown) }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
