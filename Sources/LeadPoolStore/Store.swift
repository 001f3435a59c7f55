import Foundation
import GRDB
import GRDBSQLite
import LeadPoolCore
import LeadPoolStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The leadpool database: one `DatabasePool` (WAL) per process, one method per transaction.
///
/// Every SQL statement of leadpool lives in this module; the CLI and the engine see
/// domain values and `LeadPoolError`s only.
public struct Store: Sendable {
    let pool: DatabasePool
    /// The database file.
    public let path: String
    /// The OS login of this process, kept as `recorded_by` on every event it writes (beside
    /// `recorded_at`, the wall clock), so `check` can tell who moved the clock; nil when the
    /// caller did not say (library use).
    public private(set) var login: String?

    /// How long a writer waits for another process's write before giving up with "busy" (exit 75).
    public static let busyTimeout: TimeInterval = 10
    /// How often a waiting writer tries again. SQLite's own busy timeout sleeps up to 100 ms
    /// between tries, so a writer waiting on a long run of short transactions (a round, a
    /// reclaim) could miss every gap between them; polling this often catches a gap of a few
    /// milliseconds.
    static let busyPollInterval: useconds_t = 1_000
    /// Marks a SQLite file as a leadpool database (`PRAGMA application_id`, ASCII "LPOL").
    static let applicationID: Int32 = 0x4C50_4F4C

    // MARK: - Opening

    /// Opens an existing leadpool database and refuses one with pending migrations
    /// (unless `allowPending`, for `migrate`).
    ///
    /// `readOnly` opens it for a command that only reads: nothing is written, not even the
    /// `-wal` and `-shm` files SQLite keeps beside it, so a caller who may only read the file
    /// (and not its directory) can run it. See ``DatabaseFiles`` for when that works.
    public static func open(path: String, allowPending: Bool = false, readOnly: Bool = false) throws -> Store {
        try checkFile(at: path, mustExist: true)
        let header = try checkHeader(at: path)
        let files = DatabaseFiles(path: path)
        let store: Store
        if readOnly {
            store = try Store(path: path, access: try files.readAccess(header: header))
        } else {
            try files.checkWritable()
            store = try Store(path: path, access: nil)
        }
        try store.verifyIdentity()
        if !readOnly { files.alignCompanionGroups() }
        let status = try store.migrationStatus()
        if !allowPending, !status.pending.isEmpty {
            throw MigrationRules.pendingError(status, database: path)
        }
        return store
    }

    /// Creates a new database at `path`, applies every migration and adds the first admin.
    /// Refuses an existing file; on any failure removes what it created.
    ///
    /// With `group`, shares it with that OS group: the file 0660 in the group, its directory
    /// setgid 2770 in the group (only when the directory is empty and the caller's, or shared
    /// so already), so that every member can work and the `-wal`/`-shm` files SQLite adds stay
    /// usable by all of them. Checked before anything is created.
    public static func create(path: String, firstAdmin: Rep, group: String? = nil) throws -> Store {
        try checkFile(at: path, mustExist: false)
        let files = DatabaseFiles(path: path)
        let sharing = try group.map { try files.sharing(with: $0) }
        if let sharing { try files.share(sharing) }
        do {
            let store = try Store(path: path, access: nil)
            try store.write { db in
                try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            }
            try store.migrate()
            try store.addRep(firstAdmin)
            return store
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            if let sharing { files.unshare(sharing) }
            throw error
        }
    }

    /// This store, recording `login` as the writer of the events it writes.
    public func recording(as login: String) -> Store {
        var store = self
        store.login = login
        return store
    }

    /// The WAL size, in bytes, a write transaction that starts over trims the `-wal` file to;
    /// the last connection to close trims it to nothing.
    static let walSizeLimit = 128 << 20

