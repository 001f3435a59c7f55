import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

extension PostgresSQL {
    /// Reads the ruleset, the reps with their load, the strategy state and the routed pool.
    func roundInput(scope: RoundScope, at now: Date) throws -> RoundInput {
        let stored = try StoredRuleset.forRound(currentRuleset())
        let ruleset = stored.ruleset
        let context = ruleset.conditionContext(now: now)
        let reps = try rows(PostgresQuery(unsafeSQL: Rep.postgresSelection + " ORDER BY handle")).map(Rep.init(postgres:))
        let held = try heldCounts()
        let plannerReps = reps.map { PlannerRep($0, under: ruleset, held: held[$0.handle] ?? 0, at: now) }
        let rules = ruleset.rules.map { PlannerRule($0, among: reps) }

        // Which rules' conditions hold on each lead, as bits of a few bigint columns; the core
        // picks the first (`Routing`), as `explain` does.
        var values: [SQLValue] = []
        var matchColumns: [String] = []
        for (index, rule) in ruleset.rules.enumerated() {
            // `Ruleset.Rule.looks(at:)`: the rule's own pool only, never the pool it moves leads to.
            var pools = ""
            if let pool = rule.pool {
                values.append(.text(pool))
                pools += "pool = $\(values.count) AND "
            }
            if let pool = rule.toPool {
                values.append(.text(pool))
                pools += "pool <> $\(values.count) AND "
            }
            let compiled = try CompiledCondition(rule.when, in: context, dialect: .postgresql, firstParameter: values.count + 1)
            values += compiled.values
            let term = "(CASE WHEN \(pools)(\(compiled.sql)) THEN \(Int64(1) << Int64(index % Self.ruleBitsPerColumn)) ELSE 0 END)::bigint"
            if index % Self.ruleBitsPerColumn == 0 { matchColumns.append(term) } else { matchColumns[matchColumns.count - 1] += " | " + term }
        }
        if matchColumns.isEmpty { matchColumns = ["0::bigint"] }
        var filter = "owner IS NULL AND status = 'open'"
        if let condition = scope.condition {
            let compiled = try CompiledCondition(condition, in: context, dialect: .postgresql, firstParameter: values.count + 1)
            values += compiled.values
            filter += " AND \(compiled.sql)"
        }
        if let pool = scope.pool {
            values.append(.text(pool))
            filter += " AND pool = $\(values.count)"
        }
        var sql = """
            SELECT id, score, created_at, country, region, previous_owner, released_at, \(matchColumns.enumerated().map { "\($1) AS m\($0)" }.joined(separator: ", "))
            FROM \(PostgresSQL.leadRows) WHERE \(filter)
            """
        var onlyRule: Int?
        if let name = scope.rule {
            let index = try stored.ruleIndex(named: name)
            // Only leads the rule's condition holds on; the core decides below whether it is the first.
            let bit = Int64(1) << Int64(index % Self.ruleBitsPerColumn)
            sql = "SELECT * FROM (\(sql)) AS routed WHERE m\(index / Self.ruleBitsPerColumn) & \(bit) <> 0"
            onlyRule = index
        }
        sql += " ORDER BY score DESC, created_at, id"
        if let limit = scope.limit, onlyRule == nil {
            values.append(.integer(Int64(limit)))
            sql += " LIMIT $\(values.count)"
        }
        var pool: [PoolLead] = []
        var moves: [PoolMove] = []
        for row in try rows(PostgresQuery(unsafeSQL: sql, binds: PostgresBindings(values))) {
            let rule = try Routing.firstMatch(among: ruleset.rules.count) { index in
                let mask = try row[7 + index / Self.ruleBitsPerColumn].decode(Int64.self)
                return mask & (Int64(1) << Int64(index % Self.ruleBitsPerColumn)) != 0
            }
            if let onlyRule {
                guard rule == onlyRule else { continue }
                if let limit = scope.limit, pool.count + moves.count >= limit { break }
            }
            if let rule, let target = ruleset.rules[rule].toPool {
                moves.append(PoolMove(leadID: try row[0].decode(Int64.self), rule: ruleset.rules[rule].name, pool: target))
                continue
            }
            pool.append(
                PoolLead(
                    id: try row[0].decode(Int64.self),
                    score: try row[1].decode(Int.self),
                    createdAt: Date(storedSeconds: try row[2].decode(Int64.self)),
                    country: try row[3].decode(String?.self),
                    region: try row[4].decode(String?.self),
                    previousOwner: try row[5].decode(String?.self),
                    releasedAt: try row[6].decode(Int64?.self).map(Date.init(storedSeconds:)),
                    matchedRule: rule
                )
            )
        }
        let state = try strategyState()
        var input = RoundInput(
            ruleset: stored,
            rules: rules,
            reps: plannerReps,
            pool: pool,
            state: state,
            lastEventID: try value("SELECT coalesce(max(id), 0) FROM events", as: Int64.self) ?? 0
        )
        input.moves = moves
        return input
    }

