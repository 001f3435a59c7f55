import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

// MARK: - LeadStorage: notify

extension PostgresStore {
    /// One `notify` at a time per schema (``whileHoldingRunLock(_:_:)``): a second refuses (75).
    public func whileNotifying<T>(_ body: () throws -> T) throws -> T {
        try whileHoldingRunLock("notify", body)
    }

    public func digests(_ ruleset: Ruleset, at now: Date) throws -> [Digest] {
        // Reclaim warnings and first-touch standings are decided by their own readers.
        let warnings = try reclaimWarnings(ruleset, at: now, pools: nil)
        let standings = try firstTouchStandings(ruleset, at: now, pools: nil, owner: nil)
        return try transaction(readOnly: true) { sql in
            let reps = try sql.rows(PostgresQuery(unsafeSQL: Rep.postgresSelection + " WHERE active ORDER BY handle"))
                .map(Rep.init(postgres:))
            let since = now.addingTimeInterval(-DigestItems.lookback).storedSeconds
            var items = DigestItems(ruleset: ruleset)
            for row in try sql.rows(
                """
                SELECT e.id AS event, e.at, e.kind, e.actor, e.from_owner, e.reason, leads.id, leads.company, leads.owner
                FROM leads JOIN events e ON e.id = (
                    SELECT max(id) FROM events WHERE events.lead_id = leads.id AND events.kind = ANY(\(EventKind.ownershipChanges.map(\.rawValue))))
                WHERE leads.owner IS NOT NULL AND leads.status IN ('open', 'qualified')
                  AND e.kind = ANY(\(EventKind.givings.map(\.rawValue))) AND e.to_owner = leads.owner AND e.at >= \(since)
                ORDER BY e.at, e.id
                """
            ) {
                items.given(
                    eventID: try row["event"],
                    kind: try EventKind(column: try row["kind"]),
                    actor: try row["actor"],
                    fromOwner: try row["from_owner"],
                    reason: try row["reason"],
                    leadID: try row["id"],
                    company: try row["company"],
                    owner: try row["owner"],
                    at: Date(storedSeconds: try row["at"])
                )
            }
            items.firstTouches(standings)
            for row in try sql.rows(
                """
                SELECT e.id AS event, e.at, e.from_owner, e.reason, leads.id, leads.company FROM events e
                JOIN leads ON leads.id = e.lead_id
                WHERE e.kind = ANY(\(EventKind.firstTouchEscalations.map(\.rawValue))) AND e.from_owner IS NOT NULL AND e.at >= \(since)
                ORDER BY e.at, e.id
                """
            ) {
                items.escalated(
                    eventID: try row["event"],
                    fromOwner: try row["from_owner"],
                    reason: try row["reason"],
                    leadID: try row["id"],
                    company: try row["company"],
                    at: Date(storedSeconds: try row["at"])
                )
            }
            items.reclaimWarnings(warnings, reps: reps)
            return try items.digests(for: reps) { rep in
                Set(try sql.values("SELECT item FROM notices WHERE rep = \(rep.handle)", as: String.self))
            }
        }
    }

    /// Records the digest items sendmail accepted for `handle`, so the next `notify` leaves
    /// them out; an item recorded already stays as it was.
    public func recordNotified(_ handle: String, keys: [String], at now: Date) throws {
        try transaction { sql in
            try sql.execute(
                """
                INSERT INTO notices (rep, item, sent_at) SELECT \(handle), item, \(now.storedSeconds) FROM unnest(\(keys)) AS item
                ON CONFLICT DO NOTHING
                """
            )
        }
    }
}
