import Foundation
import GRDBSQLite
import LeadPoolCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The database file and the two files SQLite keeps beside it in WAL mode (`-wal`, `-shm`), as
/// the calling process may use them: on a shared host their permissions are the trust boundary.
///
/// A reader of a WAL database needs both companions: SQLite coordinates readers and writers
/// through the `-shm` file and reads recent commits from the `-wal` file. A process that may not
/// create them (its directory is not writable) can still read when they exist, which is why
/// leadpool's writers keep them in place when they close (see ``Store``), and why a reader never
/// creates them beside a file it may not write: left behind with its ownership, they would lock
/// the database's writers out.
struct DatabaseFiles {
    let path: String

    var wal: String { path + "-wal" }
    var shm: String { path + "-shm" }
    var directory: String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// How a command that only reads opens the database.
    enum ReadAccess: Equatable {
        /// Read-only, alongside writers, through the `-wal` and `-shm` files.
        case shared
        /// Read-only without the `-wal` and `-shm` files: the file as it is, for a file nobody but
        /// root can change (no write permission bits) with no WAL content to miss.
        case immutable
    }

    /// What the calling process may do with the database's files.
    struct Facts: Equatable {
        /// The file's header says WAL mode (a `backup` copy, in rollback mode, needs no companions).
        var walMode: Bool
        var walExists: Bool
        /// The `-wal` file is missing or empty: the database file holds every commit.
        var walEmpty: Bool
        var shmExists: Bool
        /// Both companions, where they exist, are readable by the caller.
        var companionsReadable: Bool
        /// The caller may create files in the directory.
        var directoryWritable: Bool
        /// The caller may write the database file.
        var fileWritable: Bool
        /// Anyone (owner, group or others) may write the database file.
        var fileHasWriteBits: Bool
    }

    /// Why a read-only opening is refused.
    enum ReadRefusal: Error, Equatable {
        /// A companion exists but the caller may not read it.
        case companionUnreadable
        /// The companions are missing and the caller may not create them (or should not: they
        /// would be the caller's, and lock out the database's writers).
        case companionsMissing
    }

    /// How a command that only reads can open a database given what the caller may do, or why
    /// it cannot.
    static func readAccess(_ facts: Facts) -> Result<ReadAccess, ReadRefusal> {
        guard facts.walMode else { return .success(.shared) }
        if facts.walExists, facts.shmExists {
            return facts.companionsReadable ? .success(.shared) : .failure(.companionUnreadable)
        }
        if facts.fileWritable, facts.directoryWritable { return .success(.shared) }
        if !facts.fileHasWriteBits, facts.walEmpty { return .success(.immutable) }
        return .failure(.companionsMissing)
    }

    // MARK: - Looking

    /// The facts about this database's files for the calling process.
    func facts(header: [UInt8]) -> Facts {
        let walSize = DatabaseFiles.status(wal).map { Int64($0.st_size) }
        let shmExists = DatabaseFiles.status(shm) != nil
        let mode = DatabaseFiles.status(path).map { $0.st_mode } ?? 0
        return Facts(
            // Bytes 18 and 19: the file format's write and read versions, 2 for WAL.
            walMode: header.count > 19 && header[18] == 2 && header[19] == 2,
            walExists: walSize != nil,
            walEmpty: (walSize ?? 0) == 0,
            shmExists: shmExists,
            companionsReadable: [wal, shm].allSatisfy { DatabaseFiles.status($0) == nil || DatabaseFiles.may($0, R_OK) },
            directoryWritable: DatabaseFiles.may(directory, W_OK | X_OK),
            fileWritable: DatabaseFiles.may(path, W_OK),
            fileHasWriteBits: mode & 0o222 != 0)
    }

    /// Decides how to open the database read-only, or refuses with what to do about it.
    func readAccess(header: [UInt8]) throws -> ReadAccess {
        switch DatabaseFiles.readAccess(facts(header: header)) {
        case .success(let access):
            if access == .immutable, sqlite3_compileoption_used("USE_URI") == 0 { throw refusal(.companionsMissing) }
            return access
        case .failure(let reason):
            throw refusal(reason)
        }
    }

