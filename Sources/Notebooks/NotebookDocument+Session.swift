extension NotebookDocument {
    /// A notebook of statements typed at the prompt (`:save FILE.nb`): one cell per statement,
    /// each followed by what it showed. `path` goes into the prose line saying how to run it.
    public static func savedSession(_ cells: [(source: String, output: String)], path: String, header: Header) throws(NotebookError) -> NotebookDocument {
        var text = "# tensorbook session\n\nSaved from the prompt; run it with: tensorbook run \(path)\n"
        for cell in cells { text += "\n```nb\n\(cell.source)\n```\n" }
        return try NotebookDocument(parsing: text).recording(cells.map(\.output), header: header)
    }
}
