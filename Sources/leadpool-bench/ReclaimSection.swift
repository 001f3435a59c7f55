import Foundation

/// `leadpool reclaim` a year after the round, when every lead it gave is past max-hold-days,
/// next to the floor: the store's conditional UPDATE (owner and claim cleared, previous owner
/// and release time set) and the INSERT of the `reclaimed` event per lead, with the reasons
/// and details reclaim wrote (read back from its measured copy), in lead-id order, by hand in
/// one transaction on a copy of the same database.
struct ReclaimSection {
    let bench: BenchContext
    /// The database the round produced.
    let assigned: String

    /// One lead taken back, with what the conditional UPDATE compares.
    private struct Reclaimed {
        var lead: Int64
        var owner: String
        var claimedAt: Int64
        var lastActivityAt: Int64?
        var reason: String?
        var detail: String?
    }

    /// Measures and returns the figures with the database the first run produced (every
    /// lead back in the pool, the previous owners in cooldown), where the claims run.
    func measure() throws -> (Measurement, reclaimed: String) {
        let held = try RawSQLite(path: assigned).int("SELECT count(*) FROM leads WHERE owner IS NOT NULL")
        var seconds: [Double] = []
        var peak = 0
        var reclaimed = ""
        var counts: [Int64] = []
        for run in 1...bench.runs {
            let database = try bench.copy(assigned, to: "reclaim-\(run)")
            let child = try bench.leadpool(database, now: bench.reclaimNowISO, ["reclaim"])
            let count = try RawSQLite(path: database).int("SELECT count(*) FROM events WHERE kind = 'reclaimed'")
            counts.append(count)
            bench.log(
                "  reclaim run \(run): \(String(format: "%.3f", child.seconds)) s, \(child.peakRSSBytes / 1_048_576) MiB, \(count) reclaimed: \(child.stdout.trimmingCharacters(in: .whitespacesAndNewlines))"
            )
            seconds.append(child.seconds)
            peak = max(peak, child.peakRSSBytes)
            if run == 1 { reclaimed = database } else { bench.remove(database) }
        }
        guard Set(counts).count == 1, counts[0] == held else {
            throw BenchError("reclaim took back \(counts) leads of the \(held) held")
        }

        // What each lead looked like before (from the round's database) and the event written.
        let before = try RawSQLite(path: assigned).rows(
            """
            SELECT id, owner, claimed_at, last_activity_at FROM leads WHERE owner IS NOT NULL ORDER BY id
            """
        )
        let events = try RawSQLite(path: reclaimed).rows(
            """
            SELECT lead_id, reason, detail FROM events WHERE kind = 'reclaimed' ORDER BY lead_id
            """
        )
        guard before.count == events.count else { throw BenchError("reclaim events do not match the held leads") }
        let leads = zip(before, events).map { lead, event in
            Reclaimed(
                lead: lead[0].int!,
                owner: lead[1].text!,
                claimedAt: lead[2].int!,
                lastActivityAt: lead[3].int,
                reason: event[1].text,
                detail: event[2].text
            )
        }
        let floors = try bench.floorRuns(copying: assigned, as: "reclaim-floor") { try floorRun($0, leads) }
        let measurement = Measurement(
            name: "reclaim",
            size: bench.leads.count,
            units: Int(counts[0]),
            runSeconds: seconds,
            peakRSSBytes: peak,
            floorRunSeconds: floors,
            target: .init(text: "<= 1.5x", maxRatio: 1.5),
            note: "\(counts[0]) held leads reclaimed at --now \(bench.reclaimNowISO); rows/s = leads reclaimed per second"
        )
        return (measurement, reclaimed)
    }

    /// One timed floor run: the same rows reclaim wrote, by hand, one transaction.
    private func floorRun(_ path: String, _ leads: [Reclaimed]) throws -> Double {
        let db = try RawSQLite(path: path)
        // The same connection settings as leadpool (Store.swift): WAL, NORMAL, foreign keys.
        try db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        let started = DispatchTime.now()
        try db.exec("BEGIN IMMEDIATE")
        let update = try db.prepare(
            """
            UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open', previous_owner = owner, released_at = ?
            WHERE id = ? AND owner = ? AND claimed_at = ? AND last_activity_at IS ? AND status IN ('open', 'qualified')
            """
        )
        let insert = try db.prepare(
            """
            INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail, recorded_at, recorded_by)
            VALUES (?, ?, 'system', 'reclaimed', ?, NULL, NULL, NULL, ?, ?, ?, ?)
            """
        )
        insert.bind(6, Int64(Date().timeIntervalSince1970))
        insert.bind(7, bench.actor)
        for lead in leads {
            update.bind(1, bench.reclaimNow)
            update.bind(2, lead.lead)
            update.bind(3, lead.owner)
            update.bind(4, lead.claimedAt)
            update.bind(5, lead.lastActivityAt)
            try update.execute()
            guard db.changes == 1 else { throw BenchError("floor: lead \(lead.lead) was not held") }
            insert.bind(1, lead.lead)
            insert.bind(2, bench.reclaimNow)
            insert.bind(3, lead.owner)
            insert.bind(4, lead.reason)
            insert.bind(5, lead.detail)
            try insert.execute()
        }
        try db.exec("COMMIT")
        return seconds(since: started)
    }
}
