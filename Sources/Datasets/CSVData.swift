import Foundation
import SwiftCSV
import TensorEngine

/// A numeric CSV file with a header row as a dataset: every column but `label` is a feature.
/// Whole-number labels become classes (0…max); anything else becomes a real-valued target.
/// The last fifth of the rows is the test split (shuffle the file first if it is ordered).
public enum CSVData {
    /// Reads `path`, predicting the column named `label`.
    public static func load(path: String, label: String) throws(DatasetError) -> DataSplits {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError("csv: no file at '\(path)'", hint: "give a path relative to \(FileManager.default.currentDirectoryPath)")
        }
        if let problem = RegularFile.problem(at: path) { throw DatasetError("csv: '\(path)' is \(problem)", hint: "csv() reads a text file of comma-separated numbers") }
        // Parsing holds the text, its fields and the floats at once: about eight times the file.
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        do { try MemoryBudget.check([max(fileBytes, 1) * 2], for: "csv: '\(path)' (\(MemoryBudget.describe(fileBytes)))") } catch {
            throw DatasetError(error.message, hint: error.hint)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError("csv: cannot read '\(path)'", hint: "check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DatasetError("csv: '\(path)' is not UTF-8 text", hint: "convert it with iconv -f latin1 -t utf-8")
        }
        return try load(text: text, name: path, label: label).withSource(.csv(path: path, label: label))
    }

    /// Reads CSV text (a header row, then numeric rows), predicting the column named `label`;
    /// `path` names the source in errors and the dataset.
    public static func load(text: String, name path: String, label: String) throws(DatasetError) -> DataSplits {
        let csv: CSV<Enumerated>
        do {
            csv = try CSV<Enumerated>(string: text, loadColumns: false)
        } catch {
            throw DatasetError("csv: '\(path)' is not valid CSV (\(error))")
        }
        guard let labelColumn = csv.header.firstIndex(of: label) else {
            throw DatasetError("csv: '\(path)' has no column named '\(label)'",
                               hint: "its columns are: \(csv.header.joined(separator: ", "))")
        }
        guard csv.header.count >= 2 else {
            throw DatasetError("csv: '\(path)' has only the label column '\(label)' and no feature columns",
                               hint: "a model learns the label from the other columns: add at least one")
        }
        var features: [Float] = [], targets: [Float] = []
        for (rowIndex, row) in csv.rows.enumerated() {
            guard row.count == csv.header.count else {
                throw DatasetError("csv: '\(path)' line \(rowIndex + 2) has \(row.count) fields, the header has \(csv.header.count)")
            }
            for (column, text) in row.enumerated() {
                let field = text.trimmingCharacters(in: .whitespaces)
                guard !field.isEmpty else {
                    throw DatasetError("csv: '\(path)' line \(rowIndex + 2), column '\(csv.header[column])' is empty",
                                       hint: "every row needs a number in each of the \(csv.header.count) columns (is the row short?)")
                }
                // Float(_:) reads a C string: "2\0junk" would be 2.
                guard !field.utf8.contains(0), let value = Float(field) else {
                    throw DatasetError("csv: '\(path)' line \(rowIndex + 2), column '\(csv.header[column])': '\(text)' is not a number",
                                       hint: "only numeric columns are supported")
                }
                if column == labelColumn { targets.append(value) } else { features.append(value) }
            }
        }
        guard targets.count >= 2 else { throw DatasetError("csv: '\(path)' needs at least two data rows") }
        let featureCount = csv.header.count - 1
        let isClasses = targets.allSatisfy { $0 >= 0 && $0 == $0.rounded() && $0 < 10_000 }
        let labels: Labels = isClasses
            ? .classes(targets.map { Int32($0) }, classCount: Int(targets.max()!) + 1)
            : .values(targets, shape: [1])
        let store = ExampleStore(features: .floats(features), labels: labels, exampleShape: [featureCount], count: targets.count)
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let all = Dataset(name: name, store: store)
        let testCount = max(1, targets.count / 5)
        var train = all.slice(start: 0, end: targets.count - testCount), test = all.slice(start: targets.count - testCount, end: nil)
        (train.name, test.name) = ("\(name).train", "\(name).test")
        return DataSplits(name: name, train: train, test: test)
    }
}
