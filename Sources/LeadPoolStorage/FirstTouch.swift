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
