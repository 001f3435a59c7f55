import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

/// First-touch deadlines: which given leads wait for their first touch, and the escalation of
/// those that missed it, decided by the core (``Ruleset/FirstTouchPolicy``,
/// ``Ruleset/escalation(of:missedBy:routedBy:reps:held:state:at:)``) inside one transaction.
extension Store {
    /// The leads given to their owner (the latest ownership change is an `assigned`,
    /// `transferred` or `escalated` event to them), open, with no activity since, and not
    /// already escalated for this ownership, that `first-touch` applies to, in id order; with
    /// `pools`, only leads now in those pools (`reclaim --pool`); with `owner`, only that rep's.
    ///
    /// Any activity the owner records counts as the first touch: `touch`, `qualify`,
    /// `convert`, `disqualify` (each sets the lead's last activity time).
    static func pendingFirstTouches(
        _ db: Database,
        _ ruleset: Ruleset,
        at now: Date,
        pools: [String]?,
        owner: String?
    ) throws -> [PendingFirstTouch] {
        guard ruleset.firstTouch != nil else { return [] }
        let inPools = ReclaimSQL.inPools(pools)
        let sql = """
            SELECT \(Lead.columns), e.rule AS giving_rule,
                (SELECT group_concat(m.from_owner, char(31)) FROM events m
                 WHERE m.lead_id = leads.id AND m.kind IN \(EventKind.firstTouchEscalations.sql)) AS missed_by
            FROM leads JOIN events e ON e.id = (
                SELECT max(id) FROM events WHERE events.lead_id = leads.id AND events.kind IN \(EventKind.ownershipChanges.sql))
            WHERE leads.owner IS NOT NULL AND leads.status = 'open' AND leads.claimed_at IS NOT NULL
              AND (leads.last_activity_at IS NULL OR leads.last_activity_at < leads.claimed_at)
              AND e.kind IN \(EventKind.givings.sql) AND e.to_owner = leads.owner
              AND NOT EXISTS (SELECT 1 FROM events k WHERE k.lead_id = leads.id AND k.id > e.id
                              AND k.kind = \(EventKind.firstTouchMissed.sql))
              AND \(inPools.sql)\(owner == nil ? "" : " AND leads.owner = ?")
            ORDER BY leads.id
            """
        let reps = Dictionary(
            try Row.fetchAll(db, sql: Rep.selection).map { row in
                let rep = Rep(row: row)
                return (rep.handle, rep)
            },
            uniquingKeysWith: { a, _ in a }
        )
        let context = ruleset.conditionContext(now: now)
        var pending: [PendingFirstTouch] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: inPools.arguments + StatementArguments([owner].compactMap { $0 }))
        while let row = try rows.next() {
            let judged = PendingFirstTouch(
                lead: Lead(row: row),
                routedBy: row["giving_rule"],
                missedBy: row["missed_by"],
                ruleset: ruleset,
                context: context,
                reps: reps,
                at: now
            )
            if let judged { pending.append(judged) }
        }
        return pending
    }

    public func firstTouchStandings(_ ruleset: Ruleset, at now: Date, pools: [String]?, owner: String?) throws -> [FirstTouchStanding] {
        try read { db in
            PendingFirstTouch.standings(try Store.pendingFirstTouches(db, ruleset, at: now, pools: pools, owner: owner))
        }
    }

    public func firstTouchEscalations(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [FirstTouchEscalated] {
        try read { db in try escalate(db, ruleset, at: now, pools: pools, runBy: nil) }
    }

    /// Escalates every missed first-touch deadline at `now` by the ruleset's `then`, each once,
    /// in one IMMEDIATE transaction (the reclaim lock held by the caller).
    func escalateFirstTouches(_ ruleset: Ruleset, at now: Date, pools: [String]?, runBy: String) throws -> [FirstTouchEscalated] {
        guard ruleset.firstTouch != nil else { return [] }
        return try write { db in try escalate(db, ruleset, at: now, pools: pools, runBy: runBy) }
    }

    /// Decides the escalation of each missed deadline in lead-id order, each seeing the loads
    /// and strategy positions the ones before it left (``PlannedEscalation``); writes them when
    /// `runBy` is set (a run), else only tells (a dry run).
    func escalate(_ db: Database, _ ruleset: Ruleset, at now: Date, pools: [String]?, runBy: String?) throws -> [FirstTouchEscalated] {
        let pending = try Store.pendingFirstTouches(db, ruleset, at: now, pools: pools, owner: nil)
        guard pending.contains(where: \.standing.isMissed) else { return [] }
        let reps = try Row.fetchAll(db, sql: Rep.selection + " ORDER BY handle").map(Rep.init(row:))
        var state = try Store.strategyState(db)
        let planned = PlannedEscalation.plan(pending, ruleset: ruleset, reps: reps, held: try Store.heldCounts(db), state: &state, at: now)
        guard let runBy else { return planned.map(\.escalated) }
        for escalation in planned {
            switch escalation.escalated.escalation {
            case .reassign(let to, _, _): try Store.move(db, escalation.pending.lead, to: to, at: now)
            case .pool:
                try db.execute(
                    sql: """
                        UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open', previous_owner = owner, released_at = ?
                        WHERE id = ?
                        """,
                    arguments: [now.storedSeconds, escalation.pending.lead.id]
                )
            case .keep: break
            }
            try Store.record(db, escalation.event(runBy: runBy, at: now), by: login)
        }
        try Store.saveStrategyState(db, state, rules: planned.changedRules)
        return planned.map(\.escalated)
    }

    /// Stores the strategy positions and totals of `rules` from `state` (the others are left
    /// as they are).
    static func saveStrategyState(_ db: Database, _ state: StrategyState, rules: some Sequence<String>) throws {
        for rule in rules {
            try db.execute(sql: "DELETE FROM round_robin_positions WHERE rule = ?", arguments: [rule])
            try db.execute(sql: "DELETE FROM weighted_totals WHERE rule = ?", arguments: [rule])
            if let rep = state.lastAssigned[rule] {
                try db.execute(sql: "INSERT INTO round_robin_positions (rule, last_rep) VALUES (?, ?)", arguments: [rule, rep])
            }
            for (rep, total) in state.weightedTotals[rule] ?? [:] {
                try db.execute(sql: "INSERT INTO weighted_totals (rule, rep, total) VALUES (?, ?, ?)", arguments: [rule, rep, total])
            }
        }
    }
}
