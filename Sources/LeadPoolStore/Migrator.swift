import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

/// Applies the migrations the binary carries, each in its own transaction, recorded with a checksum.
enum Migrator {
    static let table = "leadpool_migrations"

    /// The migrations compiled into this binary, in order, checked for gaps.
    static func known(_ embedded: [(fileName: String, sql: String)] = embeddedMigrations) throws -> [Migration] {
        try MigrationRules.known(embedded)
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

extension Store: MigratingStorage {
    /// Applied and pending migrations; throws when the database is newer, edited or gapped.
    public func migrationStatus() throws -> MigrationStatus {
        let applied = try read { try Migrator.applied($0) }
        return try MigrationRules.status(applied: applied, known: try Migrator.known(), path: path)
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
                        let status = try MigrationRules.status(applied: try Migrator.applied(db), known: known, path: path)
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
