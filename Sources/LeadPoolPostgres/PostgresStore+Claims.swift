import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

extension PostgresSQL {
    /// The rep's standing at `now`: "today" is the whole local day of `now` in the rep's zone.
    func budget(of rep: Rep, policy: ClaimPolicy, now: Date) throws -> ClaimBudget {
        let clock = policy.clock(of: rep)
        let day = clock.day(containing: now)
        let claimedToday =
            try value(
                """
                SELECT count(*) FROM events WHERE kind = 'claimed' AND to_owner = \(rep.handle)
                AND at >= \(day.lowerBound.storedSeconds) AND at < \(day.upperBound.storedSeconds)
                """,
                as: Int.self
            ) ?? 0
        return ClaimBudget(
            held: try heldCount(rep.handle),
            claimedToday: claimedToday,
            capacity: policy.capacity(of: rep),
            dailyLimit: policy.dailyLimit(of: rep),
            day: clock.localDate(of: now)
        )
    }

    /// The rep's standing against `pool`'s claim limits at `now`: the pool's leads it holds, and
    /// its claims from the pool during its local day (a claim event names the pool it took the
    /// lead from; one written before pools existed took it from `main`).
    func poolBudget(of rep: Rep, in pool: Ruleset.Pool, policy: ClaimPolicy, now: Date) throws -> PoolBudget {
        let day = policy.day(of: now, for: rep)
        let held =
            try value(
                PostgresQuery(
                    unsafeSQL: "SELECT count(*) FROM leads WHERE owner = $1 AND pool = $2 AND \(Self.held)",
                    binds: binds(rep.handle, pool.name)
                ),
                as: Int.self
            ) ?? 0
        let claimedToday =
            try value(
                """
                SELECT count(*) FROM events WHERE kind = 'claimed' AND to_owner = \(rep.handle)
                AND at >= \(day.lowerBound.storedSeconds) AND at < \(day.upperBound.storedSeconds)
                AND coalesce(detail ->> 'pool', 'main') = \(pool.name)
                """,
                as: Int.self
            ) ?? 0
        return PoolBudget(pool: pool.name, held: held, claimedToday: claimedToday, capacity: pool.capacity, dailyLimit: pool.dailyLimit)
    }

    /// The rep's standing in each pool with claim limits it is a member of.
    func poolBudgets(of rep: Rep, policy: ClaimPolicy, now: Date) throws -> [PoolBudget] {
        try policy.limitedPools(visibleTo: rep).map { try poolBudget(of: rep, in: $0, policy: policy, now: now) }
    }

    /// Holds the rep's row until the transaction ends, so two claims by one rep at once count
    /// each other's leads against the limits (claims by other reps go on in parallel).
    func lockBudget(of rep: Rep) throws {
        try execute("SELECT 1 FROM reps WHERE handle = \(rep.handle) FOR UPDATE")
    }

    /// Locks the rows of the leads `ids` names in ascending id order, as a round's batches do,
    /// so transactions that each change several leads cannot wait on one another in a circle
    /// (two claims naming the same leads in different orders, or a claim and a round).
    func lockLeads(_ ids: [Int64]) throws {
        guard ids.count > 1 else { return }
        try execute("SELECT 1 FROM leads WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE OF leads")
    }

