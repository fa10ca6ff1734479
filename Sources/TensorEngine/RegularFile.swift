#if canImport(Glibc)
import Glibc
#endif

/// Files tensorbook reads whole (datasets, checkpoints) must be regular files, links followed: a
/// FIFO would block the read forever and a device such as /dev/zero never ends.
public enum RegularFile {
    /// Whether `path` names a regular file.
    public static func exists(at path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// The reason `path` is not read, for an error message ("no such file", "not a regular file …").
    public static func problem(at path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "no such file" }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder, not a file"
        case S_IFIFO: return "a pipe (FIFO), not a file"
        default: return "a device, not a file"
        }
    }
}
