import Display
import Foundation
import Ink

/// Writes a notebook with fresh outputs as Markdown, a self-contained HTML page, or a Jupyter notebook.
public enum NotebookExport {
    /// The formats of `tensorbook export --to`.
    public enum Format: String, CaseIterable, Sendable {
        case md, html, ipynb
    }

    /// Prose and code interleaved, one entry per piece, outputs attached to their cells.
    static func pieces(_ document: NotebookDocument, _ results: [CellResult]) -> [Piece] {
        var pieces: [Piece] = []
        var cellIndex = 0
        let resultByCell = Dictionary(results.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        for segment in document.segments {
            switch segment {
            case .prose(let text):
                let cleaned = NotebookDocument.Header(in: text) != nil ? String(text.drop { $0 != "\n" }.dropFirst()) : text
                if !cleaned.allSatisfy(\.isWhitespace) { pieces.append(Piece(prose: cleaned)) }
            case .cell(let cell):
                pieces.append(Piece(cell: cell.source, result: resultByCell[cellIndex]))
                cellIndex += 1
            case .output: continue
            }
        }
        return pieces
    }

    /// One piece of an exported notebook: prose, or a cell with its result.
    struct Piece {
        var prose: String?
        var cell: String?
        var result: CellResult?
        var outputs: [DisplayValue] { result?.outputs ?? [] }
        var text: String { result?.recordedText ?? "" }
    }

    /// Markdown with outputs: code in plain fences (so any viewer highlights it), outputs after.
    public static func markdown(_ document: NotebookDocument, results: [CellResult]) -> String {
        pieces(document, results).map { piece in
            if let prose = piece.prose { return prose.trimmingTrailingNewlines() + "\n" }
            var block = "```\n\(piece.cell!)\n```\n"
            if !piece.text.isEmpty { block += "\n```text\n\(piece.text)\n```\n" }
            return block
        }.joined(separator: "\n")
    }

    /// A Jupyter notebook (nbformat 4.5) for the tensorbook kernel: Markdown cells for prose, code
    /// cells with their outputs as the kernel would send them (text as stdout, tables as HTML,
    /// pictures as PNG when `pictures` is given, errors as error outputs). `expect-error` cells
    /// carry the `raises-exception` tag, so nbclient and papermill run on past them; a
    /// `parameters` cell carries papermill's `parameters` tag.
    public static func ipynb(_ document: NotebookDocument, results: [CellResult], pictures: (any PNGProvider)? = nil) throws -> String {
        var cells: [[String: Any]] = []
        var executionCount = 0
        var codeCells = document.cells.makeIterator()
        for (number, piece) in pieces(document, results).enumerated() {
            if let prose = piece.prose {
                cells.append(["cell_type": "markdown", "id": "cell-\(number)", "metadata": [String: Any](), "source": IPythonNotebook.lines(prose.trimmingCharacters(in: .newlines))])
                continue
            }
            executionCount += 1
            let cell = codeCells.next()
            var metadata: [String: Any] = [:]
            let tags = (cell?.expectsError == true ? ["raises-exception"] : []) + (cell?.holdsParameters == true ? ["parameters"] : [])
            if !tags.isEmpty { metadata["tags"] = tags }
            var attributes: [String: Any] = [:]
            if cell?.expectsError == true { attributes["expect-error"] = true }
            if let tolerance = cell?.tolerance { attributes["tolerance"] = tolerance }
            if cell?.isSample == true { attributes["sample"] = true }
            if !attributes.isEmpty { metadata["tensorbook"] = attributes }
            cells.append(["cell_type": "code", "id": "cell-\(number)", "metadata": metadata, "execution_count": executionCount,
                          "source": IPythonNotebook.lines(piece.cell!), "outputs": IPythonNotebook.outputs(of: piece, executionCount: executionCount, pictures: pictures)])
        }
        let notebook: [String: Any] = ["nbformat": 4, "nbformat_minor": 5, "cells": cells, "metadata": IPythonNotebook.metadata]
        let data = try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// One self-contained HTML page: prose rendered from Markdown, code, text outputs, tables as
    /// tables, digits and plots as embedded PNG; no external assets.
    public static func html(_ document: NotebookDocument, results: [CellResult], title: String, pictures: any PNGProvider) -> String {
        let parser = MarkdownParser()
        var body = ""
        for piece in pieces(document, results) {
            if let prose = piece.prose {
                body += "<section class=\"prose\">\(HTMLSanitizer.sanitized(parser.html(from: MarkdownReflow.joiningSoftBreaks(prose))))</section>\n"
                continue
            }
            body += "<pre class=\"code\">\(escape(piece.cell!))</pre>\n"
            if piece.result?.ran == false {  // --recorded: the output block's text
                body += piece.text.isEmpty ? "" : "<pre class=\"output\">\(escape(piece.text))</pre>\n"
            } else {
                body += outputsHTML(piece.outputs, pictures: pictures)
            }
            for error in piece.result?.diagnostics ?? [] { body += "<pre class=\"error\">\(escape(error.description))</pre>\n" }
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>\(stylesheet)</style></head>
            <body><main>
            \(body)</main></body></html>

            """
    }

    /// A cell's outputs: each run of text (printed lines, epoch summaries, the cost line) in one
    /// box, as a terminal shows it; tables, digits and plots each in their own.
    static func outputsHTML(_ outputs: [DisplayValue], pictures: any PNGProvider) -> String {
        var html = "", text: [String] = []
        func flush() {
            if !text.isEmpty { html += "<pre class=\"output\">\(escape(text.joined(separator: "\n")))</pre>\n" }
            text = []
        }
        for value in outputs.mergingStreams() {
            switch value {
            case .text, .progress, .stream, .timed, .clearOutput:
                let plain = value.plainText(showsTimings: false)
                if !plain.isEmpty { text.append(plain) }
            case .table, .images, .plot:
                flush()
                html += self.html(value, pictures: pictures)
            }
        }
        flush()
        return html
    }

    private static func html(_ value: DisplayValue, pictures: any PNGProvider) -> String {
        switch value {
        case .text, .progress, .stream, .timed, .clearOutput: return ""  // gathered by outputsHTML
        case .table(let table): return table.html + "\n"
        case .images(let strip):
            let figures = strip.images.map { image in
                "<figure><img alt=\"\(escape(image.caption))\" src=\"data:image/png;base64,\(pictures.png(image)?.base64EncodedString() ?? "")\"><figcaption>\(escape(image.caption))</figcaption></figure>"
            }.joined()
            return "<div class=\"images\">\(figures)</div>\n"
        case .plot(let plot):
            return "<figure class=\"plot\"><img alt=\"\(escape(plot.title ?? "plot"))\" src=\"data:image/png;base64,\(pictures.png(plot)?.base64EncodedString() ?? "")\"></figure>\n"
        }
    }

    static func escape(_ text: String) -> String { Table.escape(text) }

    static let stylesheet = """
        body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;line-height:1.55;color:#1d2330;background:#fafbfc;margin:0}
        main{max-width:860px;margin:2rem auto;padding:0 1.5rem}
        h1,h2,h3{line-height:1.25}pre{overflow-x:auto;padding:.7rem 1rem;border-radius:6px;font-size:.88rem;line-height:1.35}
        pre.code{background:#1f2430;color:#e6e1cf;border-left:4px solid #3b82f6}pre.output{background:#fff;border:1px solid #e1e4e8}
        pre.error{background:#fff5f5;border:1px solid #f5c2c2;color:#8a1f1f;white-space:pre-wrap;overflow-wrap:anywhere}code{font-family:Menlo,Consolas,monospace}
        table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}td,th{border:1px solid #d8dde3;padding:.25rem .6rem;text-align:right}
        th{background:#f0f3f6}td:first-child,th:first-child{text-align:left}caption{text-align:left;font-weight:600;padding:.3rem 0}
        .images{display:flex;flex-wrap:wrap;gap:.6rem;margin:.6rem 0}figure{margin:0;text-align:center}
        .images img{width:84px;height:84px;image-rendering:pixelated;border:1px solid #d8dde3}figcaption{font-size:.8rem;color:#57606a}
        .plot img{max-width:100%;border:1px solid #e1e4e8;background:#fff}
        """
}
