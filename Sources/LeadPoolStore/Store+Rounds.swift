import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Store {
    /// Reads the ruleset, the reps with their load, the strategy state and the routed pool.
    public func roundInput(scope: RoundScope, at now: Date) throws -> RoundInput {
        try read { db in
            let stored = try StoredRuleset.forRound(Store.fetchRuleset(db, version: nil))
            let ruleset = stored.ruleset
            let context = ruleset.conditionContext(now: now)
            let reps = try Row.fetchAll(db, sql: Rep.selection + " ORDER BY handle").map(Rep.init(row:))
            let held = try Store.heldCounts(db)
            let plannerReps = reps.map { PlannerRep($0, under: ruleset, held: held[$0.handle] ?? 0, at: now) }
            let rules = ruleset.rules.map { PlannerRule($0, among: reps) }

            // The SQL says which rules' conditions hold on each lead, as bits of a few integer
            // columns; the core picks the first (`Routing`), as `explain` does.
            var matchColumns: [String] = []
            var arguments = StatementArguments()
            for (index, rule) in ruleset.rules.enumerated() {
                let compiled = try ConditionSQL(rule.when, in: context)
                // `Ruleset.Rule.looks(at:)`: the rule's own pool only, never the pool it moves leads to.
                var pools = ""
                if let pool = rule.pool {
                    pools += "pool = ? AND "
                    arguments += [pool]
                }
                if let pool = rule.toPool {
                    pools += "pool <> ? AND "
                    arguments += [pool]
                }
                let term = "CASE WHEN \(pools)\(compiled.sql) THEN \(Int64(1) << Int64(index % Store.ruleBitsPerColumn)) ELSE 0 END"
                if index % Store.ruleBitsPerColumn == 0 { matchColumns.append(term) } else { matchColumns[matchColumns.count - 1] += " | " + term }
                arguments += compiled.arguments
            }
            if matchColumns.isEmpty { matchColumns = ["0"] }
            var filter = "owner IS NULL AND status = 'open'"
            var filterArguments = StatementArguments()
            if let condition = scope.condition {
                let compiled = try ConditionSQL(condition, in: context)
                filter += " AND \(compiled.sql)"
                filterArguments += compiled.arguments
            }
            if let pool = scope.pool {
                filter += " AND pool = ?"
                filterArguments += [pool]
            }
            var sql = """
                SELECT id, score, created_at, country, region, previous_owner, released_at, \(matchColumns.enumerated().map { "\($1) AS m\($0)" }.joined(separator: ", "))
                FROM leads WHERE \(filter)
                """
            var all = arguments + filterArguments
            var onlyRule: Int?
            if let name = scope.rule {
                let index = try stored.ruleIndex(named: name)
                // Pre-filter: only leads the rule's condition holds on; the core decides below
                // whether it is the first that holds.
                let bit = Int64(1) << Int64(index % Store.ruleBitsPerColumn)
                sql = "SELECT * FROM (\(sql)) WHERE m\(index / Store.ruleBitsPerColumn) & \(bit) != 0"
                onlyRule = index
            }
            sql += " ORDER BY score DESC, created_at, id"
            if let limit = scope.limit, onlyRule == nil {
                sql += " LIMIT ?"
                all += [limit]
            }
            var pool: [PoolLead] = []
            var moves: [PoolMove] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: all)
            while let row = try cursor.next() {
                let rule = Routing.firstMatch(among: ruleset.rules.count) { index in
                    let mask: Int64 = row[7 + index / Store.ruleBitsPerColumn]
                    return mask & (Int64(1) << Int64(index % Store.ruleBitsPerColumn)) != 0
                }
                if let onlyRule {
                    guard rule == onlyRule else { continue }
                    if let limit = scope.limit, pool.count + moves.count >= limit { break }
                }
                if let rule, let target = ruleset.rules[rule].toPool {
                    moves.append(PoolMove(leadID: row[0], rule: ruleset.rules[rule].name, pool: target))
                    continue
                }
                pool.append(
                    PoolLead(
                        id: row[0],
                        score: row[1],
                        createdAt: Date(storedSeconds: row[2]),
                        country: row[3],
                        region: row[4],
                        previousOwner: row[5],
                        releasedAt: (row[6] as Int64?).map(Date.init(storedSeconds:)),
                        matchedRule: rule
                    )
                )
            }
            var input = RoundInput(
                ruleset: stored,
                rules: rules,
                reps: plannerReps,
                pool: pool,
                state: try Store.strategyState(db),
                lastEventID: try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? 0
            )
            input.moves = moves
            return input
        }
    }

    /// Rules per integer column of a round's routing query: bits 0…61, clear of the sign bit.
    static let ruleBitsPerColumn = 62

    /// Leads held (open or qualified) per rep.
    static func heldCounts(_ db: Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: "SELECT owner, count(*) FROM leads WHERE owner IS NOT NULL AND \(held) GROUP BY owner"
        )
        while let row = try rows.next() { counts[row[0]] = row[1] }
        return counts
    }

    static func strategyState(_ db: Database) throws -> StrategyState {
        var state = StrategyState()
        for row in try Row.fetchAll(db, sql: "SELECT rule, last_rep FROM round_robin_positions") {
            state.lastAssigned[row[0]] = row[1]
        }
        for row in try Row.fetchAll(db, sql: "SELECT rule, rep, total FROM weighted_totals") {
            state.weightedTotals[row[0], default: [:]][row[1]] = row[2]
        }
        return state
    }

    /// Writes a planned round: the round row first (incomplete), then the assignments in
    /// batches, each batch one IMMEDIATE transaction of about ``bulkBatchTime`` (so a claim
    /// waits at most about that long), then the counts, the strategy state and `complete`. A
    /// killed round leaves whole batches and stays `incomplete`; running `assign` again routes
    /// what is left.
    ///
    /// The plan is written in lead-id order, so each batch is a range of neighbouring rows:
    /// in the plan's order (best first) every batch would touch pages all over the leads table
    /// and write each again to the WAL (about 1.6x the writes' cost at 1M leads). So when
    /// claims made meanwhile fill a rep up, the assignments skipped are the rep's last in id
    /// order, not its lowest-ranked. A batch's size follows the pace of the previous one,
    /// starting at `batchSize` and never above `maxBatchSize`.
    ///
    /// A lead claimed meanwhile is skipped; so is an assignment that would put a rep above
    /// capacity because of claims made while the round ran.
    public func writeRound(
        _ plan: RoundPlan,
        input: RoundInput,
        scope: RoundScope,
        actor: String,
        at now: Date,
        batchSize: Int = 2_000,
        maxBatchSize: Int = 100_000,
        progress: (Int) -> Void = { _ in }
    ) throws -> WrittenRound {
        let started = Date()
        let roundID = try write { db in
            try db.execute(
                sql: """
                    INSERT INTO rounds (started_at, clock, actor, ruleset_version, status, filter, considered, unrouted)
                    VALUES (?, ?, ?, ?, 'incomplete', ?, ?, ?)
                    """,
                arguments: [
                    started.storedSeconds, now.storedSeconds, actor, input.ruleset.version, scope.description,
                    input.pool.count + input.moves.count, plan.unrouted.count,
                ]
            )
            return db.lastInsertedRowID
        }
        var load = RoundLoad(reps: input.reps)
        var skipped: Set<Int64> = []
        var lastEventID = input.lastEventID
        var done = 0
        var size = max(1, min(batchSize, maxBatchSize))
        // The plan's order only mattered for choosing reps, which is done.
        // Positions, not copies: a million assignments' strings would cost ~60 MB more.
        let order = plan.assignments.indices.sorted { plan.assignments[$0].leadID < plan.assignments[$1].leadID }
        try bulkWriting {
            while done < order.count {
                let batch = order[done..<min(done + size, order.count)]
                let batchStarted = DispatchTime.now().uptimeNanoseconds
                try write { db in
                    // Leads other processes gave to reps since the snapshot count against capacity.
                    // `id > ?` is a range of the events' rowid: only the events since the last batch.
                    let newer = try Row.fetchAll(
                        db,
                        sql: """
                            SELECT to_owner, count(*) FROM events
                            WHERE id > ? AND to_owner IS NOT NULL AND kind IN \(EventKind.handovers.sql)
                              AND round_id IS NOT ?
                            GROUP BY to_owner
                            """,
                        arguments: [lastEventID, roundID]
                    )
                    for row in newer { load.gainedElsewhere(row[0], row[1]) }

                    let update = try BulkStatement(
                        db,
                        sql: "UPDATE leads SET owner = ?, claimed_at = ? WHERE id = ? AND owner IS NULL AND status = 'open'"
                    )
                    let insert = try BulkStatement(
                        db,
                        sql: """
                            INSERT INTO events (lead_id, at, actor, kind, to_owner, round_id, rule, reason, recorded_at, recorded_by)
                            VALUES (?, ?, ?, \(EventKind.assigned.sql), ?, ?, ?, ?, ?, ?)
                            """
                    )
                    // The same for every row of the round (the wall clock: of the batch).
                    update.bind(2, now.storedSeconds)
                    insert.bind(2, now.storedSeconds)
                    insert.bind(3, actor)
                    insert.bind(5, roundID)
                    insert.bind(8, Date().storedSeconds)
                    insert.bind(9, login)
                    for position in batch {
                        let assignment = plan.assignments[position]
                        if !load.hasRoom(assignment.rep) {
                            skipped.insert(assignment.leadID)
                            continue
                        }
                        update.bind(1, assignment.rep)
                        update.bind(3, assignment.leadID)
                        try update.execute()
                        guard db.changesCount == 1 else {
                            skipped.insert(assignment.leadID)
                            continue
                        }
                        insert.bind(1, assignment.leadID)
                        insert.bind(4, assignment.rep)
                        insert.bind(6, assignment.rule)
                        insert.bind(7, assignment.reason.description)
                        try insert.execute()
                        load.give(assignment.rep, rule: assignment.rule)
                    }
                    // Everything up to here is counted: ours, and others' (read above, inside this
                    // same transaction, so nothing can slip in between).
                    lastEventID = max(lastEventID, try Int64.fetchOne(db, sql: "SELECT max(id) FROM events") ?? lastEventID)
                }
                done += batch.count
                progress(done)
                // The next batch takes about bulkBatchTime at this batch's pace.
                let took = Double(DispatchTime.now().uptimeNanoseconds - batchStarted) / 1e9
                let paced = Double(batch.count) * Store.bulkBatchTime / max(took, 1e-3)
                size = max(100, min(maxBatchSize, Int(paced), batch.count * 4))
                if done < order.count { usleep(Store.bulkBatchGap) }
            }
        }

        let assigned = load.assigned
        return try write { db in
            // Moves last, each only while its lead is still open and unowned: a claim or the
            // round's own assignments may have taken it meanwhile.
            var moved: [PoolMove] = []
            let pools = Dictionary(input.ruleset.ruleset.pools.map { ($0.name, $0) }) { a, _ in a }
            for move in input.moves {
                guard let lead = try Store.fetchLead(db, id: move.leadID), lead.isPooled, lead.pool != move.pool,
                    let target = pools[move.pool] ?? input.ruleset.ruleset.pool(named: move.pool)
                else { continue }
                try Store.move(db, lead, with: LeadMove(to: target), actor: actor, at: now, roundID: roundID, rule: move.rule, by: login)
                moved.append(move)
            }
            let summary = try load.summary(
                of: plan,
                plannedMoves: input.moves.countByRule,
                movedByRule: moved.countByRule
            ).storedJSON
            try Store.saveStrategyState(db, plan.state, rules: input.rules.map(\.name))
            try db.execute(
                sql: """
                    UPDATE rounds SET status = 'complete', finished_at = ?, assigned = ?, no_capacity = ?, skipped = ?, summary = ?
                    WHERE id = ?
                    """,
                arguments: [Date().storedSeconds, assigned, plan.noCapacity.count, skipped.count, summary, roundID]
            )
            return WrittenRound(record: try Store.fetchRound(db, id: roundID)!, skipped: skipped, moved: moved)
        }
    }

    /// Every column of `rounds`, with `assigned` counted from the round's events while the round
    /// is not complete: a round killed midway has written its batches (each with its events) but
    /// not the total, which its last transaction records.
    static let roundColumns = """
        id, started_at, finished_at, clock, actor, ruleset_version, status, filter, considered,
        CASE WHEN status = 'complete' THEN assigned
             ELSE (SELECT count(*) FROM events WHERE events.round_id = rounds.id AND events.kind = \(EventKind.assigned.sql)) END AS assigned,
        unrouted, no_capacity, skipped, summary
        """

    static func fetchRound(_ db: Database, id: Int64) throws -> RoundRecord? {
        try Row.fetchOne(db, sql: "SELECT \(roundColumns) FROM rounds WHERE id = ?", arguments: [id]).map(RoundRecord.init(row:))
    }

    /// The most recent rounds, newest first.
    public func rounds(limit: Int) throws -> [RoundRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Store.roundColumns) FROM rounds ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(RoundRecord.init(row:))
        }
    }

    /// One round; `notFound` when there is none.
    public func round(_ id: Int64) throws -> RoundRecord {
        guard let round = try read({ try Store.fetchRound($0, id: id) }) else {
            throw LeadPoolError.notFound("no round with id \(id)", hint: "`leadpool rounds list` shows recent rounds")
        }
        return round
    }
}

