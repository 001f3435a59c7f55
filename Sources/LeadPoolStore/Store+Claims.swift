import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

extension Store {
    /// The rep's standing at `now`. "Today" is the whole local day of `now` in the rep's zone,
    /// later claims included: a claim dated back into a day counts every claim of that day, not
    /// only the earlier ones.
    static func budget(_ db: Database, rep: Rep, policy: ClaimPolicy, now: Date) throws -> ClaimBudget {
        let clock = policy.clock(of: rep)
        let day = clock.day(containing: now)
        let claimedToday =
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM events WHERE kind = \(EventKind.claimed.sql) AND to_owner = ? AND at >= ? AND at < ?",
                arguments: [rep.handle, day.lowerBound.storedSeconds, day.upperBound.storedSeconds]
            ) ?? 0
        return ClaimBudget(
            held: try heldCount(db, handle: rep.handle),
            claimedToday: claimedToday,
            capacity: policy.capacity(of: rep),
            dailyLimit: policy.dailyLimit(of: rep),
            day: clock.localDate(of: now)
        )
    }

    /// The rep's standing against `pool`'s claim limits at `now`: the pool's leads it holds, and
    /// its claims from the pool during its local day (a claim event names the pool it took the
    /// lead from; one written before pools existed took it from `main`).
    static func poolBudget(_ db: Database, rep: Rep, pool: Ruleset.Pool, policy: ClaimPolicy, now: Date) throws -> PoolBudget {
        let day = policy.day(of: now, for: rep)
        let held =
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM leads WHERE owner = ? AND pool = ? AND \(Store.held)",
                arguments: [rep.handle, pool.name]
            ) ?? 0
        let claimedToday =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM events WHERE kind = \(EventKind.claimed.sql) AND to_owner = ? AND at >= ? AND at < ?
                    AND coalesce(json_extract(detail, '$.pool'), 'main') = ?
                    """,
                arguments: [rep.handle, day.lowerBound.storedSeconds, day.upperBound.storedSeconds, pool.name]
            ) ?? 0
        return PoolBudget(pool: pool.name, held: held, claimedToday: claimedToday, capacity: pool.capacity, dailyLimit: pool.dailyLimit)
    }

    /// What `rep` holds and claimed today against its effective limits, for `rep show` and `mine`.
    public func claimBudget(for rep: Rep, at now: Date) throws -> ClaimBudget {
        try read { try Store.budget($0, rep: rep, policy: try Store.claimPolicy($0), now: now) }
    }

    /// What `rep` holds from and claimed today from each pool with claim limits it is a member of.
    public func poolBudgets(for rep: Rep, at now: Date) throws -> [PoolBudget] {
        try read { try Store.poolBudgets($0, rep: rep, policy: try Store.claimPolicy($0), now: now) }
    }

    static func poolBudgets(_ db: Database, rep: Rep, policy: ClaimPolicy, now: Date) throws -> [PoolBudget] {
        try policy.limitedPools(visibleTo: rep).map { try poolBudget(db, rep: rep, pool: $0, policy: policy, now: now) }
    }

    /// Takes one pool lead for `rep` with a conditional write, so a racing claim or round
    /// can never make two owners: the UPDATE only lands while the lead is still unowned.
    ///
    /// The event keeps the budget the claim was checked against and the pool it came from
    /// (``ClaimBudget/claimEventDetail(pool:poolDailyLimit:)``).
    private func take(
        _ db: Database,
        leadID: Int64,
        pool: String,
        poolDailyLimit: Int?,
        rep: String,
        budget: ClaimBudget,
        now: Date
    ) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE leads SET owner = ?, claimed_at = ? WHERE id = ? AND owner IS NULL AND status = 'open'")
            .execute(arguments: [rep, now.storedSeconds, leadID])
        guard db.changesCount == 1 else { return false }
        try Store.record(
            db,
            LeadEvent(
                leadID: leadID,
                at: now,
                actor: rep,
                kind: .claimed,
                fromOwner: nil,
                toOwner: rep,
                detail: budget.claimEventDetail(pool: pool, poolDailyLimit: poolDailyLimit)
            ),
            by: login
        )
        return true
    }

    /// How `lead` last left its owner (for a cooldown refusal).
    private static func exit(_ db: Database, of lead: Lead) throws -> LeadExit {
        let kind = try String.fetchOne(
            db,
            sql:
                "SELECT kind FROM events WHERE lead_id = ? AND (kind = \(EventKind.released.sql) OR kind = \(EventKind.reclaimed.sql)) ORDER BY id DESC LIMIT 1",
            arguments: [lead.id]
        ).flatMap(EventKind.init(rawValue:))
        return kind == .reclaimed ? .reclaimed : .released
    }

    /// Claims each lead or refuses it with the reason, in one IMMEDIATE transaction.
    public func claim(_ ids: [Int64], for rep: Rep, at now: Date) throws -> [LeadOutcome] {
        try write { db in
            let policy = try Store.claimPolicy(db)
            var budget = try Store.budget(db, rep: rep, policy: policy, now: now)
            var pools = PoolBudgets()
            let read = { (pool: Ruleset.Pool) in try Store.poolBudget(db, rep: rep, pool: pool, policy: policy, now: now) }
            return try ids.map { id in
                guard let lead = try Store.fetchLead(db, id: id) else { return LeadOutcome(leadID: id, result: .notFound) }
                if let refusal = try policy.claimRefusal(of: lead, by: rep, at: now, exit: { try Store.exit(db, of: lead) }) {
                    return LeadOutcome(leadID: id, result: .refused(refusal))
                }
                if let refusal = policy.poolRefusal(of: lead, by: rep, at: now) { return refusal.outcome(for: id) }
                if let reason = budget.refusal { return LeadOutcome(leadID: id, result: .refused(reason)) }
                if let pool = policy.pool(named: lead.pool), let reason = try pools.refusal(pool, read: read) {
                    return LeadOutcome(leadID: id, result: .refused(reason))
                }
                let limit = policy.pool(named: lead.pool)?.dailyLimit
                guard try take(db, leadID: id, pool: lead.pool, poolDailyLimit: limit, rep: rep.handle, budget: budget, now: now) else {
                    return LeadOutcome(leadID: id, result: .refused(ClaimBudget.takenMeanwhile))
                }
                budget.take()
                pools.take(lead.pool)
                return LeadOutcome(leadID: id, result: .done)
            }
        }
    }

    /// Claims the best-scoring pool leads matching `query` that `rep` may take, up to `count`
    /// and the rep's room. Returns the leads claimed (possibly none) and, when fewer than
    /// `count`, what stopped it: the capacity, the daily limit, or no more leads to take.
    public func claimNext(
        _ count: Int,
        matching query: LeadQuery,
        for rep: Rep,
        at now: Date
    ) throws -> (claimed: [Int64], stop: String?) {
        try write { db in
            let policy = try Store.claimPolicy(db)
            var budget = try Store.budget(db, rep: rep, policy: policy, now: now)
            if let refusal = budget.refusal { return ([], refusal) }
            let query = NextClaims.query(query, for: rep, policy: policy)
            let (clause, order, arguments) = try Store.sql(for: query, now: now)
            let want = min(count, budget.room)
            var claimed: [Int64] = []
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(Lead.columns) FROM leads WHERE \(clause)
                    AND NOT (previous_owner IS ? AND released_at > ?)
                    ORDER BY \(order)
                    """,
                arguments: arguments + [rep.handle, policy.cooldownFloor(at: now)?.storedSeconds ?? Int64.max]
            )
            var next = NextClaims(policy: policy, rep: rep, now: now, want: want)
            while !next.isComplete, let row = try cursor.next() {
                try next.consider(Lead(row: row)) { try Store.poolBudget(db, rep: rep, pool: $0, policy: policy, now: now) }
            }
            for lead in next.candidates
            where try take(
                db,
                leadID: lead.id,
                pool: lead.pool,
                poolDailyLimit: policy.pool(named: lead.pool)?.dailyLimit,
                rep: rep.handle,
                budget: budget,
                now: now
            ) {
                claimed.append(lead.id)
                budget.take()
            }
            guard claimed.count < count else { return (claimed, nil) }
            return (claimed, next.stop(after: budget))
        }
    }
}