    /// Stores the strategy positions and totals of `rules` from `state` (the others are left
    /// as they are).
    func saveStrategyState(_ state: StrategyState, rules: some Sequence<String>) throws {
        for rule in rules {
            try execute("DELETE FROM round_robin_positions WHERE rule = \(rule)")
            try execute("DELETE FROM weighted_totals WHERE rule = \(rule)")
            if let rep = state.lastAssigned[rule] {
                try execute("INSERT INTO round_robin_positions (rule, last_rep) VALUES (\(rule), \(rep))")
            }
            for (rep, total) in state.weightedTotals[rule] ?? [:] {
                try execute("INSERT INTO weighted_totals (rule, rep, total) VALUES (\(rule), \(rep), \(total))")
            }
        }
    }

    /// The strategy positions and totals every rule has reached.
    func strategyState() throws -> StrategyState {
        var state = StrategyState()
        for row in try rows("SELECT rule, last_rep FROM round_robin_positions") { state.lastAssigned[try row["rule"]] = try row["last_rep"] }
        for row in try rows("SELECT rule, rep, total FROM weighted_totals") {
            state.weightedTotals[try row["rule"], default: [:]][try row["rep"]] = try row["total"]
        }
        return state
    }

    /// Leads held (open or qualified) per rep.
    func heldCounts() throws -> [String: Int] {
        var held: [String: Int] = [:]
        for row in try rows(
            PostgresQuery(unsafeSQL: "SELECT owner, count(*) AS n FROM leads WHERE owner IS NOT NULL AND \(Self.held) GROUP BY owner")
        ) {
            held[try row["owner"]] = try row["n"]
        }
        return held
    }

    /// Rules per bigint column of a round's routing query: bits 0…61, clear of the sign bit.
    static let ruleBitsPerColumn = 62

    static let roundColumns = """
        id, started_at, finished_at, clock, actor, ruleset_version, status, filter, considered,
        CASE WHEN status = 'complete' THEN assigned
             ELSE (SELECT count(*) FROM events WHERE events.round_id = rounds.id AND events.kind = 'assigned') END AS assigned,
        unrouted, no_capacity, skipped, summary::text
        """

    func round(_ id: Int64) throws -> RoundRecord? {
        try rows(PostgresQuery(unsafeSQL: "SELECT \(Self.roundColumns) FROM rounds WHERE id = $1", binds: binds(id))).first.map(
            RoundRecord.init(postgres:)
        )
    }
}

extension RoundRecord {
    init(postgres row: PostgresRandomAccessRow) throws {
        let summary: String? = try row["summary"]
        self.init(
            id: try row["id"],
            startedAt: Date(storedSeconds: try row["started_at"]),
            finishedAt: try row["finished_at", as: Int64?.self].map(Date.init(storedSeconds:)),
            clock: Date(storedSeconds: try row["clock"]),
            actor: try row["actor"],
            rulesetVersion: try row["ruleset_version"],
            status: Status(rawValue: try row["status"]) ?? .incomplete,
            filter: try row["filter"],
            considered: try row["considered"],
            assigned: try row["assigned"],
            unrouted: try row["unrouted"],
            noCapacity: try row["no_capacity"],
            skipped: try row["skipped"],
            summary: summary.flatMap { try? JSONDecoder().decode(RoundSummary.self, from: Data($0.utf8)) }
        )
    }
}

