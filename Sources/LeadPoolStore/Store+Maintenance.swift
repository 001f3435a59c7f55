import Foundation
import GRDB
import LeadPoolCore

/// One invariant `check` verified: its name, and what breaks it (empty when it holds).
public struct CheckResult: Sendable, Equatable {
    public let name: String
    public let problems: [String]
    public var passed: Bool { problems.isEmpty }
}

extension Store {
    /// Ownership-changing event kinds; the latest one's `to_owner` must be the lead's owner.
    static let ownershipKinds = "('assigned', 'claimed', 'released', 'transferred', 'reclaimed')"

    /// Runs SQLite's integrity checks and leadpool's invariants, each reported on its own.
    /// Problems are capped per check so a badly broken database still prints quickly.
    public func check(limit: Int = 20) throws -> [CheckResult] {
        try read { db in
            var results: [CheckResult] = []
            func run(_ name: String, _ sql: String, _ describe: (Row) -> String) throws {
                let cursor = try Row.fetchCursor(db, sql: sql)
                var problems: [String] = []
                while problems.count < limit, let row = try cursor.next() { problems.append(describe(row)) }
                results.append(CheckResult(name: name, problems: problems))
            }
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check(\(limit))")
            results.append(CheckResult(name: "SQLite integrity", problems: integrity == ["ok"] ? [] : integrity))
            try run("foreign keys", "PRAGMA foreign_key_check") { row in
                "\(row[0] as String? ?? "?") row \(row[1] as Int64? ?? 0) points at a missing \(row[2] as String? ?? "?")"
            }
            let status = try Migrator.status(applied: try Migrator.applied(db), known: try Migrator.known(), path: path)
            results.append(CheckResult(
                name: "migrations applied and unchanged",
                problems: status.pending.map { "\($0.fileName) is pending" }))
            try run(
                "pool leads have no owner, owned leads a claim time",
                "SELECT id FROM leads WHERE (owner IS NULL) != (claimed_at IS NULL)"
            ) { "lead \($0["id"] as Int64)" }
            try run(
                "each owner matches the lead's last ownership event",
                """
                SELECT l.id, l.owner, e.to_owner FROM leads l
                LEFT JOIN events e ON e.id = (
                    SELECT max(id) FROM events WHERE lead_id = l.id AND kind IN \(Store.ownershipKinds))
                WHERE l.owner IS NOT e.to_owner
                """
            ) { row in
                "lead \(row["id"] as Int64): owner \(row["owner"] as String? ?? "none"), last ownership event gives \(row["to_owner"] as String? ?? "none")"
            }
            try run(
                "events are append-only",
                """
                SELECT name FROM (SELECT 'events_append_only_update' AS name UNION ALL SELECT 'events_append_only_delete')
                WHERE name NOT IN (SELECT name FROM sqlite_master WHERE type = 'trigger')
                """
            ) { "trigger \($0["name"] as String) is missing" }
            return results
        }
    }

    /// Writes a consistent copy of the database to `destination` while other processes keep working.
    /// The copy is written beside the destination and renamed into place, so it is whole or absent.
    public func backup(to destination: String) throws {
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let target = try DatabaseQueue(path: partial)
            try pool.backup(to: target)
            try target.writeWithoutTransaction { db in
                // A standalone copy: fold the WAL back so the single file is complete.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try target.close()
            if FileManager.default.fileExists(atPath: destination) {
                _ = try FileManager.default.replaceItemAt(
                    URL(fileURLWithPath: destination), withItemAt: URL(fileURLWithPath: partial))
            } else {
                try FileManager.default.moveItem(atPath: partial, toPath: destination)
            }
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
            if let error = error as? DatabaseError { throw Store.translate(error, path: destination) }
            throw error
        }
    }
}
