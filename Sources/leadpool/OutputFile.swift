import Foundation
import LeadPoolCore

#if canImport(Glibc)
import Glibc
#endif

/// A file leadpool writes: `backup FILE`, `export -o FILE`, `report -o FILE`, `demo --dir DIR`'s
/// files (SPEC, "Files leadpool writes").
///
/// The content goes to a temporary file created exclusively beside the target (same directory,
/// so the rename stays on one file system), is flushed to disk, and is renamed into place only
/// when complete: until then the old file is untouched, and a failed or interrupted write
/// removes the temporary file. A symbolic link is followed and its target replaced (the link
/// stays a link). A directory, device, FIFO or socket is refused and left as it is, and so is
/// an existing file when the command does not replace files.
struct OutputFile {
    /// What to do when the target is an existing regular file.
    enum Existing {
        /// Replace it (when the user may write it), keeping its permission bits and, where
        /// allowed, its owner and group.
        case replace
        /// Leave it and refuse (exit 73) with this hint.
        case refuse(hint: String)
    }

    /// The path as the user gave it, for messages.
    let path: String
    /// Where the content lands: `path` with the symbolic links of its last component followed.
    let target: String
    private let existing: Existing
    /// The permission bits and owner a replaced file had, kept on its replacement.
    private let kept: (mode: mode_t, owner: uid_t, group: gid_t)?
    /// Permission bits of a new file, before the umask.
    private let newFileMode: mode_t

