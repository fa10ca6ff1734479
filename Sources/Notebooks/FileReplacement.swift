import Foundation

/// Replaces a file's contents without losing anything on the way: the new bytes go to
/// `F.tmp-PID` beside the file (created exclusively, never through a link), are flushed, take the
/// file's mode, owner and group, and are renamed over it. A symbolic link is written through to its
/// target (the link stays a link). When the caller read the file earlier and it has changed since
/// (an edit saved while `--record` ran), nothing is overwritten: the new bytes go to `F.recorded`.
/// While a temporary file exists its path is kept where a signal handler can remove it
/// (`removePendingTemporaryFile`, async-signal-safe).
public enum FileReplacement {
    /// Where the bytes went.
    public enum Outcome: Equatable, Sendable {
        /// Into the file itself.
        case replaced
        /// Into this other file, because the file had changed since it was read.
        case keptBoth(writtenTo: String)
    }

    /// Writes `data` to `path` as described above; `original` is the file's bytes when it was read
    /// (nil: overwrite whatever is there, or create it).
    @discardableResult
    public static func write(_ data: Data, to path: String, unlessChangedFrom original: Data? = nil) throws(FileWriteError) -> Outcome {
        let target = resolvedTarget(of: path)
        if let original, let current = FileManager.default.contents(atPath: target), current != original {
            let aside = path + ".recorded"
            try replace(resolvedTarget(of: aside), with: data, reportedAs: aside)
            return .keptBoth(writtenTo: aside)
        }
        try replace(target, with: data, reportedAs: path)
        return .replaced
    }

    /// Removes the temporary file being written, if any; safe to call from a signal handler.
    public static func removePendingTemporaryFile() {
        if pendingPath.pointee != 0 { unlink(pendingPath) }
    }

    /// The final target of `path` when it is a symbolic link (a chain of them), else `path` itself.
    static func resolvedTarget(of path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK, let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    private static func replace(_ target: String, with data: Data, reportedAs shown: String) throws(FileWriteError) {
        var existing = stat()
        let exists = stat(target, &existing) == 0
        let mode = exists ? existing.st_mode & 0o7777 : 0o666 & ~currentUmask()
        let temporary = target + ".tmp-\(getpid())"
        guard temporary.utf8.count < pendingCapacity else { throw FileWriteError(path: shown, code: ENAMETOOLONG) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
        guard descriptor >= 0 else { throw FileWriteError(path: shown, code: errno) }
        setPending(temporary)
        defer { clearPending() }
        func fail(_ code: Int32) -> FileWriteError {
            close(descriptor)
            unlink(temporary)
            return FileWriteError(path: shown, code: code)
        }
        let written = data.withUnsafeBytes { buffer -> Int32 in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += count
            }
            return 0
        }
        if written != 0 { throw fail(written) }
        if exists { _ = fchown(descriptor, existing.st_uid, existing.st_gid) }  // only root may give a file away: best effort
        if fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0 { throw fail(errno) }
        if close(descriptor) != 0 {
            unlink(temporary)
            throw FileWriteError(path: shown, code: errno)
        }
        if rename(temporary, target) != 0 {
            let code = errno
            unlink(temporary)
            throw FileWriteError(path: shown, code: code)
        }
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    /// The temporary file's path as a C string in memory a signal handler may read (never freed).
    nonisolated(unsafe) private static let pendingPath: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: pendingCapacity)
        buffer.initialize(repeating: 0, count: pendingCapacity)
        return buffer
    }()
    private static let pendingCapacity = 4096

    private static func setPending(_ path: String) {
        pendingPath.pointee = 0
        path.withCString { source in
            let length = strlen(source)
            (pendingPath + 1).update(from: source + 1, count: length)  // all but the first byte, which arms it last
            pendingPath[length] = 0
            pendingPath.pointee = source.pointee
        }
    }

    private static func clearPending() { pendingPath.pointee = 0 }
}

/// A file that could not be written, in one sentence (a full disk, a read-only folder).
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    /// The file as the user named it.
    public let path: String
    /// The `errno` of the failing call.
    public let code: Int32

    public var description: String {
        let reason: String
        switch code {
        case ENOSPC, EDQUOT: reason = "the disk is full"
        case EROFS: reason = "the file system is read-only"
        case EACCES, EPERM: reason = "permission denied"
        case ENOENT: reason = "its folder does not exist"
        case EEXIST: reason = "a temporary file of this process is in the way (remove \(path).tmp-*)"
        default: reason = String(cString: strerror(code))
        }
        return "cannot write '\(path)': \(reason)"
    }
}
