import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

extension Store {
    public func digests(_ ruleset: Ruleset, at now: Date) throws -> [Digest] {
        // Reclaim warnings and first-touch standings are decided by their own readers.
        let warnings = try reclaimWarnings(ruleset, at: now)
        let standings = try firstTouchStandings(ruleset, at: now, pools: nil, owner: nil)
        return try read { db in
            let reps = try Row.fetchAll(db, sql: Rep.selection + " WHERE active = 1 ORDER BY handle").map(Rep.init(row:))
            let since = now.addingTimeInterval(-DigestItems.lookback).storedSeconds
            var items = DigestItems(ruleset: ruleset)
            let given = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.id AS event, e.at, e.kind, e.actor, e.from_owner, e.reason, leads.id, leads.company, leads.owner
                    FROM leads JOIN events e ON e.id = (
                        SELECT max(id) FROM events WHERE events.lead_id = leads.id AND events.kind IN \(EventKind.ownershipChanges.sql))
                    WHERE leads.owner IS NOT NULL AND leads.status IN ('open', 'qualified')
                      AND e.kind IN \(EventKind.givings.sql) AND e.to_owner = leads.owner AND e.at >= ?
                    ORDER BY e.at, e.id
                    """,
                arguments: [since]
            )
            while let row = try given.next() {
                items.given(
                    eventID: row["event"],
                    kind: try EventKind(column: row["kind"]),
                    actor: row["actor"],
                    fromOwner: row["from_owner"],
                    reason: row["reason"],
                    leadID: row["id"],
                    company: row["company"],
                    owner: row["owner"],
                    at: Date(storedSeconds: row["at"])
                )
            }
            items.firstTouches(standings)
            let taken = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.id AS event, e.at, e.from_owner, e.reason, leads.id, leads.company FROM events e
                    JOIN leads ON leads.id = e.lead_id
                    WHERE e.kind IN \(EventKind.firstTouchEscalations.sql) AND e.from_owner IS NOT NULL AND e.at >= ?
                    ORDER BY e.at, e.id
                    """,
                arguments: [since]
            )
            while let row = try taken.next() {
                items.escalated(
                    eventID: row["event"],
                    fromOwner: row["from_owner"],
                    reason: row["reason"],
                    leadID: row["id"],
                    company: row["company"],
                    at: Date(storedSeconds: row["at"])
                )
            }
            items.reclaimWarnings(warnings, reps: reps)
            return try items.digests(for: reps) { rep in
                Set(try String.fetchAll(db, sql: "SELECT item FROM notices WHERE rep = ?", arguments: [rep.handle]))
            }
        }
    }

    public func recordNotified(_ handle: String, keys: [String], at now: Date) throws {
        try write { db in
            let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO notices (rep, item, sent_at) VALUES (?, ?, ?)")
            for key in keys { try statement.execute(arguments: [handle, key, now.storedSeconds]) }
        }
    }
}
