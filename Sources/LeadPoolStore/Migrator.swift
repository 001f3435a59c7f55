import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

/// One versioned schema change, from `Migrations/NNNN_description.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let fileName: String
    public let sql: String
    public var checksum: String { SHA256.hex(sql) }

    /// Parses `NNNN_description.sql`; nil for any other name.
    init?(fileName: String, sql: String) {
        guard fileName.hasSuffix(".sql"),
            let underscore = fileName.firstIndex(of: "_"),
            let version = Int(fileName[..<underscore]), version > 0
        else { return nil }
        self.version = version
        self.fileName = fileName
        self.sql = sql
    }
}

/// A migration recorded in the database.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let fileName: String
    public let checksum: String
    public let appliedAt: Date
}

/// Where a database stands against the migrations this binary carries.
public struct MigrationStatus: Sendable {
    public let applied: [AppliedMigration]
    public let pending: [Migration]
}

/// Applies the migrations the binary carries, each in its own transaction, recorded with a checksum.
enum Migrator {
    static let table = "leadpool_migrations"

    /// The migrations compiled into this binary, in order, checked for gaps.
    static func known(_ embedded: [(fileName: String, sql: String)] = embeddedMigrations) throws -> [Migration] {
        var migrations: [Migration] = []
        for (fileName, sql) in embedded {
            guard let migration = Migration(fileName: fileName, sql: sql) else {
                throw LeadPoolError.bug("migration file \(fileName) is not named NNNN_description.sql")
            }
            migrations.append(migration)
        }
        migrations.sort { $0.version < $1.version }
        for (index, migration) in migrations.enumerated() where migration.version != index + 1 {
            throw LeadPoolError.bug(
                "the migrations this binary carries have a gap or a duplicate at \(migration.fileName) (expected version \(index + 1))"
            )
        }
        return migrations
    }

    static func createTable(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS \(table) (
                    version    INTEGER PRIMARY KEY,
                    file_name  TEXT NOT NULL,
                    checksum   TEXT NOT NULL,
                    applied_at INTEGER NOT NULL
                )
                """
        )
    }

    static func applied(_ db: Database) throws -> [AppliedMigration] {
        guard try db.tableExists(table) else { return [] }
        return try Row.fetchAll(db, sql: "SELECT version, file_name, checksum, applied_at FROM \(table) ORDER BY version")
            .map {
                AppliedMigration(
                    version: $0["version"],
                    fileName: $0["file_name"],
                    checksum: $0["checksum"],
                    appliedAt: Date(storedSeconds: $0["applied_at"])
                )
            }
    }

    /// Compares what the database recorded with what the binary carries.
    /// Refuses (exit 78) a newer database, an edited applied migration, or a gap.
    static func status(applied: [AppliedMigration], known: [Migration], path: String) throws -> MigrationStatus {
        let newest = known.last?.version ?? 0
        for (index, record) in applied.enumerated() {
            if record.version > newest {
                throw LeadPoolError.configuration(
                    "the database \(path) is at schema version \(applied.last!.version) (\(applied.last!.fileName)), newer than this leadpool binary, which knows versions up to \(newest)",
                    hint: "upgrade leadpool to a release that carries that migration; do not run an older binary on this database"
                )
            }
            if record.version != index + 1 {
                throw LeadPoolError.configuration(
                    "the database \(path) has a gap in its applied migrations: version \(index + 1) is missing before \(record.fileName)",
                    hint: "restore the database from a backup taken before the failed upgrade"
                )
            }
            let migration = known[record.version - 1]
            if migration.checksum != record.checksum {
                throw LeadPoolError.configuration(
                    "migration \(migration.fileName) was changed after it was applied to \(path) (checksum \(record.checksum.prefix(12)) recorded, \(migration.checksum.prefix(12)) now)",
                    hint: "never edit a shipped migration: restore the original file and put the change in a new Migrations/NNNN_description.sql"
                )
            }
        }
        return MigrationStatus(applied: applied, pending: Array(known.dropFirst(applied.count)))
    }
}

// MARK: - Data a new constraint refuses

extension Migrator {
    /// Refuses a migration whose new constraints the data breaks, naming the rows, before it
    /// runs: SQLite's own failure would name an index, and exit 70 as if it were a bug.
    static func refuseConflicts(before migration: Migration, _ db: Database, path: String) throws {
        // (a handle to rename, why)
        var conflicts: [(handle: String, reason: String)] = []
        if migration.version == 4 {
            conflicts += try Row.fetchAll(
                db,
                sql: """
                    SELECT a.handle, b.handle FROM reps a JOIN reps b ON a.handle < b.handle AND a.handle = b.handle COLLATE NOCASE
                    ORDER BY a.handle, b.handle
                    """
            ).map { ($0[1], "'\($0[0] as String)' and '\($0[1] as String)' differ only by case") }
            conflicts += try String.fetchAll(db, sql: "SELECT handle FROM reps WHERE handle = 'system' COLLATE NOCASE")
                .map { ($0, "'\($0)' is reserved for reclaims") }
        }
        guard let first = conflicts.first else { return }
        throw LeadPoolError.configuration(
            "cannot apply \(migration.fileName) to \(path): rep handles must be unique regardless of case and not 'system'; "
                + conflicts.map(\.reason).joined(separator: "; "),
            hint: """
                rename each such rep, e.g. sqlite3 \(path) "PRAGMA foreign_keys = ON; UPDATE reps SET handle = '\(first.handle)2' \
                WHERE handle = '\(first.handle)'" (its leads and territories follow; past events keep the old name), \
                then run `leadpool --db \(path) migrate` again
                """
        )
    }
}

// MARK: - Store API

extension Store {
    /// Applied and pending migrations; throws when the database is newer, edited or gapped.
    public func migrationStatus() throws -> MigrationStatus {
        let applied = try read { try Migrator.applied($0) }
        return try Migrator.status(applied: applied, known: try Migrator.known(), path: path)
    }

    /// Applies every pending migration, each in its own transaction. Returns the ones applied.
    ///
    /// Foreign keys are off while a migration runs, as SQLite's procedure for rebuilding a
    /// table requires (dropping a parent table would otherwise delete or refuse its children),
    /// and `PRAGMA foreign_key_check` must come back empty before the migration commits.
    @discardableResult
    public func migrate(at now: Date = Date()) throws -> [Migration] {
        let known = try Migrator.known()
        var done: [Migration] = []
        while true {
            // Re-read inside each transaction so two concurrent `migrate` runs apply each migration once.
            let next: Migration?
            do {
                next = try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA foreign_keys = OFF")
                    defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                    var applied: Migration?
                    try db.inTransaction(.immediate) {
                        try Migrator.createTable(db)
                        let status = try Migrator.status(applied: try Migrator.applied(db), known: known, path: path)
                        guard let migration = status.pending.first else { return .commit }
                        try Migrator.refuseConflicts(before: migration, db, path: path)
                        try db.execute(sql: migration.sql)
                        if let broken = try Row.fetchOne(db, sql: "PRAGMA foreign_key_check") {
                            throw LeadPoolError.bug(
                                "migration \(migration.fileName) leaves a broken reference in \(broken[0] as String? ?? "?") (row \(broken[1] as Int64? ?? 0))"
                            )
                        }
                        try db.execute(
                            sql: "INSERT INTO \(Migrator.table) (version, file_name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                            arguments: [migration.version, migration.fileName, migration.checksum, now.storedSeconds]
                        )
                        applied = migration
                        return .commit
                    }
                    return applied
                }
            } catch {
                throw Store.translate(error, path: path)
            }
            guard let next else { return done }
            done.append(next)
        }
    }
}
