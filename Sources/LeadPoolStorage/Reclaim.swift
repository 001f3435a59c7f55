import Foundation
import LeadPoolCore

/// One lead a reclaim takes back from its owner (or, in a dry run, would).
public struct ReclaimedLead: Sendable, Equatable {
    public var id: Int64
    public var company: String
    /// The owner it is taken from.
    public var owner: String
    public var verdict: ReclaimVerdict
    /// The pool it returns to: its own, or its pool's `reclaim.to`.
    public var pool: String
    /// What the lead looked like when selected: the write only lands if these are unchanged.
    package let claimedAt: Int64
    package let lastActivityAt: Int64?

    package init(
        id: Int64,
        company: String,
        owner: String,
        verdict: ReclaimVerdict,
        pool: String = Ruleset.mainPool,
        claimedAt: Int64,
        lastActivityAt: Int64?
    ) {
        self.pool = pool
        self.id = id
        self.company = company
        self.owner = owner
        self.verdict = verdict
        self.claimedAt = claimedAt
        self.lastActivityAt = lastActivityAt
    }
}

/// What one `reclaim` run did.
public struct ReclaimResult: Sendable {
    /// The leads written back to the pool, in id order.
    public var reclaimed: [ReclaimedLead]
    /// Leads stale when selected that were released, claimed, closed or touched before their
    /// batch was written: left as they are (the next run looks at them again).
    public var skipped: Int
    /// Write transactions committed.
    public var batches: Int
    /// Missed first-touch deadlines acted on, in lead-id order.
    public var escalated: [FirstTouchEscalated]

    public init(reclaimed: [ReclaimedLead], skipped: Int, batches: Int, escalated: [FirstTouchEscalated] = []) {
        self.reclaimed = reclaimed
        self.skipped = skipped
        self.batches = batches
        self.escalated = escalated
    }
}

/// A lead `reclaim --warn` announces: not due now, due within the policy's warn-days.
public struct ReclaimWarning: Sendable, Equatable {
    public var id: Int64
    public var company: String
    public var owner: String
    /// When it goes if it sees no activity meanwhile.
    public var at: Date
    public var verdict: ReclaimVerdict

    public init(id: Int64, company: String, owner: String, at: Date, verdict: ReclaimVerdict) {
        self.id = id
        self.company = company
        self.owner = owner
        self.at = at
        self.verdict = verdict
    }
}

// MARK: - The decisions every backend's reclaim runs

extension ReclaimedLead {
    /// A lead the reclaim SQL selected, judged by the core: the SQL counts idle days with the
    /// owner's time away in them (a sound superset); the core leaves that time out and has the
    /// last word. Nil when the owner's time away brings it back within its limits.
    package static func judged(
        id: Int64,
        company: String,
        owner: String,
        createdAt: Int64,
        claimedAt: Int64,
        lastActivityAt: Int64?,
        inactiveOwner: Bool,
        overrideIndex: Int,
        pool: String,
        policy: Ruleset.ReclaimPolicy,
        away: [String: Rep],
        at now: Date
    ) throws -> ReclaimedLead? {
        let verdict: ReclaimVerdict
        if inactiveOwner {
            verdict = Ruleset.ReclaimPolicy.inactiveRepVerdict
        } else {
            let idleSince = max(lastActivityAt ?? createdAt, claimedAt)
            let idle = Ruleset.ReclaimPolicy.idleDays(since: Date(storedSeconds: idleSince), at: now, owner: away[owner])
            guard
                let stale = Ruleset.ReclaimPolicy.verdict(
                    idleDays: idle.days,
                    heldDays: Lead.wholeDays(from: Date(storedSeconds: claimedAt), to: now),
                    limits: policy.limits(overrideIndex: overrideIndex < 0 ? nil : overrideIndex),
                    awayDays: idle.awayDays
                )
            else {
                if away[owner] != nil { return nil }
                throw LeadPoolError.bug("lead \(id) was selected for reclaim but is within its limits")
            }
            verdict = stale
        }
        return ReclaimedLead(
            id: id,
            company: company,
            owner: owner,
            verdict: verdict,
            pool: pool,
            claimedAt: claimedAt,
            lastActivityAt: lastActivityAt
        )
    }

    /// The `reclaimed` event's detail for `cause`, run by `runBy`, naming the pool the lead went
    /// back to when the rules file lists pools.
    package static func eventDetail(_ cause: ReclaimCause, runBy: String, pool: String?) -> String {
        var detail = "{\"cause\":\"\(cause.rawValue)\",\"run_by\":"
        JSONText.quote(runBy, into: &detail)
        if let pool {
            detail += ",\"pool\":"
            JSONText.quote(pool, into: &detail)
        }
        return detail + "}"
    }
}

extension ReclaimWarning {
    /// The warnings for `leads` (selected by SQL as due by `horizon`), as the core forecasts
    /// them, by owner then date.
    package static func forecasts(for leads: [Lead], away: [String: Rep], ruleset: Ruleset, now: Date, horizon: Date) -> [ReclaimWarning] {
        let policy = ruleset.reclaimPolicy
        let context = ruleset.conditionContext(now: now)
        let warnings = leads.compactMap { lead -> ReclaimWarning? in
            let owner = lead.owner.flatMap { away[$0] }
            if owner != nil, policy.verdict(for: lead, ownerActive: true, owner: owner, in: context) != nil { return nil }
            let due: (Date, ReclaimVerdict)
            switch policy.forecast(for: lead, ownerActive: true, owner: owner, in: context) {
            case .due(let at, let verdict) where at <= horizon:
                due = (at, verdict)
            default:
                // The limits in force at the horizon differ from today's (a clock-dependent
                // override or exempt condition): it goes by the horizon at the latest.
                guard let verdict = policy.verdict(for: lead, ownerActive: true, owner: owner, in: ruleset.conditionContext(now: horizon))
                else { return nil }
                due = (horizon, verdict)
            }
            return ReclaimWarning(id: lead.id, company: lead.company, owner: lead.owner!, at: due.0, verdict: due.1)
        }
        return warnings.sorted { ($0.owner, $0.at, $0.id) < ($1.owner, $1.at, $1.id) }
    }
}
