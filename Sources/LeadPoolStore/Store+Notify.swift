import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

extension Store {
    /// How far back a digest looks for leads given to a rep and escalations that took one from
    /// them: a first `notify` on a database in use mails the last week, not every lead ever given.
    static let digestLookback: TimeInterval = 7 * 86_400

    public func digests(_ ruleset: Ruleset, at now: Date) throws -> [Digest] {
        // Reclaim warnings and first-touch standings are decided by their own readers.
        let warnings = try reclaimWarnings(ruleset, at: now)
        let standings = try firstTouchStandings(ruleset, at: now, pools: nil, owner: nil).filter(\.isAnnounced)
        return try read { db in
            let reps = try Row.fetchAll(db, sql: Rep.selection + " WHERE active = 1 ORDER BY handle").map(Rep.init(row:))
            var items: [String: [DigestItem]] = [:]
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
                arguments: [now.addingTimeInterval(-Store.digestLookback).storedSeconds]
            )
            while let row = try given.next() {
                let kind = try EventKind(column: row["kind"])
                let reason: String? = row["reason"]
                let how: String
                switch kind {
                case .transferred: how = "transferred by \(row["actor"] as String)" + (reason.map { ": \($0)" } ?? "")
                case .escalated: how = "from \(row["from_owner"] as String? ?? "the pool"): " + (reason ?? "escalated")
                default: how = "assigned" + (reason.map { " (\($0))" } ?? "")
                }
                let owner: String = row["owner"]
                items[owner, default: []].append(
                    DigestItem(
                        kind: .given,
                        key: "given:\(row["event"] as Int64)",
                        leadID: row["id"],
                        company: row["company"],
                        at: Date(storedSeconds: row["at"]),
                        detail: how
                    )
                )
            }
            for standing in standings {
                guard let deadline = standing.deadline else { continue }
                let given = standing.givenAt.storedSeconds
                let missed = standing.isMissed
                items[standing.owner, default: []].append(
                    DigestItem(
                        kind: missed ? .firstTouchMissed : .firstTouchClose,
                        key: "first-touch-\(missed ? "missed" : "close"):\(standing.id):\(given)",
                        leadID: standing.id,
                        company: standing.company,
                        at: deadline,
                        detail: missed
                            ? "no first touch by the deadline: the next reclaim escalates it (\(ruleset.firstTouch?.then.rawValue ?? "keep"))"
                            : "touch it before the deadline (first touch within \(ruleset.firstTouch?.within.description ?? "?") of working hours)"
                    )
                )
            }
            let taken = try Row.fetchCursor(
                db,
                sql: """
                    SELECT e.id AS event, e.at, e.from_owner, e.reason, leads.id, leads.company FROM events e
                    JOIN leads ON leads.id = e.lead_id
                    WHERE e.kind IN \(EventKind.firstTouchEscalations.sql) AND e.from_owner IS NOT NULL AND e.at >= ?
                    ORDER BY e.at, e.id
                    """,
                arguments: [now.addingTimeInterval(-Store.digestLookback).storedSeconds]
            )
            while let row = try taken.next() {
                items[row["from_owner"], default: []].append(
                    DigestItem(
                        kind: .escalated,
                        key: "escalated:\(row["event"] as Int64)",
                        leadID: row["id"],
                        company: row["company"],
                        at: Date(storedSeconds: row["at"]),
                        detail: row["reason"] ?? "escalated"
                    )
                )
            }
            for warning in warnings {
                let clock = reps.first { $0.handle == warning.owner }.map { ruleset.clock(of: $0) } ?? ruleset.clock
                items[warning.owner, default: []].append(
                    DigestItem(
                        kind: .reclaimSoon,
                        key: "reclaim:\(warning.id):\(clock.date(warning.at))",
                        leadID: warning.id,
                        company: warning.company,
                        at: warning.at,
                        detail: warning.verdict.reason
                    )
                )
            }
            return try reps.compactMap { rep in
                guard let all = items[rep.handle] else { return nil }
                let sent = Set(try String.fetchAll(db, sql: "SELECT item FROM notices WHERE rep = ?", arguments: [rep.handle]))
                let fresh = all.filter { !sent.contains($0.key) }
                return fresh.isEmpty ? nil : Digest(rep: rep, items: fresh)
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