extension RoundRecord {
    init(row: Row) {
        self.init(
            id: row["id"],
            startedAt: Date(storedSeconds: row["started_at"]),
            finishedAt: (row["finished_at"] as Int64?).map(Date.init(storedSeconds:)),
            clock: Date(storedSeconds: row["clock"]),
            actor: row["actor"],
            rulesetVersion: row["ruleset_version"],
            status: Status(rawValue: row["status"]) ?? .incomplete,
            filter: row["filter"],
            considered: row["considered"],
            assigned: row["assigned"],
            unrouted: row["unrouted"],
            noCapacity: row["no_capacity"],
            skipped: row["skipped"],
            summary: (row["summary"] as String?).flatMap { try? JSONDecoder().decode(RoundSummary.self, from: Data($0.utf8)) }
        )
    }
}

extension RoundSummary {
    /// The text kept in `rounds.summary` (`check` reads each rep's capacity from it).
    var storedJSON: String {
        get throws { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }
    }
}

extension Store {
    /// Gives leads to `rep` by hand, from the pool or from another rep; one `transferred` event each.
    public func transfer(_ ids: [Int64], to handle: String, reason: String?, actor: String, at now: Date) throws -> [LeadOutcome] {
        try TextLimit.note.check(reason.map { [$0] } ?? [], "--reason")
        return try write { db in
            try Store.requireRecipient(db, handle: handle)
            // A pool's admins transfer the leads of their pools; global admins any lead.
            let by = try Store.fetchRep(db, handle: actor)
            let ruleset = by?.role == .admin ? nil : try Store.fetchRuleset(db, version: nil)?.ruleset ?? .standard
            return try transfer(db, ids, to: LeadTransfer(to: handle), reason: reason, actor: actor, at: now) { lead in
                guard let ruleset, let by else { return nil }
                return ruleset.administrationDenial(of: lead, by: by, verb: "transfer")
            }
        }
    }