    /// Opens the database for reading and writing, or, with `access`, read-only.
    private init(path: String, access: DatabaseFiles.ReadAccess?) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .callback(Store.waitWhileBusy)
        config.foreignKeysEnabled = true
        config.readonly = access != nil
        config.prepareDatabase { db in
            // WAL + NORMAL keeps every commit atomic and consistent; only the last commits
            // before a power loss may be lost, never half of one.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Large sorts (building an index after a bulk write, big GROUP BYs) may use a
            // second thread: 10–20% off building the pool index over a million leads.
            try db.execute(sql: "PRAGMA threads = 2")
            // The last connection to close keeps the -wal and -shm files (emptied) instead of
            // deleting them, so that readers who may not create files beside the database find
            // them (SQLite's "persistent WAL", made for read-only readers).
            var persist: Int32 = 1
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
            if access == nil { try db.execute(sql: "PRAGMA journal_size_limit = \(Store.walSizeLimit)") }
        }
        do {
            let location = access == .immutable ? Store.immutableURI(path) : path
            do {
                pool = try DatabasePool(path: location, configuration: config)
            } catch let error as DatabaseError where access == .shared && Store.leftByAKilledWriter(error) {
                try Store.finishWhatAKilledWriterLeft(path)
                pool = try DatabasePool(path: location, configuration: config)
            }
        } catch {
            throw Store.translate(error, path: path)
        }
    }

    /// Whether a read-only connection was refused because a writer killed mid-transaction left
    /// work that only a connection allowed to write may finish: a hot rollback journal (when it
    /// was the first write to a `backup` copy, which is in rollback mode) or a WAL index to
    /// rebuild. SQLite then says "attempt to write a readonly database".
    private static func leftByAKilledWriter(_ error: DatabaseError) -> Bool {
        [.SQLITE_READONLY_ROLLBACK, .SQLITE_READONLY_RECOVERY, .SQLITE_READONLY_CANTINIT].contains(error.extendedResultCode)
    }

    /// Finishes what a killed writer left the way any writer would, through one read-write
    /// connection, when the caller may write the files; otherwise says what happened instead of
    /// blaming permissions.
    private static func finishWhatAKilledWriterLeft(_ path: String) throws {
        guard DatabaseFiles.may(path, W_OK), DatabaseFiles.may(DatabaseFiles(path: path).directory, W_OK | X_OK) else {
            throw LeadPoolError.busy(
                "\(path) was left mid-write by a leadpool process that was killed; it can be read once that write is rolled back",
                hint: "anyone who may write the database rolls it back by running any leadpool command on it (`leadpool check`); then try again"
            )
        }
        let writer = try DatabasePool(path: path)
        try writer.writeWithoutTransaction { _ = try $0.tableExists(Migrator.table) }
        try writer.close()
    }

    /// The URI that opens `path` as a file nobody changes: no locks, no `-wal`, no `-shm`.
    private static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    /// SQLite's busy handler: called with 0, 1, 2, … while another connection holds the lock
    /// this one needs. Sleeps ``busyPollInterval`` and tries again, until ``busyTimeout`` has
    /// passed since the first try (measured on the monotonic clock), then gives up (busy).
    @Sendable static func waitWhileBusy(_ tries: Int) -> Bool {
        let now = DispatchTime.now().uptimeNanoseconds
        // Each wait runs on one thread, inside one sqlite3_step: remember when it began there.
        let key = "leadpool.busySince"
        let thread = Thread.current.threadDictionary
        if tries == 0 { thread[key] = now }
        let since = thread[key] as? UInt64 ?? now
        guard now &- since < UInt64(busyTimeout * 1_000_000_000) else { return false }
        usleep(busyPollInterval)
        return true
    }

    private static func checkFile(at path: String, mustExist: Bool) throws {
        var info = stat()
        if stat(path, &info) != 0, errno == EACCES {
            let directory = DatabaseFiles(path: path).directory
            throw LeadPoolError.permission(
                "cannot reach \(path): you may not enter \(directory) (\(DatabaseFiles.describe(directory)))",
                hint: "ask its owner for access: the group named here shares it (see `leadpool init --group`)"
            )
        }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue {
            throw LeadPoolError.configuration(
                "\(path) is a directory, not a database file",
                hint: "pass the database file with --db PATH or LEADPOOL_DB"
            )
        }
        if mustExist, !exists {
            throw LeadPoolError.configuration(
                "no leadpool database at \(path)",
                hint: "create one with `leadpool --db \(path) init`, or point --db / LEADPOOL_DB at yours"
            )
        }
        if !mustExist, exists {
            throw LeadPoolError.configuration(
                "a file already exists at \(path); init only creates new databases",
                hint: "use `leadpool --db \(path) migrate` to upgrade an existing database, or choose another path"
            )
        }
    }

    /// Reads the 100-byte SQLite header before SQLite touches the file, so that opening
    /// (which switches a database to WAL) never changes a file that is not ours. Returns it.
    private static func checkHeader(at path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LeadPoolError.permission(
                "cannot read \(path) (\(DatabaseFiles.describe(path)))",
                hint: "ask its owner for read access: the group named here shares it (see `leadpool init --group`)"
            )
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        if header.isEmpty {
            throw LeadPoolError.configuration(
                "\(path) is an empty file, not a leadpool database",
                hint: "remove it and run `leadpool --db \(path) init`"
            )
        }
        guard header.count == 100, header.starts(with: Array("SQLite format 3\u{0}".utf8)) else {
            throw LeadPoolError.configuration(
                "\(path) is not a SQLite database (the file is something else, or damaged)",
                hint: "point --db / LEADPOOL_DB at a leadpool database, or create one with `leadpool init`"
            )
        }
        let applicationID = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard Int32(bitPattern: applicationID) == Store.applicationID else {
            throw LeadPoolError.configuration(
                "\(path) is a SQLite database, but not a leadpool one",
                hint: "point --db / LEADPOOL_DB at a leadpool database, or create one with `leadpool init`"
            )
        }
        return header
    }

    /// Refuses a leadpool-marked file whose migration records are gone.
    private func verifyIdentity() throws {
        guard try read({ try $0.tableExists(Migrator.table) }) else {
            throw LeadPoolError.configuration(
                "\(path) is marked as a leadpool database but has no migration records",
                hint: "restore it from a `leadpool backup` copy"
            )
        }
    }

    // MARK: - Transactions

    /// Runs `body` in a read transaction (a consistent snapshot).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch { throw Store.translate(error, path: path) }
    }

    /// Runs `body` in one IMMEDIATE write transaction: all of it commits, or none.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        // Opened read-only, SQLite would refuse as if the file were not writable (77): a command
        // that said it only reads and writes is a bug.
        guard !pool.configuration.readonly else {
            throw LeadPoolError.bug("a command that only reads tried to write \(path)")
        }
        do { return try pool.write(body) } catch { throw Store.translate(error, path: path) }
    }

    // MARK: - Long writes

    /// How long one transaction of a long write (a round, a reclaim) may run: a `claim` that
    /// arrives meanwhile waits about this long.
    static let bulkBatchTime: TimeInterval = 0.25
    /// The pause between two transactions of a long write: a few polls of a waiting writer
    /// (``busyPollInterval``), so that it gets in.
    static let bulkBatchGap: useconds_t = 5_000
    /// The page cache during a long write, in KiB (SQLite's default is 2 MiB): a round or a
    /// reclaim touches pages all over the leads table and its indexes.
    static let bulkCacheKiB = 65_536
    /// The WAL size, in pages, after which a long write's commits checkpoint (SQLite's
    /// default is 1,000 pages, 4 MiB): each checkpoint writes back every page changed since
    /// the last one and syncs the file, and a long write's batches change the same index pages
    /// again and again, so checkpointing after every batch writes them out many times over.
    static let bulkAutocheckpointPages = 25_000

    /// Runs `body`, a long write made of many transactions, with a bigger page cache and
    /// less frequent checkpoints on the writer connection, then restores both and checkpoints
    /// (PASSIVE: it never waits for, nor blocks, other processes) what the run left in the WAL.
    func bulkWriting<T>(_ body: () throws -> T) throws -> T {
        let saved: (cache: Int, pages: Int)
        do {
            saved = try pool.writeWithoutTransaction { db in
                let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2_000
                let pages = try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 1_000
                try db.execute(
                    sql: "PRAGMA cache_size = -\(Store.bulkCacheKiB); PRAGMA wal_autocheckpoint = \(Store.bulkAutocheckpointPages)"
                )
                return (cache, pages)
            }
        } catch { throw Store.translate(error, path: path) }
        defer {
            try? pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA cache_size = \(saved.cache); PRAGMA wal_autocheckpoint = \(saved.pages)")
                try db.checkpoint(.passive)
            }
        }
        return try body()
    }

    /// Drops the named indexes inside the caller's transaction and returns the SQL that builds
    /// them again (their own, from the schema). For a write that changes most of a table, one
    /// sorted build costs far less than a million scattered updates of an index; if the
    /// transaction rolls back, the indexes come back with it.
    static func dropIndexes(_ db: Database, _ names: [String]) throws -> [String] {
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        let definitions = try String.fetchAll(
            db,
            sql: "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name IN (\(placeholders)) ORDER BY name",
            arguments: StatementArguments(names)
        )
        for name in names { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
        return definitions
    }

    /// The index rounds read the pool through (open leads without owner, best score first).
    static let poolIndex = "leads_pool"

    /// Runs `body` with the named indexes dropped, and builds them again after it.
    static func withoutIndexes(_ db: Database, _ names: [String], _ body: () throws -> Void) throws {
        let definitions = try dropIndexes(db, names)
        try body()
        for sql in definitions { try db.execute(sql: sql) }
    }

    /// Turns SQLite failures into errors a user can act on.
    static func translate(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return LeadPoolError.busy(
                "the database \(path) is busy: another leadpool process held it for more than \(Int(busyTimeout)) s",
                hint: "try again in a moment"
            )
        case .SQLITE_NOTADB:
            return LeadPoolError.configuration(
                "\(path) is not a SQLite database (the file is something else, or damaged)",
                hint: "point --db / LEADPOOL_DB at a leadpool database, or create one with `leadpool init`"
            )
        case .SQLITE_CORRUPT where walIsCutShort(path), .SQLITE_IOERR where walIsCutShort(path):
            return LeadPoolError.busy(
                "cannot read \(path): its -wal file is missing or shorter than another process holding the database expects",
                hint: "someone removed or truncated \(path)-wal; try again once the other leadpool processes have ended "
                    + "(their last changes may be lost), then run `leadpool check`"
            )
        case .SQLITE_CORRUPT:
            return LeadPoolError.configuration(
                "the database \(path) is damaged: \(error.message ?? "corrupt")",
                hint: "restore it from a `leadpool backup` copy"
            )
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return LeadPoolError.permission(
                "cannot write \(path): \(error.message ?? "read-only")",
                hint: "check the file's and its directory's permissions"
            )
        case .SQLITE_CANTOPEN:
            return LeadPoolError.configuration(
                "cannot open \(path): \(error.message ?? "unable to open")",
                hint: "check that the directory exists and is writable"
            )
        case .SQLITE_FULL:
            return LeadPoolError.busy("the disk holding \(path) is full", hint: "free some space and try again")
        case .SQLITE_IOERR:
            // A full disk often shows as an I/O error (the shared-memory file cannot grow), and
            // so does a -wal file removed while another process held it open: both pass.
            if diskIsFull(holding: path) {
                return LeadPoolError.busy("the disk holding \(path) is full", hint: "free some space and try again")
            }
            return LeadPoolError.busy(
                "cannot read or write \(path): \(error.message ?? "disk I/O error")",
                hint: "try again in a moment; if it lasts, check the disk and run `leadpool check`"
            )
        default:
            return LeadPoolError.bug("database error on \(path): \(error.description)")
        }
    }
}

