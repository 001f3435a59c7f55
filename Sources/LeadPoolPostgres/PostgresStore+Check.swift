import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

// MARK: - LeadStorage: check

extension PostgresStore {
    /// leadpool's invariants, as on SQLite (``CheckRules`` names and judges them), found with
    /// PostgreSQL's SQL; PostgreSQL's catalogue stands in for SQLite's integrity pragmas: every
    /// constraint of leadpool's schema validated, and the append-only triggers in place.
    public func check(limit: Int) throws -> [CheckResult] {
        try transaction(readOnly: true) { sql in
            var results: [CheckResult] = []
            func run(_ name: String, _ query: PostgresQuery, _ describe: (PostgresRandomAccessRow) throws -> String) throws {
                results.append(CheckResult(name: name, problems: try sql.rows(query).prefix(limit).map(describe)))
            }
            try run(
                "PostgreSQL constraints validated",
                "SELECT conname::text AS name FROM pg_constraint WHERE connamespace = current_schema()::regnamespace AND NOT convalidated ORDER BY 1"
            ) { "constraint \(try $0["name", as: String.self]) is not validated" }
            let status = try MigrationRules.status(applied: try PostgresMigrator.applied(sql), known: try PostgresMigrator.known(), path: path)
            results.append(CheckResult(name: "migrations applied and unchanged", problems: status.pending.map { "\($0.fileName) is pending" }))
            results.append(CheckResult(name: "each lead has one owner at most (one owner column)", problems: []))
            try run(
                "pool leads have no owner, owned leads a claim time",
                "SELECT id FROM leads WHERE (owner IS NULL) <> (claimed_at IS NULL) ORDER BY id"
            ) { "lead \(try $0["id", as: Int64.self])" }
            try run(
                "each owner is a known rep",
                "SELECT id, owner FROM leads WHERE owner IS NOT NULL AND owner NOT IN (SELECT handle FROM reps) ORDER BY id"
            ) { "lead \(try $0["id", as: Int64.self]): owner '\(try $0["owner", as: String.self])' is no rep" }
            try run(
                "each owner matches the lead's last ownership event",
                """
                SELECT l.id, l.owner, e.to_owner FROM leads l
                LEFT JOIN events e ON e.id = (
                    SELECT max(id) FROM events WHERE lead_id = l.id AND kind = ANY(\(EventKind.ownershipChanges.map(\.rawValue))))
                WHERE l.owner IS DISTINCT FROM e.to_owner
                ORDER BY l.id
                """
            ) { row in
                "lead \(try row["id", as: Int64.self]): owner \(try row["owner", as: String?.self] ?? "none"), last ownership event gives \(try row["to_owner", as: String?.self] ?? "none")"
            }
            try run(
                "events are append-only",
                """
                SELECT name FROM unnest(ARRAY['events_append_only_change', 'events_append_only_truncate']) AS name
                WHERE name NOT IN (SELECT tgname::text FROM pg_trigger WHERE tgrelid = 'events'::regclass AND tgenabled <> 'D')
                """
            ) { "trigger \(try $0["name", as: String.self]) is missing or disabled" }

            var ruleset: StoredRuleset?
            do {
                ruleset = try sql.currentRuleset()
            } catch let error as LeadPoolError {
                results.append(CheckResult(name: "the current ruleset validates", problems: [error.message]))
            }
            results.append(try sql.poolsCheck(ruleset: ruleset?.ruleset ?? .standard, limit: limit))
            results.append(try sql.capacityCheck(ruleset: ruleset?.ruleset, limit: limit))
            results.append(try sql.poolLimitsCheck(ruleset: ruleset?.ruleset ?? .standard, limit: limit))
            results.append(try sql.dailyLimitCheck(ruleset: ruleset?.ruleset, limit: limit))
            results.append(try sql.clockCheck(limit: limit))
            results.append(try sql.scoreCheck(ruleset: ruleset, limit: limit))
            let rounds = try sql.rows(
                """
                SELECT id, clock FROM rounds
                WHERE status <> 'complete' AND id > coalesce((SELECT max(id) FROM rounds WHERE status = 'complete'), 0)
                ORDER BY id
                """
            ).prefix(limit)
            results.append(
                CheckResult(
                    name: "rounds complete",
                    problems: [],
                    notes: try rounds.map { CheckRules.roundNote(id: try $0["id"], clock: try $0["clock"]) }
                )
            )
            return results
        }
    }
}

