import Diagnostics
import Display
import Foundation

/// Jupyter's `.ipynb` (nbformat 4.5) on both roads: the pieces of `NotebookExport.ipynb`, and
/// `importing(_:)`, which turns a notebook run by the tensorbook kernel back into a `.nb` file.
public enum IPythonNotebook {
    /// Notebook metadata that makes Jupyter open the file with the tensorbook kernel.
    static var metadata: [String: Any] { [
        "kernelspec": ["name": "tensorbook", "display_name": "tensorbook", "language": "tensorbook"],
        "language_info": ["name": "tensorbook", "file_extension": ".tb", "mimetype": "text/x-tensorbook", "codemirror_mode": "python",
                          "pygments_lexer": "tensorbook"],  // jupyter/'s lexer; nbconvert reads plain text without it
    ] }

    /// Text as nbformat stores it: lines, each but the last ending in "\n".
    static func lines(_ text: String) -> [String] {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }.filter { !$0.isEmpty }
    }

    /// A code cell's outputs as the kernel sends them; only the recorded text when the cell was
    /// not run in this export.
    static func outputs(of piece: NotebookExport.Piece, executionCount: Int, pictures: (any PNGProvider)?) -> [[String: Any]] {
        guard let result = piece.result, result.ran, !result.outputs.isEmpty || !result.diagnostics.isEmpty else {
            return piece.text.isEmpty ? [] : [stream(piece.text)]
        }
        var outputs: [[String: Any]] = result.outputs.compactMap { value in
            let plain = value.plainText(showsTimings: false)
            switch value {
            case .text, .progress, .clearOutput, .stream, .timed: return plain.isEmpty ? nil : stream(plain)
            case .table(let table): return display(["text/plain": lines(plain), "text/html": lines(table.html)])
            case .images(let strip): return display(["text/plain": lines(plain), "image/png": pictures?.png(strip)?.base64EncodedString()])
            case .plot(let plot): return display(["text/plain": lines(plain), "image/png": pictures?.png(plot)?.base64EncodedString()])
            }
        }
        for diagnostic in result.cellDiagnostics {
            let text = DiagnosticRenderer(color: false).render(diagnostic).trimmingTrailingNewlines()
            if diagnostic.severity != .error { outputs.append(stream(text, name: "stderr")); continue }
            outputs.append(["output_type": "error", "ename": "Error", "evalue": diagnostic.message,
                            "traceback": text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)])
        }
        return outputs
    }

    private static func stream(_ text: String, name: String = "stdout") -> [String: Any] {
        ["output_type": "stream", "name": name, "text": lines(text + "\n")]
    }

    private static func display(_ data: [String: Any?]) -> [String: Any] {
        ["output_type": "display_data", "data": data.compactMapValues { $0 }, "metadata": [String: Any]()]
    }

    /// Reads an `.ipynb` run by the tensorbook kernel: prose and code byte for byte, each code
    /// cell's outputs as its output block (the plain text of every output, errors without colour),
    /// `raises-exception` cells as `expect-error`.
    public static func importing(_ data: Data, version: String) throws(NotebookError) -> NotebookDocument {
        guard let notebook = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let cells = notebook["cells"] as? [[String: Any]] else {
            throw NotebookError("not a Jupyter notebook: no JSON object with \"cells\"", line: nil, hint: "export one from Jupyter as .ipynb (nbformat 4)")
        }
        var text = ""
        var outputs: [String] = []
        for (index, cell) in cells.enumerated() {
            let source = joined(cell["source"])
            switch cell["cell_type"] as? String {
            case "code":
                guard !source.contains("\n```") && !source.hasPrefix("```") else {
                    throw NotebookError("code cell \(index + 1) contains a ``` fence, which a .nb file cannot hold", line: nil,
                                        hint: "indent the fence or remove it in Jupyter, then import again")
                }
                text += "```nb\(attributes(cell))\n\(source)\n```\n\n"
                outputs.append(plainText(of: cell["outputs"] as? [[String: Any]] ?? []))
            default:
                if let fence = codeFence(inProse: source) {
                    throw NotebookError("\(cell["cell_type"] as? String ?? "text") cell \(index + 1) contains \(fence), which a .nb file would read as a code cell's",
                                        line: nil, hint: "give that fence another language (```text) in Jupyter, then import again")
                }
                text += source.trimmingCharacters(in: .newlines) + "\n\n"
            }
        }
        let document = try NotebookDocument(parsing: text.trimmingTrailingNewlines() + "\n")
        return document.recording(outputs, header: .init(version: version, seed: "none"))
    }

    /// A fence in a Markdown or raw cell that the .nb parser would take for a code cell (```nb) or
    /// for the previous cell's output (```output at the start), described; nil when there is none.
    private static func codeFence(inProse source: String) -> String? {
        let alone = source.trimmingCharacters(in: .newlines)
        if let first = alone.split(separator: "\n", maxSplits: 1).first, NotebookDocument.Fence(opening: String(first))?.info == "output" {
            return "an ```output fence at its start"
        }
        guard let parsed = try? NotebookDocument(parsing: alone + "\n") else { return "a fence that is never closed" }
        return parsed.cells.isEmpty ? nil : "a ```nb fence"
    }

    /// The fence attributes kept in a code cell's metadata.
    private static func attributes(_ cell: [String: Any]) -> String {
        let metadata = cell["metadata"] as? [String: Any] ?? [:]
        let ours = metadata["tensorbook"] as? [String: Any] ?? [:]
        var result = ""
        let tags = metadata["tags"] as? [String] ?? []
        if ours["expect-error"] as? Bool == true || tags.contains("raises-exception") { result += " expect-error" }
        if tags.contains("parameters") { result += " parameters" }
        if let tolerance = ours["tolerance"] as? Double { result += " tolerance=\(Self.percent(tolerance))%" }
        if ours["sample"] as? Bool == true { result += " sample" }
        return result
    }

    private static func percent(_ fraction: Double) -> String {
        let value = fraction * 100
        return value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The outputs as the `.nb` output block records them. Consecutive pieces of the same stream
    /// are one text, as Jupyter shows them (streamed `generate` output arrives a character at a time).
    static func plainText(of outputs: [[String: Any]]) -> String {
        mergingStreams(outputs).compactMap { output -> String? in
            switch output["output_type"] as? String {
            case "stream": return joined(output["text"]).trimmingOneTrailingNewline()
            case "display_data", "execute_result": return (output["data"] as? [String: Any]).map { joined($0["text/plain"]) }
            case "error": return (output["traceback"] as? [String] ?? []).joined(separator: "\n").removingTerminalColours()
            default: return nil
            }
        }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Consecutive `stream` outputs of the same name joined into one.
    static func mergingStreams(_ outputs: [[String: Any]]) -> [[String: Any]] {
        var merged: [[String: Any]] = []
        for output in outputs {
            if output["output_type"] as? String == "stream", var last = merged.last, last["output_type"] as? String == "stream",
               last["name"] as? String == output["name"] as? String {
                last["text"] = joined(last["text"]) + joined(output["text"])
                merged[merged.count - 1] = last
            } else {
                merged.append(output)
            }
        }
        return merged
    }

    /// nbformat's multiline strings: one string, or a list of lines.
    private static func joined(_ value: Any?) -> String {
        if let text = value as? String { return text }
        return (value as? [String] ?? []).joined()
    }
}

extension String {
    func trimmingOneTrailingNewline() -> String { hasSuffix("\n") ? String(dropLast()) : self }

    /// The text without ANSI colour and style sequences (ESC [ … m).
    func removingTerminalColours() -> String {
        var result = ""
        var inside = false
        var previous: Character = " "
        for character in self {
            if inside { if character == "m" { inside = false }; continue }
            if character == "\u{1B}" { previous = character; continue }
            if previous == "\u{1B}" && character == "[" { inside = true; previous = " "; continue }
            previous = character
            result.append(character)
        }
        return result
    }
}
