import Foundation

/// `leadpool assign`: one round over every pool lead of the scored database (the ruleset of
/// ``BenchRules`` in force) and 1,000 reps, next to the floor: owner + event per lead done
/// in bulk by hand — the store's conditional UPDATE of owner and claimed_at and the INSERT of
/// the `assigned` event, for exactly the (lead, rep, rule, reason) the round chose (read back
/// from the round's events on its measured copy), in lead-id order, in one transaction with
/// prepared statements, on a copy of the same scored database.
struct RoundSection {
    let bench: BenchContext
    /// The database `rules apply` produced.
    let scored: String

    /// One assignment as the round wrote it.
    private struct Assignment {
        var lead: Int64
        var rep: String
        var rule: String?
        var reason: String?
    }

    /// Measures and returns the figures with the database the first run produced (the
    /// round written), which reclaim and the report start from.
    func measure() throws -> (Measurement, assigned: String) {
        var seconds: [Double] = []
        var peak = 0
        var assigned = ""
        var counts: [Int64] = []
        var summary = ""
        for run in 1...bench.runs {
            let database = try bench.copy(scored, to: "round-\(run)")
            let child = try bench.leadpool(database, now: bench.nowISO, ["assign"])
            let row = try bench.query(database).rows(
                "SELECT considered, assigned, unrouted, no_capacity, skipped FROM rounds ORDER BY id DESC LIMIT 1"
            )
            guard let round = row.first, let count = round[1].int else { throw BenchError("no round written: \(child.stdout)") }
            counts.append(count)
            summary =
                "considered \(round[0].int ?? 0), assigned \(count), unrouted \(round[2].int ?? 0), no capacity \(round[3].int ?? 0), skipped \(round[4].int ?? 0)"
            bench.log("  round run \(run): \(String(format: "%.3f", child.seconds)) s, \(child.peakRSSBytes / 1_048_576) MiB, \(summary)")
            seconds.append(child.seconds)
            peak = max(peak, child.peakRSSBytes)
            if run == 1 { assigned = database } else { bench.remove(database) }
        }
        guard Set(counts).count == 1 else { throw BenchError("rounds on the same database assigned \(counts) leads") }

        let source = try bench.query(assigned)
        let roundID = try source.int("SELECT max(id) FROM rounds")
        let assignments = try source.rows(
            """
            SELECT lead_id, to_owner, rule, reason FROM events WHERE round_id = \(roundID) AND kind = 'assigned' ORDER BY lead_id
            """
        ).map { Assignment(lead: $0[0].int!, rep: $0[1].text!, rule: $0[2].text, reason: $0[3].text) }
        let floors = try bench.floorRuns(copying: scored, as: "round-floor") { database in
            if let postgres = bench.postgres { return try postgresFloorRun(database, postgres, assignments) }
            return try floorRun(database, assignments)
        }
        let measurement = Measurement(
            name: "assign (round)",
            size: bench.leads.count,
            units: Int(counts[0]),
            runSeconds: seconds,
            peakRSSBytes: peak,
            floorRunSeconds: floors,
            target: .init(text: "<= 1.5x, < 400 MB", maxRatio: 1.5, maxPeakBytes: 400_000_000),
            note: "\(summary); rows/s = leads assigned per second"
        )
        return (measurement, assigned)
    }

    /// One timed floor run: the same rows the round wrote, by hand, one transaction. The
    /// round's row is inserted first, untimed, for the events' foreign key.
    private func floorRun(_ path: String, _ assignments: [Assignment]) throws -> Double {
        let db = try RawSQLite(path: path)
        // The same connection settings as leadpool's round (Store.swift, Store+Rounds.swift).
        try db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536")
        try db.exec(
            """
            INSERT INTO rounds (started_at, clock, actor, status, considered) VALUES (\(bench.now), \(bench.now), '\(bench.actor)', 'incomplete', 0)
            """
        )
        let roundID = try db.int("SELECT max(id) FROM rounds")
        let started = DispatchTime.now()
        try db.exec("BEGIN IMMEDIATE")
        let update = try db.prepare("UPDATE leads SET owner = ?, claimed_at = ? WHERE id = ? AND owner IS NULL AND status = 'open'")
        let insert = try db.prepare(
            """
            INSERT INTO events (lead_id, at, actor, kind, to_owner, round_id, rule, reason, recorded_at, recorded_by)
            VALUES (?, ?, ?, 'assigned', ?, ?, ?, ?, ?, ?)
            """
        )
        insert.bind(8, Int64(Date().timeIntervalSince1970))
        insert.bind(9, bench.actor)
        for assignment in assignments {
            update.bind(1, assignment.rep)
            update.bind(2, bench.now)
            update.bind(3, assignment.lead)
            try update.execute()
            guard db.changes == 1 else { throw BenchError("floor: lead \(assignment.lead) was not in the pool") }
            insert.bind(1, assignment.lead)
            insert.bind(2, bench.now)
            insert.bind(3, bench.actor)
            insert.bind(4, assignment.rep)
            insert.bind(5, roundID)
            insert.bind(6, assignment.rule)
            insert.bind(7, assignment.reason)
            try insert.execute()
        }
        try db.exec("COMMIT")
        return seconds(since: started)
    }

    /// One timed floor run on PostgreSQL: the same conditional UPDATE and INSERT per lead as
    /// the store, prepared once (`PREPARE`/`EXECUTE`), in lead-id order, one transaction,
    /// through psql; then every lead must have been given (untimed).
    private func postgresFloorRun(_ database: String, _ postgres: PostgresTarget, _ assignments: [Assignment]) throws -> Double {
        let actor = PostgresTarget.literal(bench.actor)
        let roundID = try postgres.query(database).int(
            """
            INSERT INTO rounds (started_at, clock, actor, status, considered) VALUES (\(bench.now), \(bench.now), \(actor), 'incomplete', 0)
            RETURNING id
            """
        )
        var script = """
            BEGIN;
            PREPARE give(text, bigint) AS UPDATE leads SET owner = $1, claimed_at = \(bench.now) WHERE id = $2 AND owner IS NULL AND status = 'open';
            PREPARE record(bigint, text, text, text) AS
                INSERT INTO events (lead_id, at, actor, kind, to_owner, round_id, rule, reason, recorded_at, recorded_by)
                VALUES ($1, \(bench.now), \(actor), 'assigned', $2, \(roundID), $3, $4, \(Int64(Date().timeIntervalSince1970)), \(actor));

            """
        let literal = PostgresTarget.literal as (String?) -> String
        for assignment in assignments {
            script += "EXECUTE give(\(literal(assignment.rep)), \(assignment.lead));\n"
            script += "EXECUTE record(\(assignment.lead), \(literal(assignment.rep)), \(literal(assignment.rule)), \(literal(assignment.reason)));\n"
        }
        script += "COMMIT;\n"
        let seconds = try postgres.time(script, as: "round-floor", in: database)
        let given = try postgres.query(database).int("SELECT count(*) FROM events WHERE round_id = \(roundID)")
        guard given == assignments.count else { throw BenchError("floor: \(given) of \(assignments.count) leads given") }
        return seconds
    }
}
