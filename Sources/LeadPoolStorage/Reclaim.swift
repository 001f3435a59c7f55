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