    /// Checks that `path` can be written; nothing is created yet.
    ///
    /// - Parameters:
    ///   - existing: whether an existing regular file is replaced or refused.
    ///   - protecting: files that must never be the target (the database); comparing the files
    ///     themselves, not their names, catches every path and hard link to them.
    ///   - newFileMode: permission bits of a new file, before the umask (default 0666, as any
    ///     program creates files).
    ///   - alternative: offered in the hint when the path is no regular file (e.g. "or write to
    ///     standard output with -o - and redirect it").
    /// - Throws: `cannotCreate` (73) for a directory, device, FIFO or socket, a missing or
    ///   unreachable directory, or an existing file `existing` refuses; `usage` (64) for an empty
    ///   path or one of the protected files.
    init(
        _ path: String,
        existing: Existing,
        protecting: [String] = [],
        newFileMode: mode_t = 0o666,
        alternative: String? = nil
    ) throws(LeadPoolError) {
        guard !path.isEmpty else { throw .usage("the output path is empty") }
        self.path = path
        self.existing = existing
        self.newFileMode = newFileMode
        let otherwise = alternative.map { ", \($0)" } ?? ""
        if path.hasSuffix("/") {
            throw .cannotCreate("cannot write \(path): the path names a directory", hint: "name a file\(otherwise)")
        }
        target = try Self.followingLinks(path)
        let shown = target == path ? path : "\(path) (a link to \(target))"
        for file in protecting {
            if Self.sameLocation(target, file) { throw .usage("\(shown) is the database itself; choose another path") }
            // SQLite's files beside the database are part of it, whether they exist yet or not.
            for suffix in ["-wal", "-shm", "-journal"] where Self.sameLocation(target, file + suffix) {
                throw .usage("\(shown) is one of the database's own files; choose another path")
            }
        }

        var info = stat()
        if lstat(target, &info) != 0 {
            let error = errno
            switch error {
            case ENOENT: break  // a new file; whether its directory exists shows when it is created
            case ENOTDIR:
                throw .cannotCreate("cannot write \(shown): \(Self.directory(of: target)) is not a directory")
            case EACCES:
                throw .cannotCreate("cannot write \(shown): no permission to reach \(Self.directory(of: target))")
            default:
                throw .cannotCreate("cannot write \(shown): \(Self.describe(error))")
            }
            kept = nil
        } else {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                if case .refuse(let hint) = existing {
                    throw .cannotCreate("\(shown) already exists; leadpool does not overwrite it", hint: hint)
                }
                // Replacing takes only the directory's write permission; like `>`, leadpool also
                // asks for the file's, so nobody replaces a file they may not change.
                if faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) != 0 {
                    throw .cannotCreate(
                        "cannot write \(shown): no permission to change it",
                        hint: "check the file's permissions, or choose another path"
                    )
                }
                kept = (info.st_mode & 0o7777, info.st_uid, info.st_gid)
            case S_IFDIR:
                throw .cannotCreate(
                    "cannot write \(shown): it is a directory",
                    hint: "name a file inside it\(otherwise)"
                )
            case S_IFCHR, S_IFBLK:
                throw .cannotCreate("cannot write \(shown): it is a device, not a regular file", hint: "name a regular file\(otherwise)")
            case S_IFIFO:
                throw .cannotCreate("cannot write \(shown): it is a FIFO (named pipe), not a regular file", hint: "name a regular file\(otherwise)")
            case S_IFSOCK:
                throw .cannotCreate("cannot write \(shown): it is a socket, not a regular file", hint: "name a regular file\(otherwise)")
            default:
                throw .cannotCreate("cannot write \(shown): it is not a regular file", hint: "name a regular file\(otherwise)")
            }
        }
    }

    /// Writes the content through `body` into a temporary file, flushes it to disk and renames
    /// it into place. On any error, and on SIGINT, SIGTERM, SIGHUP or SIGPIPE meanwhile, the
    /// temporary file is removed and the target left as it was.
    func write<T>(_ body: (Temporary) throws -> T) throws -> T {
        InterruptCleanup.install()
        defer { InterruptCleanup.clear() }
        let temporary = try Temporary(beside: target, shown: path, mode: newFileMode)
        do {
            if let kept {
                // The owner only where allowed (root, or a group of one's own): best effort.
                _ = fchown(temporary.descriptor, kept.owner, kept.group)
                if fchmod(temporary.descriptor, kept.mode) != 0 {
                    throw LeadPoolError.cannotCreate("cannot give \(temporary.path) the permissions of \(path): \(Self.describe(errno))")
                }
            }
            let result = try body(temporary)
            try temporary.finish()
            try place(temporary)
            Self.syncDirectory(of: target)
            return result
        } catch {
            temporary.discard()
            throw error
        }
    }

    /// Moves the complete temporary file to the target: a rename replaces an existing file in
    /// one step; where none may be replaced, a hard link creates the name only if it is still free.
    private func place(_ temporary: Temporary) throws {
        switch existing {
        case .replace:
            if rename(temporary.path, target) != 0 {
                let error = errno
                throw LeadPoolError.cannotCreate(
                    "cannot write \(path): \(error == EISDIR ? "it became a directory meanwhile" : Self.describe(error))"
                )
            }
        case .refuse(let hint):
            if link(temporary.path, target) == 0 {
                unlink(temporary.path)
                return
            }
            let error = errno
            if error == EEXIST {
                throw LeadPoolError.cannotCreate("\(path) appeared meanwhile; leadpool does not overwrite it", hint: hint)
            }
            // File systems without hard links: check, then rename.
            guard error == EPERM || error == EOPNOTSUPP || error == ENOTSUP, access(target, F_OK) != 0 else {
                throw LeadPoolError.cannotCreate("cannot write \(path): \(Self.describe(error))")
            }
            if rename(temporary.path, target) != 0 {
                throw LeadPoolError.cannotCreate("cannot write \(path): \(Self.describe(errno))")
            }
        }
    }

    // MARK: - Paths

    /// `path` with the symbolic links of its last component followed, as the kernel would.
    private static func followingLinks(_ path: String) throws(LeadPoolError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count >= 0 else { throw .cannotCreate("cannot read the link \(current): \(describe(errno))") }
            let destination = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = destination.hasPrefix("/") ? destination : directory(of: current) + "/" + destination
        }
        throw .cannotCreate("cannot write \(path): too many levels of symbolic links")
    }

    /// The directory holding `path`: "." for a bare name.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether `a` and `b` name one location: the same file when it exists, else the same name
    /// in the same directory.
    private static func sameLocation(_ a: String, _ b: String) -> Bool {
        var x = stat()
        var y = stat()
        if stat(a, &x) == 0, stat(b, &y) == 0 { return x.st_dev == y.st_dev && x.st_ino == y.st_ino }
        guard (a as NSString).lastPathComponent == (b as NSString).lastPathComponent,
            stat(directory(of: a), &x) == 0, stat(directory(of: b), &y) == 0
        else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Makes the rename itself durable.
    private static func syncDirectory(of path: String) {
        let descriptor = open(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func describe(_ error: Int32) -> String {
        String(cString: strerror(error)).lowercased()
    }
}

extension OutputFile {
    /// The temporary file being written: an open descriptor, and a path for writers (SQLite)
    /// that open it themselves.
    final class Temporary {
        let path: String
        let descriptor: Int32
        /// The path as the user gave it, for messages.
        private let shown: String
        private var open = true

        /// Creates a new file with a unique hidden name in `target`'s directory, exclusively
        /// (`O_EXCL`), so it never touches another file.
        fileprivate init(beside target: String, shown: String, mode: mode_t) throws(LeadPoolError) {
            let directory = OutputFile.directory(of: target)
            // Names are at most 255 bytes: keep the prefix of a long one.
            let name = String(decoding: Array((target as NSString).lastPathComponent.utf8.prefix(200)), as: UTF8.self)
            self.shown = shown
            while true {
                let candidate = "\(directory)/.\(name).\(String(UInt32.random(in: 0...UInt32.max), radix: 36))~"
                // Armed before the file exists, so no signal ever finds it without its cleanup.
                // Should the name be taken, a signal now could only remove another leadpool's
                // temporary file, whose rename then fails: its target stays as it was.
                InterruptCleanup.arm(candidate)
                let descriptor = Glibc.open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
                if descriptor >= 0 {
                    path = candidate
                    self.descriptor = descriptor
                    return
                }
                let error = errno
                switch error {
                case EEXIST, EINTR: continue
                case ENOENT: throw .cannotCreate("cannot write \(shown): the directory \(directory) does not exist")
                case ENOTDIR: throw .cannotCreate("cannot write \(shown): \(directory) is not a directory")
                case EACCES, EPERM:
                    throw .cannotCreate(
                        "cannot write \(shown): no permission to create files in \(directory)",
                        hint: "choose a directory you can write to"
                    )
                case EROFS: throw .cannotCreate("cannot write \(shown): \(directory) is on a read-only file system")
                case ENOSPC, EDQUOT: throw .busy("cannot write \(shown): the disk is full", hint: "free some space and try again")
                default: throw .cannotCreate("cannot write \(shown): \(OutputFile.describe(error))")
                }
            }
        }

        /// Appends `bytes`.
        func write(_ bytes: UnsafeRawBufferPointer) throws(LeadPoolError) {
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    let error = errno
                    if error == EINTR { continue }
                    throw failure(error)
                }
                offset += written
            }
        }

        /// Flushes the file to disk and closes it.
        fileprivate func finish() throws(LeadPoolError) {
            if fsync(descriptor) != 0 { throw failure(errno) }
            open = false
            if close(descriptor) != 0 { throw failure(errno) }
        }

        /// Removes the file and whatever SQLite kept beside it.
        fileprivate func discard() {
            if open {
                close(descriptor)
                open = false
            }
            for suffix in InterruptCleanup.suffixes { unlink(path + suffix) }
        }

        private func failure(_ error: Int32) -> LeadPoolError {
            if error == ENOSPC || error == EDQUOT {
                return .busy("cannot write \(shown): the disk is full", hint: "free some space and try again")
            }
            return .cannotCreate("cannot write \(shown): \(OutputFile.describe(error))")
        }
    }
}