    /// Transfers each lead or refuses it with the reason, inside the caller's transaction.
    func transfer(
        _ db: Database,
        _ ids: [Int64],
        to transfer: LeadTransfer,
        reason: String?,
        actor: String,
        at now: Date,
        denial: (Lead) -> String? = { _ in nil }
    ) throws -> [LeadOutcome] {
        try ids.map { id in
            guard let lead = try Store.fetchLead(db, id: id) else { return LeadOutcome(leadID: id, result: .notFound) }
            if let denial = denial(lead) { return LeadOutcome(leadID: id, result: .denied(denial)) }
            if let refusal = transfer.refusal(of: lead) { return LeadOutcome(leadID: id, result: .refused(refusal)) }
            try Store.move(db, lead, to: transfer.recipient, at: now)
            try Store.record(db, transfer.event(for: lead, actor: actor, reason: reason, at: now), by: login)
            return LeadOutcome(leadID: id, result: .done)
        }
    }

    /// Moves each lead into `pool` or refuses it with the reason, in one transaction.
    public func move(_ ids: [Int64], toPool pool: String, by actor: Rep, at now: Date) throws -> [LeadOutcome] {
        try write { db in
            let ruleset = try Store.fetchRuleset(db, version: nil)?.ruleset ?? .standard
            let move = LeadMove(to: try ruleset.requirePool(pool))
            return try ids.map { id in
                guard let lead = try Store.fetchLead(db, id: id) else { return LeadOutcome(leadID: id, result: .notFound) }
                if let unmoved = move.unmoved(lead, in: ruleset, by: actor) { return unmoved }
                try Store.move(db, lead, with: move, actor: actor.handle, at: now, by: login)
                return LeadOutcome(leadID: id, result: .done)
            }
        }
    }

