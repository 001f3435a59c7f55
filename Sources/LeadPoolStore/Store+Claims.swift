import Foundation
import GRDB
import LeadPoolCore

extension Store {
    /// The rep's standing at `now`. "Today" is the whole day of `now`, later claims included:
    /// a claim dated back into a day counts every claim of that day, not only the earlier ones.
    static func budget(_ db: Database, rep: Rep, policy: ClaimPolicy, now: Date) throws -> ClaimBudget {
        let day = ClaimPolicy.day(of: now)
        let claimedToday = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM events WHERE kind = 'claimed' AND to_owner = ? AND at >= ? AND at < ?",
            arguments: [rep.handle, day.lowerBound.storedSeconds, day.upperBound.storedSeconds]) ?? 0
        return ClaimBudget(
            held: try heldCount(db, handle: rep.handle), claimedToday: claimedToday,
            capacity: policy.capacity(of: rep), dailyLimit: policy.dailyLimit(of: rep))
    }

    /// What `rep` holds and claimed today against its effective limits, for `rep show` and `mine`.
    public func claimBudget(for rep: Rep, policy: ClaimPolicy, at now: Date) throws -> ClaimBudget {
        try read { try Store.budget($0, rep: rep, policy: policy, now: now) }
    }

    /// Takes one pool lead for `rep` with a conditional write, so a racing claim or round
    /// can never make two owners: the UPDATE only lands while the lead is still unowned.
    ///
    /// The event keeps the capacity and daily limit the claim was checked against, so `check`
    /// can tell a rep a claim overfilled from one whose limits were lowered later.
    private func take(_ db: Database, leadID: Int64, rep: String, budget: ClaimBudget, now: Date) throws -> Bool {
        try db.cachedStatement(sql: "UPDATE leads SET owner = ?, claimed_at = ? WHERE id = ? AND owner IS NULL AND status = 'open'")
            .execute(arguments: [rep, now.storedSeconds, leadID])
        guard db.changesCount == 1 else { return false }
        let capacity = budget.capacity.map(String.init) ?? "null"
        let dailyLimit = budget.dailyLimit.map(String.init) ?? "null"
        try Store.record(
            db,
            LeadEvent(
                leadID: leadID, at: now, actor: rep, kind: "claimed", fromOwner: nil, toOwner: rep,
                detail: "{\"capacity\":\(capacity),\"daily_limit\":\(dailyLimit)}"),
            by: login)
        return true
    }

    /// Why `rep` may not claim `lead` (not counting its budget), or nil.
    private static func claimRefusal(_ db: Database, _ lead: Lead, rep: String, policy: ClaimPolicy, now: Date) throws -> String? {
        if let owner = lead.owner { return owner == rep ? "already yours" : "already owned by \(owner)" }
        if lead.status != .open { return "not open: it is \(lead.status.rawValue)" }
        if let end = policy.cooldownEnd(for: lead, rep: rep, at: now) {
            // Say how it left: a rep who released it knows; one whose lead the pool took back may not.
            let kind = try String.fetchOne(
                db, sql: "SELECT kind FROM events WHERE lead_id = ? AND (kind = 'released' OR kind = 'reclaimed') ORDER BY id DESC LIMIT 1",
                arguments: [lead.id])
            let left = kind == "reclaimed" ? "the pool took it back from you on" : "you released it on"
            return "cooldown: \(left) \(Timestamp.day(lead.releasedAt!)); you may claim it again from \(Timestamp.string(end))"
        }
        return nil
    }

    /// Claims each lead or refuses it with the reason, in one IMMEDIATE transaction.
    public func claim(_ ids: [Int64], for rep: Rep, policy: ClaimPolicy, at now: Date) throws -> [LeadOutcome] {
        try write { db in
            var budget = try Store.budget(db, rep: rep, policy: policy, now: now)
            return try ids.map { id in
                guard let lead = try Store.fetchLead(db, id: id) else { return LeadOutcome(leadID: id, result: .notFound) }
                if let reason = try Store.claimRefusal(db, lead, rep: rep.handle, policy: policy, now: now) ?? budget.refusal {
                    return LeadOutcome(leadID: id, result: .refused(reason))
                }
                guard try take(db, leadID: id, rep: rep.handle, budget: budget, now: now) else {
                    return LeadOutcome(leadID: id, result: .refused("taken by someone else a moment ago"))
                }
                budget.held += 1
                budget.claimedToday += 1
                return LeadOutcome(leadID: id, result: .done)
            }
        }
    }

    /// Claims the best-scoring pool leads matching `query` that `rep` may take, up to `count`
    /// and the rep's room. Returns the leads claimed (possibly none) and, when fewer than
    /// `count`, what stopped it: the capacity, the daily limit, or no more leads to take.
    public func claimNext(
        _ count: Int, matching query: LeadQuery, for rep: Rep, policy: ClaimPolicy, at now: Date
    ) throws -> (claimed: [Int64], stop: String?) {
        try write { db in
            var budget = try Store.budget(db, rep: rep, policy: policy, now: now)
            if let refusal = budget.refusal { return ([], refusal) }
            var query = query
            query.ownership = .pooled
            query.sort = .score
            query.limit = nil
            let (clause, order, arguments) = try Store.sql(for: query, now: now)
            let want = min(count, budget.room)
            var claimed: [Int64] = []
            let cooldownFloor = now.addingTimeInterval(-TimeInterval(policy.cooldownDays) * 86_400).storedSeconds
            let cursor = try Int64.fetchCursor(
                db,
                sql: """
                    SELECT id FROM leads WHERE \(clause)
                    AND NOT (previous_owner IS ? AND released_at > ?)
                    ORDER BY \(order)
                    """,
                arguments: arguments + [rep.handle, policy.cooldownDays > 0 ? cooldownFloor : Int64.max])
            var candidates: [Int64] = []
            while candidates.count < want, let id = try cursor.next() { candidates.append(id) }
            for id in candidates where try take(db, leadID: id, rep: rep.handle, budget: budget, now: now) {
                claimed.append(id)
                budget.held += 1
                budget.claimedToday += 1
            }
            guard claimed.count < count else { return (claimed, nil) }
            return (claimed, budget.refusal ?? "no more pool leads that match and are yours to claim")
        }
    }
}