// MARK: - LeadStorage: rounds

extension PostgresStore {
    public func runRound(scope: RoundScope, dryRun: Bool, actor: String, at now: Date, progress: (Int, Int) -> Void) throws -> RoundRun {
        let input = try transaction(readOnly: true) { try $0.roundInput(scope: scope, at: now) }
        let plan = try input.plan(at: now)
        guard !dryRun else { return RoundRun(input: input, plan: plan, written: nil) }
        let written = try writeRound(plan, input: input, scope: scope, actor: actor, at: now) { progress($0, plan.assignments.count) }
        return RoundRun(input: input, plan: plan, written: written)
    }

    /// Writes a planned round: the round row first (incomplete), then the assignments in
    /// batches of ``roundBatch``, each one transaction, then the counts, the strategy state
    /// and `complete`. A killed round leaves whole batches and stays `incomplete`.
    ///
    /// Each batch locks the rows of the reps it gives leads to, as a claim does, so the load it
    /// reads is the load it writes against: leads a rep gained elsewhere since the round read
    /// the pool count against capacity (``RoundLoad/gainedElsewhere(_:_:)``). A lead claimed
    /// meanwhile is skipped (the conditional UPDATE finds it owned).
    func writeRound(
        _ plan: RoundPlan,
        input: RoundInput,
        scope: RoundScope,
        actor: String,
        at now: Date,
        progress: (Int) -> Void
    )
        throws -> WrittenRound
    {
        let roundID =
            try transaction { sql in
                try sql.value(
                    """
                    INSERT INTO rounds (started_at, clock, actor, ruleset_version, status, filter, considered, unrouted)
                    VALUES (\(Date().storedSeconds), \(now.storedSeconds), \(actor), \(input.ruleset.version), 'incomplete', \(scope.description),
                            \(input.pool.count + input.moves.count), \(plan.unrouted.count))
                    RETURNING id
                    """,
                    as: Int64.self
                )
            } ?? 0
        var load = RoundLoad(reps: input.reps)
        var accounted = Dictionary(input.reps.map { ($0.handle, $0.held) }, uniquingKeysWith: { a, _ in a })
        var skipped: Set<Int64> = []
        var done = 0
        let order = plan.assignments.indices.sorted { plan.assignments[$0].leadID < plan.assignments[$1].leadID }
        while done < order.count {
            let batch = order[done..<min(done + Self.roundBatch, order.count)]
            try transaction { sql in
                let reps = Array(Set(batch.map { plan.assignments[$0].rep })).sorted()
                try sql.execute("SELECT 1 FROM reps WHERE handle = ANY(\(reps)) ORDER BY handle FOR UPDATE")
                for row in try sql.rows(
                    PostgresQuery(
                        unsafeSQL: "SELECT owner, count(*) AS n FROM leads WHERE owner = ANY($1) AND \(PostgresSQL.held) GROUP BY owner",
                        binds: {
                            var b = PostgresBindings()
                            b.append(reps)
                            return b
                        }()
                    )
                ) {
                    let rep: String = try row["owner"]
                    let held: Int = try row["n"]
                    let gained = held - accounted[rep, default: 0]
                    if gained > 0 {
                        load.gainedElsewhere(rep, gained)
                        accounted[rep, default: 0] += gained
                    }
                }
                // The batch's leads still open in the pool, locked in id order as claims lock
                // them, so the ones given here are taken by nobody else before the batch commits.
                let ids = batch.map { plan.assignments[$0].leadID }
                let open = Set(
                    try sql.rows("SELECT id FROM leads WHERE id = ANY(\(ids)) AND owner IS NULL AND status = 'open' ORDER BY id FOR UPDATE")
                        .map { try $0["id"].decode(Int64.self) }
                )
                var given: [Assignment] = []
                for position in batch {
                    let assignment = plan.assignments[position]
                    guard load.hasRoom(assignment.rep), open.contains(assignment.leadID) else {
                        skipped.insert(assignment.leadID)
                        continue
                    }
                    given.append(assignment)
                    load.give(assignment.rep, rule: assignment.rule)
                    accounted[assignment.rep, default: 0] += 1
                }
                try sql.give(given, round: roundID, actor: actor, at: now)
            }
            done += batch.count
            progress(done)
        }
        return try transaction { sql in
            // Moves last, each only while its lead is still open and unowned: a claim or the
            // round's own assignments may have taken it meanwhile.
            var moved: [PoolMove] = []
            let ruleset = input.ruleset.ruleset
            for move in input.moves {
                guard let lead = try sql.lead(move.leadID, locked: true), lead.isPooled, lead.pool != move.pool,
                    let target = ruleset.pool(named: move.pool)
                else { continue }
                try sql.move(lead, with: LeadMove(to: target), actor: actor, at: now, roundID: roundID, rule: move.rule, login: login)
                moved.append(move)
            }
            let summary = String(
                decoding: try JSONEncoder().encode(
                    load.summary(of: plan, plannedMoves: input.moves.countByRule, movedByRule: moved.countByRule)
                ),
                as: UTF8.self
            )
            try sql.saveStrategyState(plan.state, rules: input.rules.map(\.name))
            try sql.execute(
                """
                UPDATE rounds SET status = 'complete', finished_at = \(Date().storedSeconds), assigned = \(load.assigned),
                    no_capacity = \(plan.noCapacity.count), skipped = \(skipped.count), summary = \(summary)::json
                WHERE id = \(roundID)
                """
            )
            guard let record = try sql.round(roundID) else { throw LeadPoolError.bug("round \(roundID) vanished while it was written") }
            return WrittenRound(record: record, skipped: skipped, moved: moved)
        }
    }

