import Foundation

/// Where dataset folders are looked for, in order: `$TENSORBOOK_DATA/NAME`, `./data/NAME`, the
/// repository's `data/NAME` found upwards from the executable, then the source checkout's `data/`.
public enum DataLocations {
    /// Candidate folders for a dataset folder called `name` (e.g. "mnist").
    public static func candidates(for name: String, extra: [String] = []) -> [String] {
        var result: [String] = []
        if let root = ProcessInfo.processInfo.environment["TENSORBOOK_DATA"], !root.isEmpty {
            result.append((root as NSString).appendingPathComponent(name))
        }
        result.append((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("data/\(name)"))
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            result.append(folder.appendingPathComponent("data/\(name)").path)
            folder.deleteLastPathComponent()
        }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        result.append(checkout.appendingPathComponent("data/\(name)").path)
        var seen = Set<String>()
        return (result + extra).filter { seen.insert($0).inserted }
    }

    /// The first candidate folder that contains every one of `files`, if any.
    public static func folder(for name: String, containing files: [String], extra: [String] = []) -> String? {
        candidates(for: name, extra: extra).first { folder in
            files.allSatisfy { FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0)) }
        }
    }
}
