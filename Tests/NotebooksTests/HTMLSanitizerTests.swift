import Foundation
import Ink
@testable import Notebooks
import Testing

/// A notebook's prose may not put script into an HTML export (issue 33, item 8), and the
/// shipped lessons' prose comes out exactly as before.
@Suite struct HTMLSanitizerTests {
    @Test func scriptsHandlersAndSchemesAreRemoved() {
        let hostile = """
            Hi <script>alert(1)</script><b onclick="evil()">bold</b> <a href="javascript:alert(2)">x</a>
            <a href=" JaVaScRiPt:alert(3)">y</a> <a href="java&#115;cript:alert(4)">z</a> <img src=x onerror=alert(5)>
            <iframe src="https://evil"></iframe><style>body{}</style><SCRIPT>alert(6)</SCRIPT><svg onload=alert(7)></svg>
            <custom>t</custom> <a href="https://pytorch.org" title="PyTorch">ok</a> <img src="data:image/svg+xml,<svg/onload=alert(8)>">
            <!-- <script>alert(9)</script> --> a < b and c > d <sub>2</sub>
            """
        let clean = HTMLSanitizer.sanitized(MarkdownParser().html(from: hostile))
        for bad in ["<script", "<SCRIPT", "alert(", "onclick", "onerror", "onload", "javascript", "<iframe", "<style", "<svg", "<custom"] {
            #expect(!clean.contains(bad), "\(bad) in \(clean)")
        }
        #expect(clean.contains("<b>bold</b>") && clean.contains("<a href=\"https://pytorch.org\" title=\"PyTorch\">ok</a>"), "\(clean)")
        #expect(clean.contains("&lt;custom&gt;t&lt;/custom&gt;") && clean.contains("<sub>2</sub>") && clean.contains("a &lt; b"), "\(clean)")
    }

    @Test func theShippedLessonsProseIsUnchanged() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("notebooks")
        let lessons = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".nb") }
        #expect(lessons.count >= 8)
        for lesson in lessons {
            let document = try NotebookDocument(parsing: try String(contentsOf: folder.appendingPathComponent(lesson), encoding: .utf8))
            for prose in NotebookExport.pieces(document, []).compactMap(\.prose) {
                let html = MarkdownParser().html(from: MarkdownReflow.joiningSoftBreaks(prose))
                #expect(HTMLSanitizer.sanitized(html) == html, "\(lesson)")
            }
        }
    }
}