extension PostgresSQL {
    /// Every lead is in exactly one existing pool: one `pool` column per lead, naming a pool of
    /// the rules file in force (or `main`, which always exists).
    func poolsCheck(ruleset: Ruleset, limit: Int) throws -> CheckResult {
        let problems = try rows(
            """
            SELECT pool, count(*) AS n FROM leads WHERE pool <> ALL(\(ruleset.poolNames))
            GROUP BY pool ORDER BY pool COLLATE "C" LIMIT \(limit)
            """
        ).map { row in CheckRules.strayPoolProblem(pool: try row["pool"], leads: try row["n"]) }
        return CheckResult(name: CheckRules.poolsName, problems: problems)
    }

    /// Nobody is above a pool's claim limits through claims: no rep claimed more from a pool in
    /// one of their days than the pool's daily limit in force then (each claim keeps it,
    /// `pool_daily_limit`), and no rep holds more of a pool's leads that they claimed than the
    /// pool's capacity now (rounds and transfers do not count against a pool's claim limits).
    func poolLimitsCheck(ruleset: Ruleset, limit: Int) throws -> CheckResult {
        let daily = try rows(
            """
            SELECT to_owner, day, pool, min(daily_limit) AS daily_limit FROM (
                SELECT to_owner, detail ->> 'pool' AS pool, detail ->> 'day' AS day, (detail ->> 'pool_daily_limit')::bigint AS daily_limit,
                       row_number() OVER (PARTITION BY to_owner, detail ->> 'day', detail ->> 'pool' ORDER BY id) AS rank
                FROM events WHERE kind = 'claimed' AND json_typeof(detail -> 'pool') = 'string') AS claims
            WHERE daily_limit IS NOT NULL AND rank > daily_limit
            GROUP BY to_owner, day, pool ORDER BY day COLLATE "C", to_owner COLLATE "C"
            LIMIT \(limit)
            """
        ).map { row in
            CheckRules.poolDailyLimitProblem(
                rep: try row["to_owner"],
                pool: try row["pool"],
                day: try row["day"],
                limit: Int(try row["daily_limit", as: Int64.self])
            )
        }
        var held: [String] = []
        for pool in ruleset.pools {
            guard let capacity = pool.capacity, held.count < limit else { continue }
            held += try rows(
                """
                SELECT l.owner, count(*) AS n FROM leads l
                WHERE l.pool = \(pool.name) AND l.owner IS NOT NULL AND l.status IN ('open', 'qualified')
                  AND (SELECT kind FROM events e WHERE e.lead_id = l.id AND e.kind = ANY(\(EventKind.handovers.map(\.rawValue)))
                       ORDER BY e.id DESC LIMIT 1) = 'claimed'
                GROUP BY l.owner HAVING count(*) > \(capacity) ORDER BY l.owner COLLATE "C"
                LIMIT \(limit - held.count)
                """
            ).map { row in CheckRules.poolCapacityProblem(rep: try row["owner"], pool: pool.name, held: try row["n"], capacity: capacity) }
        }
        return CheckResult(name: CheckRules.poolLimitsName, problems: daily + held)
    }

