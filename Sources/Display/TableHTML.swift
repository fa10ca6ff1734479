extension Table {
    /// The table as an HTML `<table>` (caption, header row, body, footer), text escaped: for the
    /// HTML export, ipynb outputs and the Jupyter kernel's `text/html`.
    public var html: String {
        func cells(_ row: [String], tag: String) -> String {
            "<tr>" + row.enumerated().map { index, cell in
                let right = alignments.indices.contains(index) && alignments[index] == .right
                let align = " style=\"text-align:\(right ? "right" : "left")\""
                return "<\(tag)\(align)>\(Self.escape(cell))</\(tag)>"
            }.joined() + "</tr>"
        }
        let caption = title.map { "<caption>\(Self.escape($0))</caption>" } ?? ""
        let foot = footer.map { "<tfoot>\(cells($0, tag: "td"))</tfoot>" } ?? ""
        return "<table>\(caption)<thead>\(cells(headers, tag: "th"))</thead><tbody>" + rows.map { cells($0, tag: "td") }.joined() + "</tbody>\(foot)</table>"
    }

    /// Text with `&`, `<`, `>` and `"` escaped for HTML.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