/// What a rep does to a lead it works.
public enum LeadAction: Sendable, Equatable {
    /// Back to the pool; starts the cooldown for the rep.
    case release(reason: String)
    /// Logs activity: resets idle days.
    case touch(kind: String, note: String?)
    case qualify
    case convert
    case disqualify(reason: String)

    var eventKind: String {
        switch self {
        case .release: "released"
        case .touch: "touched"
        case .qualify: "qualified"
        case .convert: "converted"
        case .disqualify: "disqualified"
        }
    }
}

extension Store {
    /// Why `actor` may not do `action` to `lead`, or nil.
    private static func actionRefusal(_ action: LeadAction, _ lead: Lead, actor: Rep) -> String? {
        if lead.owner != actor.handle, actor.role != .admin {
            return lead.owner.map { "not yours: \($0) owns it" } ?? "not yours: it is in the pool"
        }
        if case .release = action, lead.owner == nil { return "not owned: it is already in the pool" }
        switch (action, lead.status) {
        case (_, .converted), (_, .disqualified): return "closed: it is \(lead.status.rawValue)"
        case (.qualify, .qualified): return "already qualified"
        default: return nil
        }
    }

    /// Applies `action` to each lead or refuses it with the reason; one event per lead changed,
    /// all in one transaction.
    public func perform(_ action: LeadAction, on ids: [Int64], by actor: Rep, at now: Date) throws -> [LeadOutcome] {
        switch action {
        case .release(let reason), .disqualify(let reason): try TextLimit.note.check(reason, "--reason")
        case .touch(let kind, let note):
            try TextLimit.label.check(kind, "--kind")
            try TextLimit.note.check(note.map { [$0] } ?? [], "--note")
        case .qualify, .convert: break
        }
        return try write { db in
            try ids.map { id in
                guard let lead = try Store.fetchLead(db, id: id) else { return LeadOutcome(leadID: id, result: .notFound) }
                if let reason = Store.actionRefusal(action, lead, actor: actor) {
                    return LeadOutcome(leadID: id, result: .refused(reason))
                }
                var event = LeadEvent(
                    leadID: id, at: now, actor: actor.handle, kind: action.eventKind, fromOwner: lead.owner, toOwner: lead.owner)
                let sql: String
                switch action {
                case .release(let reason):
                    // A released lead goes back to the pool open, whatever stage it had reached.
                    sql = """
                        UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open',
                            previous_owner = owner, released_at = :now WHERE id = :id
                        """
                    event.toOwner = nil
                    event.reason = reason
                case .touch(let kind, let note):
                    sql = "UPDATE leads SET last_activity_at = :now WHERE id = :id"
                    var detail = "{\"kind\":"
                    JSONText.quote(kind, into: &detail)
                    if let note {
                        detail += ",\"note\":"
                        JSONText.quote(note, into: &detail)
                    }
                    event.detail = detail + "}"
                case .qualify:
                    sql = "UPDATE leads SET status = 'qualified', last_activity_at = :now WHERE id = :id"
                case .convert:
                    sql = "UPDATE leads SET status = 'converted', last_activity_at = :now WHERE id = :id"
                case .disqualify(let reason):
                    sql = "UPDATE leads SET status = 'disqualified', last_activity_at = :now WHERE id = :id"
                    event.reason = reason
                }
                try db.cachedStatement(sql: sql).execute(arguments: ["now": now.storedSeconds, "id": id])
                try Store.record(db, event, by: login)
                return LeadOutcome(leadID: id, result: .done)
            }
        }
    }
}