    static let roundBatch = 2_000

    public func rounds(limit: Int) throws -> [RoundRecord] {
        try transaction(readOnly: true) { sql in
            try sql.rows(
                PostgresQuery(unsafeSQL: "SELECT \(PostgresSQL.roundColumns) FROM rounds ORDER BY id DESC LIMIT $1", binds: sql.binds(Int64(limit)))
            )
            .map(RoundRecord.init(postgres:))
        }
    }

    public func round(_ id: Int64) throws -> RoundRecord {
        guard let round = try transaction(readOnly: true, { try $0.round(id) }) else {
            throw LeadPoolError.notFound("no round with id \(id)", hint: "`leadpool rounds list` shows recent rounds")
        }
        return round
    }
}

extension PostgresSQL {
    /// Gives each of a round's batch its lead (locked and open) and writes its `assigned` event,
    /// in two statements for the whole batch, the events in the batch's order through
    /// ``record(_:by:)``'s function.
    func give(_ assignments: [Assignment], round: Int64, actor: String, at now: Date) throws {
        guard !assignments.isEmpty else { return }
        let ids = assignments.map(\.leadID)
        let reps = assignments.map(\.rep)
        try execute(
            """
            UPDATE leads SET owner = given.rep, claimed_at = \(now.storedSeconds)
            FROM unnest(\(ids)::BIGINT[], \(reps)::TEXT[]) AS given(id, rep) WHERE leads.id = given.id
            """
        )
        try execute(
            """
            SELECT leadpool_record_event(given.id, \(now.storedSeconds), \(actor), \(EventKind.assigned.rawValue), NULL, given.rep, \(round),
                                         given.rule, given.reason, NULL)
            FROM unnest(\(ids)::BIGINT[], \(reps)::TEXT[], \(assignments.map(\.rule))::TEXT[], \(assignments.map(\.reason.description))::TEXT[])
                AS given(id, rep, rule, reason)
            """
        )
    }
}