extension Store {
    /// Applies `action` to each lead or refuses it with the reason; one event per lead changed,
    /// all in one transaction.
    public func perform(_ action: LeadAction, on ids: [Int64], by actor: Rep, at now: Date) throws -> [LeadOutcome] {
        try action.checkText()
        return try write { db in try perform(db, action, on: ids, by: actor, at: now) }
    }

    /// `perform` inside the caller's transaction.
    func perform(_ db: Database, _ action: LeadAction, on ids: [Int64], by actor: Rep, at now: Date) throws -> [LeadOutcome] {
        try ids.map { id in
            guard let lead = try Store.fetchLead(db, id: id) else { return LeadOutcome(leadID: id, result: .notFound) }
            if let reason = action.refusal(of: lead, by: actor) {
                return LeadOutcome(leadID: id, result: .refused(reason))
            }
            let sql: String
            switch action {
            case .release:
                // A released lead goes back to the pool open, whatever stage it had reached.
                sql = """
                    UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open',
                        previous_owner = owner, released_at = :now WHERE id = :id
                    """
            case .touch:
                sql = "UPDATE leads SET last_activity_at = :now WHERE id = :id"
            case .qualify:
                sql = "UPDATE leads SET status = 'qualified', last_activity_at = :now WHERE id = :id"
            case .convert:
                sql = "UPDATE leads SET status = 'converted', last_activity_at = :now WHERE id = :id"
            case .disqualify:
                sql = "UPDATE leads SET status = 'disqualified', last_activity_at = :now WHERE id = :id"
            }
            try db.cachedStatement(sql: sql).execute(arguments: ["now": now.storedSeconds, "id": id])
            try Store.record(db, action.event(for: lead, actor: actor.handle, at: now), by: login)
            return LeadOutcome(leadID: id, result: .done)
        }
    }

    /// What `mine` shows: the leads `rep` holds with their reclaim forecast, its claim budget
    /// and the reclaim policy, read in one snapshot.
    public func heldLeads(of rep: Rep, at now: Date) throws -> HeldLeads {
        try read { db in
            let ruleset = try Store.fetchRuleset(db, version: nil)?.ruleset ?? .standard
            let (clause, order, arguments) = try Store.sql(for: LeadQuery(ownership: .ownedBy(rep.handle)), now: now)
            let leads = try Row.fetchAll(
                db,
                sql: "SELECT \(Lead.columns) FROM leads WHERE \(clause) ORDER BY \(order)",
                arguments: arguments
            ).map(Lead.init(row:))
            let policy = ruleset.reclaimPolicy
            let claims = try Store.claimPolicy(db)
            return HeldLeads(
                leads: policy.forecasts(for: leads, ownerActive: rep.active, owner: rep, in: ruleset.conditionContext(now: now)),
                budget: try Store.budget(db, rep: rep, policy: claims, now: now),
                policy: policy,
                pools: try Store.poolBudgets(db, rep: rep, policy: claims, now: now)
            )
        }
    }
}
