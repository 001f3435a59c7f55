import Foundation
import LeadPoolCore

/// One versioned schema change, from `Migrations/NNNN_description.sql` (or its PostgreSQL twin
/// in `Migrations/postgresql/`).
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let fileName: String
    public let sql: String
    public var checksum: String { SHA256.hex(sql) }

    /// Parses `NNNN_description.sql`; nil for any other name.
    package init?(fileName: String, sql: String) {
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

    package init(version: Int, fileName: String, checksum: String, appliedAt: Date) {
        self.version = version
        self.fileName = fileName
        self.checksum = checksum
        self.appliedAt = appliedAt
    }
}

/// Where a database stands against the migrations this binary carries.
public struct MigrationStatus: Sendable {
    public let applied: [AppliedMigration]
    public let pending: [Migration]
}

/// The rules every backend's migrator follows, whatever its database: the binary's migrations
/// are numbered without gaps, and a database that recorded a version this binary does not
/// know, an edited migration, or a gap is refused (exit 78).
package enum MigrationRules {
    /// The migrations a binary carries (`embedded`), in order, checked for gaps.
    package static func known(_ embedded: [(fileName: String, sql: String)]) throws -> [Migration] {
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

    /// Compares what the database at `path` recorded with what the binary carries.
    /// Refuses (exit 78) a newer database, an edited applied migration, or a gap.
    package static func status(applied: [AppliedMigration], known: [Migration], path: String) throws -> MigrationStatus {
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

    /// What to tell a user whose database has pending migrations (exit 78).
    package static func pendingError(_ status: MigrationStatus, database: String) -> LeadPoolError {
        LeadPoolError.configuration(
            "the database \(database) needs \(status.pending.count) migration(s): \(status.pending.map(\.fileName).joined(separator: ", "))",
            hint: "run `leadpool --db \(database) migrate` first"
        )
    }
}

/// A backend whose schema `migrate` upgrades and `migrate --status` lists.
public protocol MigratingStorage: Sendable {
    /// Where the data lives, for messages.
    var path: String { get }
    /// Applied and pending migrations; throws when the database is newer, edited or gapped.
    func migrationStatus() throws -> MigrationStatus
    /// Applies every pending migration, each in its own transaction; returns the ones applied.
    /// `now` is the wall clock recorded with each.
    @discardableResult func migrate(at now: Date) throws -> [Migration]
}