    /// Puts `lead` into the move's pool with its `moved` event.
    static func move(
        _ db: Database,
        _ lead: Lead,
        with move: LeadMove,
        actor: String,
        at now: Date,
        roundID: Int64? = nil,
        rule: String? = nil,
        by login: String?
    ) throws {
        try db.cachedStatement(sql: "UPDATE leads SET pool = ?, moved_at = ? WHERE id = ?").execute(arguments: [
            move.pool.name, now.storedSeconds, lead.id,
        ])
        try Store.record(db, move.event(for: lead, actor: actor, at: now, roundID: roundID, rule: rule), by: login)
    }

    /// Checks that `handle` may be given leads by an admin (`transfer`, `reopen --to`): a
    /// known rep (66) who is active (refused, 1).
    static func requireRecipient(_ db: Database, handle: String) throws {
        try LeadTransfer.checkRecipient(try requireRep(db, handle: handle))
    }

    /// Reopens closed leads (``LeadReopen``): each converted or disqualified lead becomes open,
    /// in the pool or owned by `handle`, with one `reopened` event; any other lead is refused
    /// with the reason. One transaction.
    public func reopen(_ ids: [Int64], to handle: String?, actor: String, at now: Date) throws -> [LeadOutcome] {
        try write { db in
            if let handle { try Store.requireRecipient(db, handle: handle) }
            let reopen = LeadReopen(to: handle)
            return try ids.map { id in
                guard let lead = try Store.fetchLead(db, id: id) else { return LeadOutcome(leadID: id, result: .notFound) }
                if let reason = reopen.refusal(of: lead) { return LeadOutcome(leadID: id, result: .refused(reason)) }
                let reopened = reopen.applied(to: lead, at: now)
                try db.cachedStatement(sql: "UPDATE leads SET status = ?, owner = ?, claimed_at = ? WHERE id = ?")
                    .execute(arguments: [reopened.status.rawValue, reopened.owner, reopened.claimedAt?.storedSeconds, id])
                try Store.record(db, reopen.event(for: lead, actor: actor, at: now), by: login)
                return LeadOutcome(leadID: id, result: .done)
            }
        }
    }

    /// Sets a new owner; a previous owner starts the cooldown as on release.
    static func move(_ db: Database, _ lead: Lead, to handle: String, at now: Date) throws {
        if lead.owner != nil {
            try db.cachedStatement(sql: "UPDATE leads SET owner = ?, claimed_at = ?, previous_owner = owner, released_at = ? WHERE id = ?")
                .execute(arguments: [handle, now.storedSeconds, now.storedSeconds, lead.id])
        } else {
            try db.cachedStatement(sql: "UPDATE leads SET owner = ?, claimed_at = ? WHERE id = ?")
                .execute(arguments: [handle, now.storedSeconds, lead.id])
        }
    }

    /// The ids of the open or qualified leads a rep owns.
    public func heldLeadIDs(of handle: String) throws -> [Int64] {
        try read { db in
            try Int64.fetchAll(
                db,
                sql: "SELECT id FROM leads WHERE owner = ? AND \(Store.held) ORDER BY id",
                arguments: [handle]
            )
        }
    }
}