    /// Takes one pool lead for `rep` with a conditional write: it only lands while the lead is
    /// still unowned, so a racing claim or round can never make two owners.
    /// The event keeps the budget the claim was checked against and the pool it came from.
    func take(_ id: Int64, pool: String, poolDailyLimit: Int?, for rep: String, budget: ClaimBudget, now: Date, login: String) throws -> Bool {
        let changed = try execute(
            "UPDATE leads SET owner = \(rep), claimed_at = \(now.storedSeconds) WHERE id = \(id) AND owner IS NULL AND status = 'open'"
        )
        guard changed == 1 else { return false }
        try record(
            LeadEvent(
                leadID: id,
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
    func exit(of lead: Lead) throws -> LeadExit {
        let kind = try value(
            "SELECT kind FROM events WHERE lead_id = \(lead.id) AND kind IN ('released', 'reclaimed') ORDER BY id DESC LIMIT 1",
            as: String.self
        )
        return kind == EventKind.reclaimed.rawValue ? .reclaimed : .released
    }

    /// Applies `action` to each lead or refuses it with the reason; one event per lead changed.
    func perform(_ action: LeadAction, on ids: [Int64], by actor: Rep, at now: Date, login: String) throws -> [LeadOutcome] {
        try lockLeads(ids)
        return try ids.map { id in
            guard let lead = try lead(id, locked: true) else { return LeadOutcome(leadID: id, result: .notFound) }
            if let reason = action.refusal(of: lead, by: actor) { return LeadOutcome(leadID: id, result: .refused(reason)) }
            let at = now.storedSeconds
            switch action {
            case .release:
                // A released lead goes back to the pool open, whatever stage it had reached.
                try execute(
                    """
                    UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open', previous_owner = owner, released_at = \(at)
                    WHERE id = \(id)
                    """
                )
            case .touch: try execute("UPDATE leads SET last_activity_at = \(at) WHERE id = \(id)")
            case .qualify: try execute("UPDATE leads SET status = 'qualified', last_activity_at = \(at) WHERE id = \(id)")
            case .convert: try execute("UPDATE leads SET status = 'converted', last_activity_at = \(at) WHERE id = \(id)")
            case .disqualify: try execute("UPDATE leads SET status = 'disqualified', last_activity_at = \(at) WHERE id = \(id)")
            }
            try record(action.event(for: lead, actor: actor.handle, at: now), by: login)
            return LeadOutcome(leadID: id, result: .done)
        }
    }

    /// Transfers each lead or refuses it with the reason (`denial`: why the actor may not).
    func transfer(
        _ ids: [Int64],
        to transfer: LeadTransfer,
        reason: String?,
        actor: String,
        at now: Date,
        login: String,
        denial: (Lead) -> String? = { _ in nil }
    ) throws -> [LeadOutcome] {
        try lockLeads(ids)
        return try ids.map { id in
            guard let lead = try lead(id, locked: true) else { return LeadOutcome(leadID: id, result: .notFound) }
            if let denial = denial(lead) { return LeadOutcome(leadID: id, result: .denied(denial)) }
            if let refusal = transfer.refusal(of: lead) { return LeadOutcome(leadID: id, result: .refused(refusal)) }
            try give(lead, to: transfer.recipient, at: now)
            try record(transfer.event(for: lead, actor: actor, reason: reason, at: now), by: login)
            return LeadOutcome(leadID: id, result: .done)
        }
    }

    /// Sets a new owner; a previous owner starts the cooldown as on release.
    func give(_ lead: Lead, to handle: String, at now: Date) throws {
        let at = now.storedSeconds
        if lead.owner != nil {
            try execute("UPDATE leads SET owner = \(handle), claimed_at = \(at), previous_owner = owner, released_at = \(at) WHERE id = \(lead.id)")
        } else {
            try execute("UPDATE leads SET owner = \(handle), claimed_at = \(at) WHERE id = \(lead.id)")
        }
    }

    /// Checks that `handle` may be given leads by an admin: a known rep (66) who is active (1).
    func requireRecipient(_ handle: String) throws {
        try LeadTransfer.checkRecipient(try requireRep(handle))
    }
}

// MARK: - LeadStorage: claims and an admin's moves

extension PostgresStore {
    public func claimBudget(for rep: Rep, at now: Date) throws -> ClaimBudget {
        try transaction(readOnly: true) { try $0.budget(of: rep, policy: try $0.claimPolicy(), now: now) }
    }

    public func claim(_ ids: [Int64], for rep: Rep, at now: Date) throws -> [LeadOutcome] {
        try transaction { sql in
            try sql.lockBudget(of: rep)
            let policy = try sql.claimPolicy()
            var budget = try sql.budget(of: rep, policy: policy, now: now)
            var pools = PoolBudgets()
            let read = { (pool: Ruleset.Pool) in try sql.poolBudget(of: rep, in: pool, policy: policy, now: now) }
            try sql.lockLeads(ids)
            return try ids.map { id in
                guard let lead = try sql.lead(id) else { return LeadOutcome(leadID: id, result: .notFound) }
                if let refusal = try policy.claimRefusal(of: lead, by: rep, at: now, exit: { try sql.exit(of: lead) }) {
                    return LeadOutcome(leadID: id, result: .refused(refusal))
                }
                if let refusal = policy.poolRefusal(of: lead, by: rep, at: now) { return refusal.outcome(for: id) }
                if let reason = budget.refusal { return LeadOutcome(leadID: id, result: .refused(reason)) }
                let pool = policy.pool(named: lead.pool)
                if let pool, let reason = try pools.refusal(pool, read: read) { return LeadOutcome(leadID: id, result: .refused(reason)) }
                guard try sql.take(id, pool: lead.pool, poolDailyLimit: pool?.dailyLimit, for: rep.handle, budget: budget, now: now, login: login)
                else {
                    return LeadOutcome(leadID: id, result: .refused(ClaimBudget.takenMeanwhile))
                }
                budget.take()
                pools.take(lead.pool)
                return LeadOutcome(leadID: id, result: .done)
            }
        }
    }

    public func perform(_ action: LeadAction, on ids: [Int64], by actor: Rep, at now: Date) throws -> [LeadOutcome] {
        try action.checkText()
        return try transaction { try $0.perform(action, on: ids, by: actor, at: now, login: login) }
    }

    public func transfer(_ ids: [Int64], to handle: String, reason: String?, actor: String, at now: Date) throws -> [LeadOutcome] {
        try TextLimit.note.check(reason.map { [$0] } ?? [], "--reason")
        return try transaction { sql in
            try sql.requireRecipient(handle)
            // A pool's admins transfer the leads of their pools; global admins any lead.
            let by = try sql.rep(actor)
            let ruleset = by?.role == .admin ? nil : try sql.currentRuleset()?.ruleset ?? .standard
            return try sql.transfer(ids, to: LeadTransfer(to: handle), reason: reason, actor: actor, at: now, login: login) { lead in
                guard let ruleset, let by else { return nil }
                return ruleset.administrationDenial(of: lead, by: by, verb: "transfer")
            }
        }
    }

    public func reopen(_ ids: [Int64], to handle: String?, actor: String, at now: Date) throws -> [LeadOutcome] {
        try transaction { sql in
            if let handle { try sql.requireRecipient(handle) }
            let reopen = LeadReopen(to: handle)
            return try ids.map { id in
                guard let lead = try sql.lead(id, locked: true) else { return LeadOutcome(leadID: id, result: .notFound) }
                if let reason = reopen.refusal(of: lead) { return LeadOutcome(leadID: id, result: .refused(reason)) }
                let reopened = reopen.applied(to: lead, at: now)
                try sql.execute(
                    """
                    UPDATE leads SET status = \(reopened.status.rawValue), owner = \(reopened.owner), claimed_at = \(reopened.claimedAt?.storedSeconds)
                    WHERE id = \(id)
                    """
                )
                try sql.record(reopen.event(for: lead, actor: actor, at: now), by: login)
                return LeadOutcome(leadID: id, result: .done)
            }
        }
    }

    public func deactivate(_ handle: String, leads: DeactivatedLeads, by actor: Rep, at now: Date) throws -> Deactivation {
        let reason = "rep \(handle) deactivated"
        return try transaction { sql in
            // The receiver first, so a bad handle leaves all as it was.
            if case .transfer(let receiver) = leads {
                guard try sql.requireRep(receiver).active else { throw LeadPoolError.refused("'\(receiver)' is deactivated too") }
            }
            let rep = try sql.requireRep(handle)
            try sql.keepAnAdmin(losing: rep)
            try sql.execute("UPDATE reps SET active = FALSE WHERE handle = \(handle)")
            let held = try sql.values(
                PostgresQuery(unsafeSQL: "SELECT id FROM leads WHERE owner = $1 AND \(PostgresSQL.held) ORDER BY id", binds: sql.binds(handle)),
                as: Int64.self
            )
            var outcomes: [LeadOutcome] = []
            if !held.isEmpty {
                switch leads {
                case .keep: break
                case .release: outcomes = try sql.perform(.release(reason: reason), on: held, by: actor, at: now, login: login)
                case .transfer(let receiver):
                    outcomes = try sql.transfer(held, to: LeadTransfer(to: receiver), reason: reason, actor: actor.handle, at: now, login: login)
                }
            }
            return Deactivation(wasActive: rep.active, held: held, outcomes: outcomes)
        }
    }
}
