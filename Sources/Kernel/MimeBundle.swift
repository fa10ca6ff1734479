import Display
import Foundation

/// Display values as Jupyter MIME bundles: text as `text/plain`; tables as `text/html` and
/// `text/plain`; digits, images and plots as `image/png` with their text form as `text/plain`.
enum MimeBundle {
    /// The bundle for one value, or nil for text (which goes out as a `stream`).
    static func bundle(for value: DisplayValue, pictures: any PNGProvider) -> JSONValue? {
        let plain = JSONValue.string(value.plainText(showsTimings: false))
        switch value {
        case .text, .progress, .clearOutput, .stream, .timed: return nil
        case .table(let table): return ["text/plain": plain, "text/html": .string(table.html)]
        case .images(let strip):
            guard let png = pictures.png(strip) else { return ["text/plain": plain] }
            return ["text/plain": plain, "image/png": .string(png.base64EncodedString())]
        case .plot(let plot):
            guard let png = pictures.png(plot) else { return ["text/plain": plain] }
            return ["text/plain": plain, "image/png": .string(png.base64EncodedString())]
        }
    }

    /// The bundle of a cell's result: like `bundle(for:)`, and text as `text/plain`.
    static func resultBundle(for value: DisplayValue, pictures: any PNGProvider) -> JSONValue {
        bundle(for: value, pictures: pictures) ?? ["text/plain": .string(value.plainText(showsTimings: false))]
    }
}