    /// Nobody is above capacity because of a round or a claim (``CheckRules/judgeCapacity``).
    func capacityCheck(ruleset: Ruleset?, limit: Int) throws -> CheckResult {
        let defaultCapacity = (ruleset ?? .standard).defaults.capacity
        let over = try rows(
            """
            SELECT r.handle, h.n AS held, coalesce(r.capacity, \(defaultCapacity)) AS capacity
            FROM (SELECT owner, count(*) AS n FROM leads WHERE owner IS NOT NULL AND status IN ('open', 'qualified') GROUP BY owner) h
            JOIN reps r ON r.handle = h.owner
            WHERE h.n > coalesce(r.capacity, \(defaultCapacity))
            ORDER BY r.handle
            """
        )
        var problems: [String] = []
        var notes: [String] = []
        for row in over {
            let handle: String = try row["handle"]
            let event = try rows(
                """
                SELECT id, kind, at, round_id, detail::text AS detail FROM events
                WHERE kind = ANY(\(EventKind.handovers.map(\.rawValue))) AND to_owner = \(handle)
                ORDER BY id DESC LIMIT 1
                """
            ).first
            let last = try event.map {
                CheckRules.Handover(
                    id: try $0["id"],
                    kind: EventKind(rawValue: try $0["kind"]),
                    at: Date(storedSeconds: try $0["at"]),
                    roundID: try $0["round_id"]
                )
            }
            let judged = try CheckRules.judgeCapacity(handle: handle, held: try row["held"], capacity: try row["capacity"], last: last) {
                () -> Int?? in
                if last?.kind == .assigned, let round = last?.roundID {
                    guard
                        let entry = try rows(
                            """
                            SELECT r ->> 'capacity' AS capacity FROM rounds, json_array_elements(rounds.summary -> 'reps') AS r
                            WHERE rounds.id = \(round) AND r ->> 'handle' = \(handle)
                            """
                        ).first
                    else { return nil }
                    return .some(try entry["capacity", as: String?.self].flatMap { Int($0) })
                } else if last?.kind == .claimed, let detail = try event?["detail", as: String?.self] {
                    guard let type = try value("SELECT json_typeof(\(detail)::json -> 'capacity')", as: String.self) else { return nil }
                    return .some(type == "number" ? try value("SELECT (\(detail)::json ->> 'capacity')::int", as: Int.self) : nil)
                }
                return nil
            }
            if let problem = judged.problem { problems.append(problem) }
            if let note = judged.note { notes.append(note) }
        }
        return CheckResult(name: CheckRules.capacityName, problems: Array(problems.prefix(limit)), notes: Array(notes.prefix(limit)))
    }