/// Whether the file system holding `path` has (next to) no room left for an unprivileged
/// writer: less than 64 KiB, about what SQLite needs to grow its shared-memory and WAL files.
func diskIsFull(holding path: String) -> Bool {
    var info = statvfs()
    let directory = (path as NSString).deletingLastPathComponent
    guard statvfs(directory.isEmpty ? "." : directory, &info) == 0 else { return false }
    return UInt64(info.f_bavail) * UInt64(info.f_frsize) < 64 * 1024
}

/// Whether the database's -wal file holds fewer frames than its shared-memory index says, or
/// has no header: the -wal was removed or truncated while another process held the database. SQLite then reports
/// an I/O error or a malformed database, though the file itself is whole once that process ends.
///
/// The index header (the first bytes of `-shm`, in the host's byte order: little-endian
/// wherever leadpool runs) holds the page
/// size at offset 14 (u16, 1 for 65,536) and the last valid frame at offset 16 (u32); a frame
/// is a 24-byte header and a page, after the WAL's 32-byte header.
func walIsCutShort(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path + "-shm"),
        let header = try? handle.read(upToCount: 24), header.count == 24
    else { return false }
    try? handle.close()
    let bytes = [UInt8](header)
    let pageField = UInt16(bytes[14]) | UInt16(bytes[15]) << 8
    let lastFrame = UInt32(bytes[16]) | UInt32(bytes[17]) << 8 | UInt32(bytes[18]) << 16 | UInt32(bytes[19]) << 24
    let pageSize = pageField == 1 ? 65_536 : Int(pageField)
    guard lastFrame > 0, pageSize >= 512 else { return false }
    let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
    if walSize < 32 + Int(lastFrame) * (pageSize + 24) { return true }
    // A process that still trusts the index writes its frames after the missing ones, leaving
    // a hole where the WAL's header (magic 0x377f0682 or 0x377f0683, big-endian) should be.
    guard let wal = FileHandle(forReadingAtPath: path + "-wal"), let magic = try? wal.read(upToCount: 4) else { return true }
    try? wal.close()
    return [UInt8](magic) != [0x37, 0x7f, 0x06, 0x82] && [UInt8](magic) != [0x37, 0x7f, 0x06, 0x83]
}