    private func refusal(_ reason: ReadRefusal) -> LeadPoolError {
        switch reason {
        case .companionUnreadable:
            let unreadable = [wal, shm].first { !DatabaseFiles.may($0, R_OK) } ?? shm
            return LeadPoolError.permission(
                "cannot read \(unreadable) (\(DatabaseFiles.describe(unreadable))), which SQLite needs beside \(path) to read it",
                hint: "give it the database's group and mode: `chgrp \(DatabaseFiles.groupName(of: path) ?? "GROUP") \(wal) \(shm)` and `chmod g+rw \(wal) \(shm)`; `chmod g+s \(directory)` keeps new ones in that group")
        case .companionsMissing:
            return LeadPoolError.permission(
                "cannot read \(path) safely: SQLite needs \((wal as NSString).lastPathComponent) and \((shm as NSString).lastPathComponent) beside it while others may write it, they are missing, and \(directory) is not yours to create them in",
                hint: "whoever may write the database runs `leadpool --db \(path) migrate` once (leadpool keeps those files from then on), or shares the directory with the database's group (see `leadpool init --group`)")
        }
    }

    /// Refuses, with what to do about it, a writing command the caller's permissions would
    /// make fail inside SQLite ("attempt to write a readonly database").
    func checkWritable() throws {
        guard DatabaseFiles.may(path, W_OK) else {
            throw LeadPoolError.permission(
                "cannot write \(path) (\(DatabaseFiles.describe(path))): you may only read it, so commands that change it are refused",
                hint: "commands that only read still work; ask its owner to share it with your group (`leadpool init --group`, or see the README)")
        }
        for companion in [wal, shm] where DatabaseFiles.status(companion) != nil && !DatabaseFiles.may(companion, R_OK | W_OK) {
            throw LeadPoolError.permission(
                "cannot write \(companion) (\(DatabaseFiles.describe(companion))), which SQLite writes beside \(path)",
                hint: "give it the database's group and mode: `chgrp \(DatabaseFiles.groupName(of: path) ?? "GROUP") \(wal) \(shm)` and `chmod g+rw \(wal) \(shm)`; `chmod g+s \(directory)` keeps new ones in that group")
        }
        let missing = [wal, shm].contains { DatabaseFiles.status($0) == nil }
        if missing, !DatabaseFiles.may(directory, W_OK | X_OK) {
            throw LeadPoolError.permission(
                "cannot create \((wal as NSString).lastPathComponent) and \((shm as NSString).lastPathComponent) in \(directory) (\(DatabaseFiles.describe(directory))), which SQLite needs to write \(path)",
                hint: "make the directory writable for whoever writes the database (group-shared: see `leadpool init --group`)")
        }
    }

    /// Gives the companions this process created the database file's group, so that the group's
    /// other members can open them where the directory does not pass its group on (no setgid).
    /// Best effort: a failure leaves them as SQLite made them.
    func alignCompanionGroups() {
        guard let database = DatabaseFiles.status(path) else { return }
        for companion in [wal, shm] {
            guard let info = DatabaseFiles.status(companion), info.st_uid == geteuid(), info.st_gid != database.st_gid else { continue }
            _ = chown(companion, uid_t.max, database.st_gid)
        }
    }

    // MARK: - File system

    static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// Whether this process (its effective ids) may access `path` in `mode`.
    static func may(_ path: String, _ mode: Int32) -> Bool {
        faccessat(AT_FDCWD, path, mode, AT_EACCESS) == 0
    }

    static func groupName(of path: String) -> String? {
        status(path).flatMap { groupName($0.st_gid) }
    }

    static func groupName(_ gid: gid_t) -> String? {
        getgrgid(gid).flatMap { $0.pointee.gr_name.map { String(cString: $0) } }
    }

    static func userName(_ uid: uid_t) -> String? {
        getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } }
    }

    /// `owner olga, group sales, mode 0640`.
    static func describe(_ path: String) -> String {
        guard let info = status(path) else { return "missing" }
        let owner = userName(info.st_uid) ?? String(info.st_uid)
        let group = groupName(info.st_gid) ?? String(info.st_gid)
        return "owner \(owner), group \(group), mode \(String(format: "%04o", Int(info.st_mode & 0o7777)))"
    }
}
