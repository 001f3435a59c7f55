import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

/// The PostgreSQL twins of the SQLite migrations (`Migrations/postgresql/NNNN_*.sql`), under
/// the same rules (``MigrationRules``): applied in order, each in its own transaction,
/// recorded with a checksum; an edited applied migration, a gap or a newer schema is refused.
enum PostgresMigrator {
    static func known() throws -> [Migration] { try MigrationRules.known(embeddedPostgresMigrations) }

    static func createTable(_ sql: PostgresSQL) throws {
        try sql.execute(
            """
            CREATE TABLE IF NOT EXISTS leadpool_migrations (
                version    INTEGER PRIMARY KEY,
                file_name  TEXT NOT NULL,
                checksum   TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """
        )
    }

    static func applied(_ sql: PostgresSQL) throws -> [AppliedMigration] {
        guard try sql.value("SELECT to_regclass('leadpool_migrations') IS NOT NULL", as: Bool.self) == true else { return [] }
        return try sql.rows("SELECT version, file_name, checksum, applied_at FROM leadpool_migrations ORDER BY version").map {
            AppliedMigration(
                version: try $0["version"],
                fileName: try $0["file_name"],
                checksum: try $0["checksum"],
                appliedAt: Date(storedSeconds: try $0["applied_at"])
            )
        }
    }
}

extension PostgresStore: MigratingStorage {
    /// Applied and pending migrations; throws when the schema is newer, edited or gapped.
    public func migrationStatus() throws -> MigrationStatus {
        try transaction(readOnly: true) { sql in
            try MigrationRules.status(applied: try PostgresMigrator.applied(sql), known: try PostgresMigrator.known(), path: path)
        }
    }

    /// Applies every pending migration, each in its own transaction. Returns the ones applied.
    ///
    /// A migration file holds several statements, which PostgreSQL's extended protocol sends
    /// one at a time: its text is bound as a value to a transaction-local setting and run by
    /// one PL/pgSQL `EXECUTE`, so it is never spliced into a statement.
    @discardableResult
    public func migrate(at now: Date = Date()) throws -> [Migration] {
        let known = try PostgresMigrator.known()
        var done: [Migration] = []
        while true {
            let next: Migration? = try transaction { sql in
                // Two `migrate` runs at once apply each migration once: the second waits here.
                try sql.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.leadpool_migrations'))")
                try PostgresMigrator.createTable(sql)
                let status = try MigrationRules.status(applied: try PostgresMigrator.applied(sql), known: known, path: path)
                guard let migration = status.pending.first else { return nil }
                try sql.execute("SELECT set_config('leadpool.migration', \(migration.sql), true)")
                try sql.execute("DO $leadpool$ BEGIN EXECUTE current_setting('leadpool.migration'); END $leadpool$")
                try sql.execute(
                    """
                    INSERT INTO leadpool_migrations (version, file_name, checksum, applied_at)
                    VALUES (\(migration.version), \(migration.fileName), \(migration.checksum), \(now.storedSeconds))
                    """
                )
                return migration
            }
            guard let next else {
                if done.contains(where: { $0.version == Self.databaseRightsVersion }) { try fillDatabaseRights() }
                return done
            }
            done.append(next)
        }
    }

    /// The migration that has PostgreSQL enforce who reads and writes what (its SQL can't
    /// classify attribute names or read a rules file: leadpool does, right after it).
    static let databaseRightsVersion = 9

    /// Fills what migration 0009 leaves to leadpool for the data before it: each lead's
    /// attributes that are no contact data (`open_attrs`), and the pool admins and `hidden:`
    /// lists of the ruleset in force. One transaction.
    private func fillDatabaseRights() throws {
        try transaction { sql in
            if let current = try sql.currentRuleset() { try sql.writeRights(of: current.ruleset, version: current.version) }
            var after: Int64 = 0
            while true {
                let page = try sql.rows(
                    """
                    SELECT id, attrs::text FROM leads WHERE id > \(after) AND attrs IS NOT NULL AND open_attrs IS NULL
                    ORDER BY id LIMIT \(PostgresSQL.rescorePage)
                    """
                )
                guard let last = page.last else { return }
                after = try last["id"]
                let ids = try page.map { try $0["id", as: Int64.self] }
                let open = try page.map { row in
                    Lead.openAttributesJSON(of: try row["attrs", as: String?.self].flatMap(JSONText.values(ofObject:)) ?? [:]) ?? "{}"
                }
                try sql.execute("UPDATE leads SET open_attrs = u.open::json FROM unnest(\(ids), \(open)) AS u(id, open) WHERE leads.id = u.id")
            }
        }
    }
}
