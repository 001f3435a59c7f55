import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

/// First-touch deadlines: which given leads wait for their first touch, and the escalation of
/// those that missed it, decided by the core (``PendingFirstTouch``, ``PlannedEscalation``)
/// inside one transaction, as on SQLite.
extension PostgresSQL {
    /// The leads given to their owner (the latest ownership change is an `assigned`,
    /// `transferred` or `escalated` event to them), open, with no activity since, and not
    /// already escalated for this ownership, that `first-touch` applies to, in id order; with
    /// `pools`, only leads now in those pools (`reclaim --pool`); with `owner`, only that rep's.
    /// `locked` locks the leads read until the transaction ends (an escalation writes them).
    func pendingFirstTouches(
        _ ruleset: Ruleset,
        at now: Date,
        pools: [String]?,
        owner: String?,
        locked: Bool = false
    ) throws
        -> [PendingFirstTouch]
    {
        guard ruleset.firstTouch != nil else { return [] }
        var statement = PostgresStatement()
        let escalations = statement.bind(kinds: EventKind.firstTouchEscalations)
        let ownershipChanges = statement.bind(kinds: EventKind.ownershipChanges)
        let givings = statement.bind(kinds: EventKind.givings)
        let missed = statement.bind(.text(EventKind.firstTouchMissed.rawValue))
        let inPools = CompiledReclaim.inPools(pools, dialect: .postgresql, firstParameter: statement.values.count + 1)
        statement.values += inPools.values
        let ownedBy = owner.map { " AND leads.owner = \(statement.bind(.text($0)))" } ?? ""
        statement.sql = """
            SELECT \(Lead.postgresColumns), e.rule AS giving_rule,
                (SELECT string_agg(m.from_owner, chr(31) ORDER BY m.id) FROM events m
                 WHERE m.lead_id = leads.id AND m.kind = ANY(\(escalations))) AS missed_by
            FROM \(PostgresSQL.leadRows) JOIN events e ON e.id = (
                SELECT max(id) FROM events WHERE events.lead_id = leads.id AND events.kind = ANY(\(ownershipChanges)))
            WHERE leads.owner IS NOT NULL AND leads.status = 'open' AND leads.claimed_at IS NOT NULL
              AND (leads.last_activity_at IS NULL OR leads.last_activity_at < leads.claimed_at)
              AND e.kind = ANY(\(givings)) AND e.to_owner = leads.owner
              AND NOT EXISTS (SELECT 1 FROM events k WHERE k.lead_id = leads.id AND k.id > e.id AND k.kind = \(missed))
              AND \(inPools.sql)\(ownedBy)
            ORDER BY leads.id\(locked ? " FOR UPDATE OF leads" : "")
            """
        let reps = Dictionary(
            try rows(PostgresQuery(unsafeSQL: Rep.postgresSelection)).map(Rep.init(postgres:)).map { ($0.handle, $0) },
            uniquingKeysWith: { a, _ in a }
        )
        let context = ruleset.conditionContext(now: now)
        return try rows(statement.query).compactMap { row in
            PendingFirstTouch(
                lead: try Lead(postgres: row),
                routedBy: try row["giving_rule"],
                missedBy: try row["missed_by"],
                ruleset: ruleset,
                context: context,
                reps: reps,
                at: now
            )
        }
    }

    /// Decides the escalation of each missed deadline (``PlannedEscalation``); writes them when
    /// `runBy` is set (a run), else only tells (a dry run).
    ///
    /// A run locks every rep's row first (as a claim locks its rep's, and in the same order as a
    /// round's batches), then the leads: the loads it reassigns by are the loads it writes against.
    func escalate(_ ruleset: Ruleset, at now: Date, pools: [String]?, runBy: String?, login: String) throws -> [FirstTouchEscalated] {
        if runBy != nil { try execute("SELECT 1 FROM reps ORDER BY handle FOR UPDATE") }
        let pending = try pendingFirstTouches(ruleset, at: now, pools: pools, owner: nil, locked: runBy != nil)
        guard pending.contains(where: \.standing.isMissed) else { return [] }
        let reps = try rows(PostgresQuery(unsafeSQL: Rep.postgresSelection + " ORDER BY handle")).map(Rep.init(postgres:))
        var state = try strategyState()
        let planned = PlannedEscalation.plan(pending, ruleset: ruleset, reps: reps, held: try heldCounts(), state: &state, at: now)
        guard let runBy else { return planned.map(\.escalated) }
        for escalation in planned {
            let id = escalation.pending.lead.id
            switch escalation.escalated.escalation {
            case .reassign(let to, _, _): try give(escalation.pending.lead, to: to, at: now)
            case .pool:
                try execute(
                    """
                    UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open', previous_owner = owner, released_at = \(now.storedSeconds)
                    WHERE id = \(id)
                    """
                )
            case .keep: break
            }
            try record(escalation.event(runBy: runBy, at: now), by: login)
        }
        try saveStrategyState(state, rules: planned.changedRules)
        return planned.map(\.escalated)
    }
}

extension PostgresStatement {
    /// `$n` for an array of event kinds, appended to the values.
    mutating func bind(kinds: [EventKind]) -> String {
        kinds.isEmpty ? "ARRAY[]::text[]" : "ARRAY[\(kinds.map { bind(.text($0.rawValue)) }.joined(separator: ", "))]"
    }
}

// MARK: - LeadStorage: first touch

extension PostgresStore {
    public func firstTouchStandings(_ ruleset: Ruleset, at now: Date, pools: [String]?, owner: String?) throws -> [FirstTouchStanding] {
        try transaction(readOnly: true) { sql in
            PendingFirstTouch.standings(try sql.pendingFirstTouches(ruleset, at: now, pools: pools, owner: owner))
        }
    }

    public func firstTouchEscalations(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [FirstTouchEscalated] {
        try transaction(readOnly: true) { try $0.escalate(ruleset, at: now, pools: pools, runBy: nil, login: login) }
    }

    /// Escalates every missed first-touch deadline at `now` by the ruleset's `then`, each once,
    /// in one transaction (the reclaim lock held by the caller).
    func escalateFirstTouches(_ ruleset: Ruleset, at now: Date, pools: [String]?, runBy: String) throws -> [FirstTouchEscalated] {
        guard ruleset.firstTouch != nil else { return [] }
        return try transaction { try $0.escalate(ruleset, at: now, pools: pools, runBy: runBy, login: login) }
    }
}