    /// Nobody claimed more leads in a (local) day than the daily limit each claim was checked against.
    func dailyLimitCheck(ruleset: Ruleset?, limit: Int) throws -> CheckResult {
        let ranked = """
            SELECT id, to_owner, day, detail,
                row_number() OVER (PARTITION BY to_owner, day ORDER BY id) AS rank,
                count(*) OVER (PARTITION BY to_owner, day) AS claims
            FROM (SELECT id, to_owner, detail,
                         coalesce(detail ->> 'day', to_char(to_timestamp(at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')) AS day
                  FROM events WHERE kind = 'claimed') AS claims
            """
        let problems = try rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT to_owner, day, max(claims) AS claims, min(id) AS id, min((detail ->> 'daily_limit')::int) AS daily_limit
                    FROM (\(ranked)) AS ranked
                    WHERE json_typeof(detail -> 'daily_limit') = 'number' AND rank > (detail ->> 'daily_limit')::int
                    GROUP BY to_owner, day ORDER BY day, to_owner
                    """
            )
        ).prefix(limit).map { row in
            CheckRules.dailyLimitProblem(
                rep: try row["to_owner"],
                day: try row["day"],
                claims: try row["claims"],
                eventID: try row["id"],
                limit: try row["daily_limit"]
            )
        }
        let defaultLimit = (ruleset ?? .standard).defaults.dailyLimit
        var bindings = PostgresBindings()
        bindings.append(defaultLimit)
        let notes = try rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT c.to_owner, c.day, count(*) AS claims, coalesce(r.daily_limit, $1) AS daily_limit
                    FROM (\(ranked)) c LEFT JOIN reps r ON r.handle = c.to_owner
                    GROUP BY c.to_owner, c.day, r.daily_limit
                    HAVING count(*) FILTER (WHERE json_typeof(c.detail -> 'daily_limit') IS NULL) > 0 AND count(*) > coalesce(r.daily_limit, $1)
                    ORDER BY c.day, c.to_owner
                    """,
                binds: bindings
            )
        ).prefix(limit).map { row in
            CheckRules.dailyLimitNote(rep: try row["to_owner"], day: try row["day"], claims: try row["claims"], limit: try row["daily_limit"])
        }
        return CheckResult(name: CheckRules.dailyLimitName, problems: Array(problems), notes: Array(notes))
    }

    /// No event is dated after the wall clock at which it was written, unless an admin wrote it.
    func clockCheck(limit: Int) throws -> CheckResult {
        let firstRecorded = try value("SELECT min(id) FROM events WHERE recorded_at IS NOT NULL", as: Int64?.self) ?? nil
        var problems = try rows(
            """
            SELECT e.id, e.lead_id, e.kind, e.actor, e.at, e.recorded_at, e.recorded_by, r.role FROM events e
            LEFT JOIN reps r ON r.handle = e.recorded_by
            WHERE e.at > e.recorded_at + \(CheckRules.clockSlack) AND r.role IS DISTINCT FROM 'admin'
            ORDER BY e.id
            """
        ).prefix(limit).map { row in
            CheckRules.clockProblem(
                eventID: try row["id"],
                kind: try row["kind"],
                leadID: try row["lead_id"],
                actor: try row["actor"],
                at: try row["at"],
                recordedAt: try row["recorded_at"],
                recordedBy: try row["recorded_by"],
                role: try row["role"]
            )
        }
        if let firstRecorded {
            problems += try rows("SELECT id, lead_id, kind FROM events WHERE id > \(firstRecorded) AND recorded_at IS NULL ORDER BY id")
                .prefix(limit).map { CheckRules.unrecordedClockProblem(eventID: try $0["id"], kind: try $0["kind"], leadID: try $0["lead_id"]) }
        }
        let notes = try rows(
            "SELECT id, kind, lead_id, at FROM events WHERE id < \(firstRecorded ?? Int64.max) AND at > \(Date().storedSeconds + CheckRules.clockSlack) ORDER BY id"
        ).prefix(limit).map { CheckRules.futureEventNote(eventID: try $0["id"], kind: try $0["kind"], leadID: try $0["lead_id"], at: try $0["at"]) }
        return CheckResult(name: CheckRules.clockName, problems: Array(problems.prefix(limit)), notes: Array(notes))
    }

    /// Scores and tiers match the current ruleset: each lead scored again by the core's
    /// evaluation, a page at a time, within the range the clock-dependent criteria allow.
    func scoreCheck(ruleset stored: StoredRuleset?, limit: Int) throws -> CheckResult {
        guard let stored else { return CheckResult(name: CheckRules.scoreName, problems: [], notes: ["no ruleset applied yet: leads are unscored"]) }
        let ruleset = stored.ruleset
        let context = ruleset.conditionContext(now: stored.appliedAt)
        let (steady, volatile, low, high) = CheckRules.volatileCriteria(ruleset)
        var problems: [String] = []
        var after: Int64 = 0
        while problems.count < limit {
            let page = try rows(
                """
                SELECT \(unescaped: Lead.postgresColumns) FROM \(unescaped: PostgresSQL.leadRows)
                WHERE id > \(after) AND \(unescaped: Self.readable) ORDER BY id LIMIT \(PostgresSQL.rescorePage)
                """
            )
            .map(Lead.init(postgres:))
            guard let last = page.last else { break }
            after = last.id
            for lead in page {
                let base = steady.reduce(0) { $0 + ($1.when.matches(lead, in: context) ? $1.points : 0) }
                let expectedLow = LeadScorer.clamp(base + low)
                let expectedHigh = LeadScorer.clamp(base + high)
                let expectedTier = ruleset.tier(for: lead.score)
                guard !(expectedLow...expectedHigh).contains(lead.score) || lead.tier != expectedTier else { continue }
                problems.append(
                    CheckRules.scoreProblem(
                        leadID: lead.id,
                        score: lead.score,
                        tier: lead.tier,
                        version: stored.version,
                        low: expectedLow,
                        high: expectedHigh,
                        expectedTier: expectedTier
                    )
                )
            }
        }
        let unread = try value("SELECT count(*) FROM \(unescaped: PostgresSQL.leadRows) WHERE NOT \(unescaped: Self.readable)", as: Int.self) ?? 0
        return CheckResult(
            name: CheckRules.scoreName,
            problems: Array(problems.prefix(limit)),
            notes: (problems.isEmpty ? CheckRules.volatileNote(volatile) : [])
                + (unread == 0 ? [] : ["\(unread) leads hold fields you may not read: their scores are checked by those who may"])
        )
    }

    /// Leads whose every field this session reads (the others' scores cannot be recomputed).
    static let readable = "coalesce(cardinality(leads.withheld), 0) = 0"
}
