import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

extension Store {
    /// Runs SQLite's integrity checks and leadpool's invariants, each reported on its own.
    /// Problems (and notes) are capped at `limit` per check so a badly broken database still
    /// prints quickly; every check is one or two set-based passes, seconds at a million leads.
    ///
    /// The invariants, as SPEC's "Semantics that must hold" states them:
    /// - one owner at most: structural (`leads.owner` is one column);
    /// - pool leads have no claim time and owned leads one, and each owner is a known rep;
    /// - each owner is the `to_owner` of the lead's last ownership event (every ownership change
    ///   writes one);
    /// - every lead is in a pool of the rules file (`main` always exists; see ``poolsCheck``);
    /// - nobody is above capacity because of a round or a claim (see ``capacityCheck``);
    /// - nobody is above a pool's claim limits through claims (see ``poolLimitsCheck``);
    /// - nobody claimed more in a day (their local day) than their daily limit (see ``dailyLimitCheck``);
    /// - no event is dated after the wall clock it was written at, unless an admin wrote it
    ///   (see ``clockCheck``);
    /// - scores and tiers match the current ruleset (see ``scoreCheck``);
    /// - rounds left incomplete by a killed `assign` are notes: run `assign` again.
    public func check(limit: Int = 20) throws -> [CheckResult] {
        try read { db in
            var results: [CheckResult] = []
            func run(_ name: String, _ sql: String, arguments: StatementArguments = [], _ describe: (Row) -> String) throws {
                results.append(
                    CheckResult(
                        name: name,
                        problems: try Store.firstRows(db, sql, arguments: arguments, limit: limit).map(describe)
                    )
                )
            }
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check(\(limit))")
            results.append(CheckResult(name: "SQLite integrity", problems: integrity == ["ok"] ? [] : integrity))
            try run("foreign keys", "PRAGMA foreign_key_check") { row in
                "\(row[0] as String? ?? "?") row \(row[1] as Int64? ?? 0) points at a missing \(row[2] as String? ?? "?")"
            }
            let status = try MigrationRules.status(applied: try Migrator.applied(db), known: try Migrator.known(), path: path)
            results.append(
                CheckResult(
                    name: "migrations applied and unchanged",
                    problems: status.pending.map { "\($0.fileName) is pending" }
                )
            )
            // Structural: one owner column per lead. Stated so the list covers every invariant.
            results.append(CheckResult(name: "each lead has one owner at most (one owner column)", problems: []))
            try run(
                "pool leads have no owner, owned leads a claim time",
                "SELECT id FROM leads WHERE (owner IS NULL) != (claimed_at IS NULL)"
            ) { "lead \($0["id"] as Int64)" }
            try run(
                "each owner is a known rep",
                "SELECT id, owner FROM leads WHERE owner IS NOT NULL AND owner NOT IN (SELECT handle FROM reps)"
            ) { "lead \($0["id"] as Int64): owner '\($0["owner"] as String)' is no rep" }
            try run(
                "each owner matches the lead's last ownership event",
                """
                SELECT l.id, l.owner, e.to_owner FROM leads l
                LEFT JOIN events e ON e.id = (
                    SELECT max(id) FROM events WHERE lead_id = l.id AND kind IN \(EventKind.ownershipChanges.sql))
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

            var ruleset: StoredRuleset?
            do {
                ruleset = try Store.fetchRuleset(db, version: nil)
            } catch let error as LeadPoolError {
                results.append(CheckResult(name: "the current ruleset validates", problems: [error.message]))
            }
            results.append(try Store.poolsCheck(db, ruleset: ruleset?.ruleset ?? .standard, limit: limit))
            results.append(try Store.capacityCheck(db, ruleset: ruleset?.ruleset, limit: limit))
            results.append(try Store.poolLimitsCheck(db, ruleset: ruleset?.ruleset ?? .standard, limit: limit))
            results.append(try Store.dailyLimitCheck(db, ruleset: ruleset?.ruleset, limit: limit))
            results.append(try Store.clockCheck(db, limit: limit))
            results.append(try Store.scoreCheck(db, ruleset: ruleset, limit: limit))
            results.append(try Store.roundsCheck(db, limit: limit))
            return results
        }
    }

    /// Every lead is in exactly one existing pool: one `pool` column per lead, naming a pool of
    /// the rules file in force (or `main`, which always exists). A pool dropped from the file
    /// leaves its leads where only admins may reach them: a problem, to move them.
    static func poolsCheck(_ db: Database, ruleset: Ruleset, limit: Int) throws -> CheckResult {
        let names = ruleset.poolNames
        let problems = try firstRows(
            db,
            "SELECT pool, count(*) AS n FROM leads WHERE pool NOT IN (\(placeholders(names.count))) GROUP BY pool ORDER BY pool",
            arguments: StatementArguments(names),
            limit: limit
        ).map { row in CheckRules.strayPoolProblem(pool: row["pool"], leads: row["n"]) }
        return CheckResult(name: CheckRules.poolsName, problems: problems)
    }

    /// Nobody is above a pool's claim limits through claims: no rep claimed more from a pool in
    /// one of their days than the pool's daily limit in force then (each claim keeps it,
    /// `pool_daily_limit`), and no rep holds more of a pool's leads that they claimed than the
    /// pool's capacity now (rounds and transfers do not count against a pool's claim limits).
    static func poolLimitsCheck(_ db: Database, ruleset: Ruleset, limit: Int) throws -> CheckResult {
        let daily = try firstRows(
            db,
            """
            SELECT to_owner, day, pool, count(*) AS claims, min(daily_limit) AS daily_limit FROM (
                SELECT to_owner, json_extract(detail, '$.pool') AS pool, json_extract(detail, '$.day') AS day,
                       json_extract(detail, '$.pool_daily_limit') AS daily_limit,
                       row_number() OVER (PARTITION BY to_owner, json_extract(detail, '$.day'), json_extract(detail, '$.pool') ORDER BY id) AS rank
                FROM events WHERE kind = \(EventKind.claimed.sql) AND json_type(detail, '$.pool') = 'text')
            WHERE daily_limit IS NOT NULL AND rank > daily_limit
            GROUP BY to_owner, day, pool ORDER BY day, to_owner
            """,
            limit: limit
        ).map { row in
            CheckRules.poolDailyLimitProblem(rep: row["to_owner"], pool: row["pool"], day: row["day"], limit: row["daily_limit"])
        }
        var held: [String] = []
        for pool in ruleset.pools {
            guard let capacity = pool.capacity, held.count < limit else { continue }
            held += try firstRows(
                db,
                """
                SELECT l.owner, count(*) AS n FROM leads l
                WHERE l.pool = ? AND l.owner IS NOT NULL AND l.\(Store.held)
                  AND (SELECT kind FROM events e WHERE e.lead_id = l.id AND e.kind IN \(EventKind.handovers.sql) ORDER BY e.id DESC LIMIT 1)
                      = \(EventKind.claimed.sql)
                GROUP BY l.owner HAVING count(*) > ? ORDER BY l.owner
                """,
                arguments: [pool.name, capacity],
                limit: limit - held.count
            ).map { row in CheckRules.poolCapacityProblem(rep: row["owner"], pool: pool.name, held: row["n"], capacity: capacity) }
        }
        return CheckResult(name: CheckRules.poolLimitsName, problems: daily + held)
    }

    /// Up to `limit` rows of `sql`.
    private static func firstRows(_ db: Database, _ sql: String, arguments: StatementArguments = [], limit: Int) throws -> [Row] {
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        var rows: [Row] = []
        while rows.count < limit, let row = try cursor.next() { rows.append(row.copy()) }
        return rows
    }

    /// Nobody is above capacity because of a round or a claim.
    ///
    /// A rep is above capacity when their held (open and qualified) leads outnumber their
    /// effective capacity: their own, else the current ruleset's default, else the standard 50.
    /// Since a rep's held leads
    /// only grow through an `assigned`, `claimed`, `transferred` or `reopened` event, they held
    /// at least as many right after the latest such event as now; that event is the one to judge.
    /// - `transferred` or `reopened`: an admin's explicit choice (neither enforces capacity): a note.
    /// - `assigned` or `claimed`: judged against the capacity in force then, which the round's
    ///   summary (per rep) or the claim's event detail recorded. Holding more than that is a
    ///   problem; holding more than today's capacity only means it was lowered since: a note.
    ///   Where nothing was recorded (a round killed before its summary, claims written before
    ///   claims kept their capacity), today's capacity is the measure.
    static func capacityCheck(_ db: Database, ruleset: Ruleset?, limit: Int) throws -> CheckResult {
        let name = CheckRules.capacityName
        let defaultCapacity = (ruleset ?? .standard).defaults.capacity
        let over = try Row.fetchAll(
            db,
            sql: """
                SELECT r.handle, h.n AS held, coalesce(r.capacity, ?) AS capacity
                FROM (SELECT owner, count(*) AS n FROM leads WHERE owner IS NOT NULL AND \(held) GROUP BY owner) h
                JOIN reps r ON r.handle = h.owner
                WHERE h.n > coalesce(r.capacity, ?)
                ORDER BY r.handle
                """,
            arguments: [defaultCapacity, defaultCapacity]
        )
        guard !over.isEmpty else { return CheckResult(name: name, problems: []) }
        // The latest lead-giving event of each of these reps, in one pass over the events.
        let handles: [String] = over.map { $0["handle"] }
        let placeholders = Array(repeating: "?", count: handles.count).joined(separator: ",")
        let latest = try Row.fetchAll(
            db,
            sql: """
                SELECT e.id, e.kind, e.to_owner, e.round_id, e.detail, e.at FROM events e
                WHERE e.id IN (
                    SELECT max(id) FROM events
                    WHERE kind IN \(EventKind.handovers.sql) AND to_owner IN (\(placeholders))
                    GROUP BY to_owner)
                """,
            arguments: StatementArguments(handles)
        )
        let byRep = Dictionary(latest.map { ($0["to_owner"] as String, $0) }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        var notes: [String] = []
        for row in over {
            let handle: String = row["handle"]
            let event = byRep[handle]
            let last = event.map {
                CheckRules.Handover(
                    id: $0["id"],
                    kind: EventKind(rawValue: $0["kind"]),
                    at: Date(storedSeconds: $0["at"]),
                    roundID: $0["round_id"]
                )
            }
            let judged = try CheckRules.judgeCapacity(handle: handle, held: row["held"], capacity: row["capacity"], last: last) {
                () -> Int?? in
                if last?.kind == .assigned, let round = last?.roundID {
                    return try Int?.fetchOne(
                        db,
                        sql: """
                            SELECT json_extract(value, '$.capacity') FROM rounds, json_each(rounds.summary, '$.reps')
                            WHERE rounds.id = ? AND rounds.summary IS NOT NULL AND json_extract(value, '$.handle') = ?
                            """,
                        arguments: [round, handle]
                    )
                } else if last?.kind == .claimed, let detail: String = event?["detail"] {
                    return try Row.fetchOne(
                        db,
                        sql: "SELECT json_type(?, '$.capacity') AS type, json_extract(?, '$.capacity') AS capacity",
                        arguments: [detail, detail]
                    ).flatMap { $0["type"] == nil ? nil : .some($0["capacity"]) }
                }
                return nil
            }
            if let problem = judged.problem { problems.append(problem) }
            if let note = judged.note { notes.append(note) }
        }
        return CheckResult(name: name, problems: Array(problems.prefix(limit)), notes: Array(notes.prefix(limit)))
    }

    /// Nobody claimed more leads themselves in a day than their daily limit allowed: the rep's
    /// local day each claim counted in, which its event keeps (`day` in the detail; claims
    /// written before it was kept counted in UTC days).
    ///
    /// Limits change (a rep's own, the ruleset's default), so each claim is judged against the
    /// limit it was checked against, which its event keeps (`daily_limit` in the detail; null:
    /// unlimited). A claim was allowed when the rep's claims of that day written before it
    /// (by event id: a claim dated back into a day saw all of the day's claims there were)
    /// were fewer than that limit. Claims written before events kept the limit are measured
    /// against today's limit, and only as notes: their history cannot be changed.
    static func dailyLimitCheck(_ db: Database, ruleset: Ruleset?, limit: Int) throws -> CheckResult {
        let name = CheckRules.dailyLimitName
        // Each claim with its rank among its rep's claims of its day, in the order written.
        let ranked = """
            SELECT id, to_owner, day, detail,
                row_number() OVER (PARTITION BY to_owner, day ORDER BY id) AS rank,
                count(*) OVER (PARTITION BY to_owner, day) AS claims
            FROM (SELECT id, to_owner, detail,
                         coalesce(json_extract(detail, '$.day'), date(at, 'unixepoch')) AS day
                  FROM events WHERE kind = \(EventKind.claimed.sql))
            """
        let problems = try firstRows(
            db,
            """
            SELECT to_owner, day, claims, min(id) AS id, json_extract(detail, '$.daily_limit') AS daily_limit
            FROM (\(ranked))
            WHERE json_type(detail, '$.daily_limit') = 'integer' AND rank > json_extract(detail, '$.daily_limit')
            GROUP BY to_owner, day ORDER BY day, to_owner
            """,
            limit: limit
        ).map { row in
            CheckRules.dailyLimitProblem(rep: row["to_owner"], day: row["day"], claims: row["claims"], eventID: row["id"], limit: row["daily_limit"])
        }
        let defaultLimit = (ruleset ?? .standard).defaults.dailyLimit
        let notes = try firstRows(
            db,
            """
            SELECT c.to_owner, c.day, count(*) AS claims, coalesce(r.daily_limit, ?) AS daily_limit
            FROM (\(ranked)) c LEFT JOIN reps r ON r.handle = c.to_owner
            GROUP BY c.to_owner, c.day
            HAVING sum(json_type(c.detail, '$.daily_limit') IS NULL) > 0 AND count(*) > coalesce(r.daily_limit, ?)
            ORDER BY c.day, c.to_owner
            """,
            arguments: [defaultLimit, defaultLimit],
            limit: limit
        ).map { row in
            CheckRules.dailyLimitNote(rep: row["to_owner"], day: row["day"], claims: row["claims"], limit: row["daily_limit"])
        }
        return CheckResult(name: name, problems: problems, notes: notes)
    }

    /// No event is dated after the wall clock at which it was written, unless an admin wrote it.
    ///
    /// Only admins may move the clock of a command that writes (`--now`); the OS login that
    /// wrote each event (`recorded_by`) tells them apart from the rep acted as. "An admin" is a
    /// rep whose role is admin now (reps keep no history of roles). Every event written since
    /// the first that recorded its wall clock must record it: one without was not written by
    /// leadpool. Events from before migration 0004 record neither: those dated after the wall
    /// clock of this check are notes.
    static func clockCheck(_ db: Database, limit: Int) throws -> CheckResult {
        let name = CheckRules.clockName
        let firstRecorded = try Int64.fetchOne(db, sql: "SELECT min(id) FROM events WHERE recorded_at IS NOT NULL")
        var problems = try firstRows(
            db,
            """
            SELECT e.id, e.lead_id, e.kind, e.actor, e.at, e.recorded_at, e.recorded_by, r.role FROM events e
            LEFT JOIN reps r ON r.handle = e.recorded_by
            WHERE e.at > e.recorded_at + ? AND r.role IS NOT 'admin'
            ORDER BY e.id
            """,
            arguments: [CheckRules.clockSlack],
            limit: limit
        ).map { row in
            CheckRules.clockProblem(
                eventID: row["id"],
                kind: row["kind"],
                leadID: row["lead_id"],
                actor: row["actor"],
                at: row["at"],
                recordedAt: row["recorded_at"],
                recordedBy: row["recorded_by"],
                role: row["role"]
            )
        }
        if let firstRecorded {
            problems += try firstRows(
                db,
                "SELECT id, lead_id, kind FROM events WHERE id > ? AND recorded_at IS NULL ORDER BY id",
                arguments: [firstRecorded],
                limit: limit
            ).map { row in CheckRules.unrecordedClockProblem(eventID: row["id"], kind: row["kind"], leadID: row["lead_id"]) }
        }
        let notes = try firstRows(
            db,
            "SELECT id, kind, lead_id, at FROM events WHERE id < ? AND at > ? ORDER BY id",
            arguments: [firstRecorded ?? Int64.max, Date().storedSeconds + CheckRules.clockSlack],
            limit: limit
        ).map { row in CheckRules.futureEventNote(eventID: row["id"], kind: row["kind"], leadID: row["lead_id"], at: row["at"]) }
        return CheckResult(name: name, problems: Array(problems.prefix(limit)), notes: notes)
    }

    /// Scores and tiers match the current ruleset, recomputed in SQL as ``rescore`` computes them.
    ///
    /// A criterion that reads the clock (`age_days`, `idle_days`, `held_days`) or a field the
    /// workflow changes without re-scoring (`owner`, `status`, `claimed_at`,
    /// `last_activity_at`), directly or through a segment, was met or not depending on when
    /// the lead was last scored (rules apply, import, tagging): it may count or not, so the
    /// score must lie in the range those criteria allow. With none such, it must be exact. The
    /// tier must always be the tier of the stored score. Before any ruleset there is nothing to
    /// compare.
    static func scoreCheck(_ db: Database, ruleset stored: StoredRuleset?, limit: Int) throws -> CheckResult {
        let name = CheckRules.scoreName
        guard let stored else { return CheckResult(name: name, problems: [], notes: ["no ruleset applied yet: leads are unscored"]) }
        let ruleset = stored.ruleset
        let context = ruleset.conditionContext(now: stored.appliedAt)
        let (steady, volatile, low, high) = CheckRules.volatileCriteria(ruleset)
        let (points, arguments) = try pointsSQL(steady, in: context)
        let (tier, tierArguments) = tierSQL(ruleset, score: "score")
        let sql = """
            SELECT id, score, tier, expected_low, expected_high, \(tier) AS expected_tier FROM (
                SELECT id, score, tier, max(0, min(100, base + ?)) AS expected_low, max(0, min(100, base + ?)) AS expected_high
                FROM (SELECT id, score, tier, \(points) AS base FROM leads))
            WHERE score NOT BETWEEN expected_low AND expected_high OR tier IS NOT \(tier)
            """
        let rows = try firstRows(db, sql, arguments: tierArguments + [low, high] + arguments + tierArguments, limit: limit)
        let problems = rows.map { row -> String in
            CheckRules.scoreProblem(
                leadID: row["id"],
                score: row["score"],
                tier: row["tier"],
                version: stored.version,
                low: row["expected_low"],
                high: row["expected_high"],
                expectedTier: row["expected_tier"]
            )
        }
        return CheckResult(name: name, problems: problems, notes: problems.isEmpty ? CheckRules.volatileNote(volatile) : [])
    }

    /// Rounds a killed `assign` left incomplete, since the last complete one: notes, not problems.
    static func roundsCheck(_ db: Database, limit: Int) throws -> CheckResult {
        let rows = try firstRows(
            db,
            """
            SELECT id, clock, assigned FROM rounds
            WHERE status != 'complete' AND id > ifnull((SELECT max(id) FROM rounds WHERE status = 'complete'), 0)
            ORDER BY id
            """,
            limit: limit
        )
        return CheckResult(
            name: "rounds complete",
            problems: [],
            notes: rows.map { row in CheckRules.roundNote(id: row["id"], clock: row["clock"]) }
        )
    }

    /// Writes a consistent copy of the database for `destination` into `file` while other
    /// processes keep working.
    ///
    /// `file` is an empty file the caller created for the copy and renames to `destination` once
    /// this returns (the CLI's `OutputFile`), so the copy is whole or absent. On failure the
    /// journal files SQLite kept beside `file` are removed; `file` itself is the caller's to
    /// remove. Messages name `destination`.
    public func backup(to destination: String, through file: String) throws {
        do {
            let target = try DatabaseQueue(path: file)
            try pool.backup(to: target)
            try target.writeWithoutTransaction { db in
                // A standalone copy: fold the WAL back so the single file is complete.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try target.close()
        } catch {
            for suffix in ["-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: file + suffix) }
            if let error = error as? DatabaseError { throw Store.translate(error, path: destination) }
            throw error
        }
    }
}
