import Foundation
import GRDBSQLite
import LeadPoolCore
import LeadPoolStorage

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
            fileHasWriteBits: mode & 0o222 != 0
        )
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
                hint:
                    "give it the database's group and mode: `chgrp \(DatabaseFiles.groupName(of: path) ?? "GROUP") \(wal) \(shm)` and `chmod g+rw \(wal) \(shm)`; `chmod g+s \(directory)` keeps new ones in that group"
            )
        case .companionsMissing:
            let why =
                DatabaseFiles.may(directory, W_OK | X_OK)
                ? "made by you, who may not write the database, they would lock its writers out"
                : "you may not create them in \(directory)"
            return LeadPoolError.permission(
                "cannot read \(path) safely: SQLite needs \((wal as NSString).lastPathComponent) and \((shm as NSString).lastPathComponent) beside it while others may write it, they are missing, and \(why)",
                hint:
                    "whoever may write the database runs `leadpool --db \(path) migrate` once (leadpool keeps those files from then on), or shares the directory with the database's group (see `leadpool init --group`)"
            )
        }
    }

    /// Refuses, with what to do about it, a writing command the caller's permissions would
    /// make fail inside SQLite ("attempt to write a readonly database").
    func checkWritable() throws {
        guard DatabaseFiles.may(path, W_OK) else {
            throw LeadPoolError.permission(
                "cannot write \(path) (\(DatabaseFiles.describe(path))): you may only read it, so commands that change it are refused",
                hint: "commands that only read still work; ask its owner to share it with your group (`leadpool init --group`, or see the README)"
            )
        }
        for companion in [wal, shm] where DatabaseFiles.status(companion) != nil && !DatabaseFiles.may(companion, R_OK | W_OK) {
            throw LeadPoolError.permission(
                "cannot write \(companion) (\(DatabaseFiles.describe(companion))), which SQLite writes beside \(path)",
                hint:
                    "give it the database's group and mode: `chgrp \(DatabaseFiles.groupName(of: path) ?? "GROUP") \(wal) \(shm)` and `chmod g+rw \(wal) \(shm)`; `chmod g+s \(directory)` keeps new ones in that group"
            )
        }
        let missing = [wal, shm].contains { DatabaseFiles.status($0) == nil }
        if missing, !DatabaseFiles.may(directory, W_OK | X_OK) {
            throw LeadPoolError.permission(
                "cannot create \((wal as NSString).lastPathComponent) and \((shm as NSString).lastPathComponent) in \(directory) (\(DatabaseFiles.describe(directory))), which SQLite needs to write \(path)",
                hint: "make the directory writable for whoever writes the database (group-shared: see `leadpool init --group`)"
            )
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

// MARK: - Sharing with a group

extension DatabaseFiles {
    /// What `init --group` does to the database's directory.
    enum DirectoryChange: Equatable {
        /// It is already the group's, setgid and group-writable: leave it.
        case none
        /// Give it the group, mode 2770 (setgid, so the `-wal`/`-shm` files get the group too).
        case share
    }

    /// Why `init --group` refuses the directory.
    enum DirectoryRefusal: Error, Equatable {
        /// It holds other files: sharing it would open them to the group.
        case holdsOtherFiles
        /// It belongs to someone else: only its owner (or root) may change its group and mode.
        case notYours
    }

    /// Whether `init --group` may share a directory with the group: only a directory already
    /// shared that way, or an empty one of the caller's. Sharing a directory that holds other
    /// files (a home directory, /tmp) would let the group replace or plant them.
    static func directoryChange(
        ownerUID: uid_t,
        gid: gid_t,
        mode: mode_t,
        isEmpty: Bool,
        callerUID: uid_t,
        group: gid_t
    ) -> Result<DirectoryChange, DirectoryRefusal> {
        if gid == group, mode & 0o2070 == 0o2070 { return .success(.none) }
        guard isEmpty else { return .failure(.holdsOtherFiles) }
        guard callerUID == 0 || callerUID == ownerUID else { return .failure(.notYours) }
        return .success(.share)
    }

    /// A group the database is shared with, checked before anything is created.
    struct Sharing {
        let group: String
        let gid: gid_t
        let change: DirectoryChange
        /// The directory's group and mode before, to put back if creating the database fails.
        let saved: (gid: gid_t, mode: mode_t)
    }

    /// Checks that `init --group GROUP` can share this database: the group exists, the caller
    /// belongs to it, and the directory is already shared or may be (see ``directoryChange``).
    func sharing(with group: String) throws -> Sharing {
        guard let entry = getgrnam(group) else {
            throw LeadPoolError.notFound(
                "no group '\(group)' on this host",
                hint: "create it and add the reps (`groupadd \(group)`, `usermod -aG \(group) LOGIN`), or name one `getent group` lists"
            )
        }
        let gid = entry.pointee.gr_gid
        guard geteuid() == 0 || DatabaseFiles.callerGroups().contains(gid) else {
            throw LeadPoolError.permission(
                "you are not a member of group '\(group)', so you cannot give it the database",
                hint: "run init as a member of '\(group)' (after `usermod -aG \(group) LOGIN`, log in again)"
            )
        }
        guard let info = DatabaseFiles.status(directory) else {
            throw LeadPoolError.configuration(
                "no directory \(directory) for the database",
                hint: "create it first: `mkdir \(directory)`"
            )
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? ["?"]
        let change = DatabaseFiles.directoryChange(
            ownerUID: info.st_uid,
            gid: info.st_gid,
            mode: info.st_mode,
            isEmpty: entries.isEmpty,
            callerUID: geteuid(),
            group: gid
        )
        switch change {
        case .success(let change):
            return Sharing(group: group, gid: gid, change: change, saved: (info.st_gid, info.st_mode & 0o7777))
        case .failure(.holdsOtherFiles):
            throw LeadPoolError.configuration(
                "init --group shares the database's directory \(directory) with '\(group)' (setgid, mode 2770), but it holds other files that this would open to the group",
                hint:
                    "give the database a directory of its own: `mkdir \(directory)/leadpool` and `leadpool --db \(directory)/leadpool/\((path as NSString).lastPathComponent) init --group \(group)`"
            )
        case .failure(.notYours):
            throw LeadPoolError.permission(
                "init --group shares the database's directory \(directory) with '\(group)' (setgid, mode 2770), but it is not yours (\(DatabaseFiles.describe(directory)))",
                hint: "ask its owner to run `chgrp \(group) \(directory) && chmod 2770 \(directory)`, or use a directory of your own"
            )
        }
    }

    /// Shares the directory as `sharing` says and creates the database file empty, mode 0660,
    /// in the group: SQLite then fills it, and makes `-wal`/`-shm` with its mode and (setgid)
    /// group. On failure leaves the directory and the path as they were; once it succeeded,
    /// ``unshare(_:)`` puts the directory back.
    func share(_ sharing: Sharing) throws {
        func failure(_ what: String) -> LeadPoolError {
            LeadPoolError.permission("cannot \(what): \(String(cString: strerror(errno)))")
        }
        if sharing.change == .share {
            guard chown(directory, uid_t.max, sharing.gid) == 0, chmod(directory, 0o2770) == 0 else {
                let error = failure("share \(directory) with '\(sharing.group)'")
                unshare(sharing)
                throw error
            }
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o660)
        guard fd >= 0 else {
            let error = failure("create \(path)")
            unshare(sharing)
            throw error
        }
        defer { close(fd) }
        guard fchown(fd, uid_t.max, sharing.gid) == 0, fchmod(fd, 0o660) == 0 else {
            let error = failure("give \(path) to group '\(sharing.group)'")
            unlink(path)
            unshare(sharing)
            throw error
        }
    }

    /// Puts the directory's group and mode back after a failed `init --group`.
    func unshare(_ sharing: Sharing) {
        guard sharing.change == .share else { return }
        _ = chown(directory, uid_t.max, sharing.saved.gid)
        _ = chmod(directory, sharing.saved.mode)
    }

    /// The caller's effective and supplementary groups.
    static func callerGroups() -> Set<gid_t> {
        let count = getgroups(0, nil)
        var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
        let got = getgroups(count, &groups)
        return Set(groups.prefix(Int(max(got, 0)))).union([getegid()])
    }
}
