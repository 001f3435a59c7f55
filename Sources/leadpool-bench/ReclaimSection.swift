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
        let held = try bench.query(assigned).int("SELECT count(*) FROM leads WHERE owner IS NOT NULL")
        var seconds: [Double] = []
        var peak = 0
        var reclaimed = ""
        var counts: [Int64] = []
        for run in 1...bench.runs {
            let database = try bench.copy(assigned, to: "reclaim-\(run)")
            let child = try bench.leadpool(database, now: bench.reclaimNowISO, ["reclaim"])
            let count = try bench.query(database).int("SELECT count(*) FROM events WHERE kind = 'reclaimed'")
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
        let before = try bench.query(assigned).rows(
            """
            SELECT id, owner, claimed_at, last_activity_at FROM leads WHERE owner IS NOT NULL ORDER BY id
            """
        )
        let events = try bench.query(reclaimed).rows(
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
        let floors = try bench.floorRuns(copying: assigned, as: "reclaim-floor") { database in
            if let postgres = bench.postgres { return try postgresFloorRun(database, postgres, leads) }
            return try floorRun(database, leads)
        }
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

    /// One timed floor run on PostgreSQL: the store's conditional UPDATE and INSERT per lead,
    /// prepared once, lead-id order, one transaction, through psql; then no lead may be held
    /// (untimed).
    private func postgresFloorRun(_ database: String, _ postgres: PostgresTarget, _ leads: [Reclaimed]) throws -> Double {
        let actor = PostgresTarget.literal(bench.actor)
        var script = """
            BEGIN;
            PREPARE release(bigint, text, bigint, bigint) AS
                UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open', previous_owner = owner, released_at = \(bench.reclaimNow)
                WHERE id = $1 AND owner = $2 AND claimed_at = $3 AND last_activity_at IS NOT DISTINCT FROM $4 AND status IN ('open', 'qualified');
            PREPARE record(bigint, text, text, text) AS
                INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail, recorded_at, recorded_by)
                VALUES ($1, \(bench.reclaimNow), 'system', 'reclaimed', $2, NULL, NULL, NULL, $3, $4::json, \(Int64(Date().timeIntervalSince1970)), \(actor));

            """
        let literal = PostgresTarget.literal as (String?) -> String
        for lead in leads {
            let owner = literal(lead.owner)
            script += "EXECUTE release(\(lead.lead), \(owner), \(lead.claimedAt), \(PostgresTarget.literal(lead.lastActivityAt)));\n"
            script += "EXECUTE record(\(lead.lead), \(owner), \(literal(lead.reason)), \(literal(lead.detail)));\n"
        }
        script += "COMMIT;\n"
        let seconds = try postgres.time(script, as: "reclaim-floor", in: database)
        let held = try postgres.query(database).int("SELECT count(*) FROM leads WHERE owner IS NOT NULL")
        guard held == 0 else { throw BenchError("floor: \(held) leads still held") }
        return seconds
    }
}
