import Foundation

/// Turns pictures into PNG files: for HTML export and the Jupyter kernel's `image/png`. The
/// `Terminal` module's rasteriser provides it; modules that may not import `Terminal` receive one.
public protocol PNGProvider: Sendable {
    /// One digit or image, enlarged, as PNG.
    func png(_ image: GrayImage) -> Data?
    /// Images side by side with their captions, as one PNG.
    func png(_ strip: ImageStrip) -> Data?
    /// A plot as PNG.
    func png(_ plot: Plot) -> Data?
}