/// Removes the temporary file being written when the process is interrupted, then dies of the
/// same signal. SIGKILL cannot be caught: its temporary file (a hidden name ending in `~`)
/// stays, and the target is untouched all the same.
private enum InterruptCleanup {
    static let suffixes = ["", "-journal", "-wal", "-shm"]
    static let signals = [SIGINT, SIGTERM, SIGHUP, SIGPIPE]

    /// The paths to remove, as C strings made before any signal can need them: a handler may
    /// neither allocate nor touch reference-counted values.
    nonisolated(unsafe) private static let paths: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let paths = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: suffixes.count)
        paths.initialize(repeating: nil, count: suffixes.count)
        return paths
    }()
    nonisolated(unsafe) private static var armed: sig_atomic_t = 0
    nonisolated(unsafe) private static var previous: [sigaction] = []

    /// Removes `path` and SQLite's files beside it when a signal comes.
    static func arm(_ path: String) {
        armed = 0
        for (index, suffix) in suffixes.enumerated() {
            free(paths[index])
            paths[index] = strdup(path + suffix)
        }
        armed = 1
    }

    static func install() {
        previous = signals.map { signal in
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                if InterruptCleanup.armed != 0 {
                    for index in 0..<4 { if let path = InterruptCleanup.paths[index] { unlink(path) } }
                }
                Glibc.signal(number, SIG_DFL)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(signal, &action, &old)
            return old
        }
    }

    /// Disarms and puts the previous handlers back.
    static func clear() {
        armed = 0
        for (signal, old) in zip(signals, previous) {
            var old = old
            sigaction(signal, &old, nil)
        }
        previous = []
        for index in suffixes.indices {
            free(paths[index])
            paths[index] = nil
        }
    }
}
