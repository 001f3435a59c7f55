import Foundation
import LeadPoolCore

/// A lead given to a rep (by a round, a transfer or an escalation) and not touched by them
/// yet, under the rules file's `first-touch`.
public struct FirstTouchStanding: Sendable, Equatable {
    public var id: Int64
    public var company: String
    public var owner: String
    /// When it was given to the owner (the ownership's start).
    public var givenAt: Date
    /// Waiting, close (within `warn-before`) or missed, with the deadline.
    public var status: FirstTouchStatus

    public init(id: Int64, company: String, owner: String, givenAt: Date, status: FirstTouchStatus) {
        self.id = id
        self.company = company
        self.owner = owner
        self.givenAt = givenAt
        self.status = status
    }

    /// The deadline, whatever the status says about it.
    public var deadline: Date? {
        switch status {
        case .waiting(let deadline), .close(let deadline), .missed(let deadline): deadline
        case .touched: nil
        }
    }
}

/// One missed first-touch deadline acted on by `reclaim` (or, in a dry run, to be).
public struct FirstTouchEscalated: Sendable, Equatable {
    public var id: Int64
    public var company: String
    /// The rep who missed it.
    public var owner: String
    public var deadline: Date
    public var escalation: FirstTouchEscalation
    /// The event's reason, in words.
    public var reason: String

    public init(id: Int64, company: String, owner: String, deadline: Date, escalation: FirstTouchEscalation, reason: String) {
        self.id = id
        self.company = company
        self.owner = owner
        self.deadline = deadline
        self.escalation = escalation
        self.reason = reason
    }
}

extension FirstTouchStanding {
    /// Close to its deadline or past it: what `reclaim --warn` and `notify` announce.
    public var isAnnounced: Bool {
        switch status {
        case .close, .missed: true
        case .waiting, .touched: false
        }
    }

    public var isMissed: Bool {
        if case .missed = status { return true }
        return false
    }
}

extension FirstTouchEscalation {
    /// What was done: `reassign`, `pool` (also when a reassignment found no one) or `keep`.
    public var action: FirstTouchAction {
        switch self {
        case .reassign: .reassign
        case .pool: .pool
        case .keep: .keep
        }
    }
}

// MARK: - The decisions every backend's first-touch readers run

/// A lead waiting for its first touch, as a store read it: the rule of the round that gave it,
/// and every rep who missed its first touch before.
///
/// A store selects the leads given to their owner (the latest ownership change is an
/// `assigned`, `transferred` or `escalated` event to them), open, with no activity since, and not
/// already escalated for this ownership; the core decides the rest here.
package struct PendingFirstTouch: Sendable {
    package var lead: Lead
    package var owner: String
    package var givenAt: Date
    package var routedBy: String?
    package var missedBefore: Set<String>
    package var status: FirstTouchStatus

    /// A selected lead judged by the ruleset's `first-touch`: nil when it does not apply to the
    /// lead (or the owner is no rep). `missedBy` is the owners of its earlier escalations,
    /// joined by U+001F; `context` is the ruleset's at `now`.
    package init?(
        lead: Lead,
        routedBy: String?,
        missedBy: String?,
        ruleset: Ruleset,
        context: ConditionContext,
        reps: [String: Rep],
        at now: Date
    ) {
        guard let policy = ruleset.firstTouch, let owner = lead.owner, let givenAt = lead.claimedAt, let rep = reps[owner],
            policy.applies(to: lead, in: context)
        else { return nil }
        self.lead = lead
        self.owner = owner
        self.givenAt = givenAt
        self.routedBy = routedBy
        self.missedBefore = missedBy.map { Set($0.split(separator: "\u{1F}").map(String.init)) } ?? []
        self.status = policy.status(givenAt: givenAt, touchedAt: nil, now: now, hours: ruleset.workingHours(of: rep), clock: ruleset.clock(of: rep))
    }

    package var standing: FirstTouchStanding {
        FirstTouchStanding(id: lead.id, company: lead.company, owner: owner, givenAt: givenAt, status: status)
    }

    /// The standings of `pending`, by owner, then deadline, then id.
    package static func standings(_ pending: [PendingFirstTouch]) -> [FirstTouchStanding] {
        pending.map(\.standing).sorted { ($0.owner, $0.deadline ?? $0.givenAt, $0.id) < ($1.owner, $1.deadline ?? $1.givenAt, $1.id) }
    }
}

/// What `reclaim` does to one missed first touch: the decision, and the event that records it.
package struct PlannedEscalation: Sendable {
    package var pending: PendingFirstTouch
    package var escalated: FirstTouchEscalated

    /// The event a run by `runBy` records (`escalated`, or `first_touch_missed` under `keep`).
    package func event(runBy: String, at now: Date) -> LeadEvent {
        var detail = "{\"deadline\":\"\(Timestamp.string(escalated.deadline))\",\"run_by\":"
        JSONText.quote(runBy, into: &detail)
        detail += "}"
        var event = LeadEvent(
            leadID: pending.lead.id,
            at: now,
            actor: "system",
            kind: .escalated,
            fromOwner: pending.owner,
            reason: escalated.reason,
            detail: detail
        )
        switch escalated.escalation {
        case .reassign(let to, let rule, _):
            event.toOwner = to
            event.rule = rule
        case .pool: break
        case .keep: event.kind = .firstTouchMissed
        }
        return event
    }

    /// Decides the escalation of each missed deadline among `pending`, in its (lead-id) order,
    /// each seeing the loads and strategy positions the ones before it left.
    package static func plan(
        _ pending: [PendingFirstTouch],
        ruleset: Ruleset,
        reps: [Rep],
        held: [String: Int],
        state: inout StrategyState,
        at now: Date
    ) -> [PlannedEscalation] {
        guard let policy = ruleset.firstTouch else { return [] }
        var held = held
        var planned: [PlannedEscalation] = []
        for pending in pending {
            guard case .missed(let deadline) = pending.status else { continue }
            let escalation = ruleset.escalation(
                of: pending.lead,
                missedBy: pending.owner,
                routedBy: pending.routedBy,
                reps: reps.filter { !pending.missedBefore.contains($0.handle) },
                held: held,
                state: &state,
                at: now
            )
            planned.append(
                PlannedEscalation(
                    pending: pending,
                    escalated: FirstTouchEscalated(
                        id: pending.lead.id,
                        company: pending.lead.company,
                        owner: pending.owner,
                        deadline: deadline,
                        escalation: escalation,
                        reason: escalation.reason(policy)
                    )
                )
            )
            if escalation != .keep {
                held[pending.owner, default: 1] -= 1
                if let to = escalation.newOwner { held[to, default: 0] += 1 }
            }
        }
        return planned
    }
}

extension [PlannedEscalation] {
    /// The rules whose strategy positions the reassignments moved: the ones to store.
    package var changedRules: Set<String> {
        Set(
            compactMap {
                if case .reassign(_, let rule, _) = $0.escalated.escalation { return rule }
                return nil
            }
        )
    }
}
