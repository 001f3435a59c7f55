import Foundation
import LeadPoolCore

/// What one rep's digest mail would tell them now: the items no earlier mail that sendmail
/// accepted has told them.
public struct Digest: Sendable, Equatable {
    public var rep: Rep
    /// Given leads first, then deadlines, escalations and reclaim warnings, each by time.
    public var items: [DigestItem]

    public init(rep: Rep, items: [DigestItem]) {
        self.rep = rep
        self.items = items
    }
}

// MARK: - What every backend's digests say

/// The items of every rep's digest, gathered from what a store read: given leads first, then
/// first-touch deadlines, escalations and reclaim warnings, each in the order given.
package struct DigestItems {
    /// How far back a digest looks for leads given to a rep and escalations that took one from
    /// them: a first `notify` on a database in use mails the last week, not every lead ever given.
    package static let lookback: TimeInterval = 7 * 86_400

    private let ruleset: Ruleset
    private var items: [String: [DigestItem]] = [:]

    package init(ruleset: Ruleset) {
        self.ruleset = ruleset
    }

    /// A lead given to `owner` by the event `eventID` (an `assigned`, `transferred` or
    /// `escalated` one) that they still hold.
    package mutating func given(
        eventID: Int64,
        kind: EventKind,
        actor: String,
        fromOwner: String?,
        reason: String?,
        leadID: Int64,
        company: String,
        owner: String,
        at: Date
    ) {
        let how: String
        switch kind {
        case .transferred: how = "transferred by \(actor)" + (reason.map { ": \($0)" } ?? "")
        case .escalated: how = "from \(fromOwner ?? "the pool"): " + (reason ?? "escalated")
        default: how = "assigned" + (reason.map { " (\($0))" } ?? "")
        }
        items[owner, default: []].append(
            DigestItem(kind: .given, key: "given:\(eventID)", leadID: leadID, company: company, at: at, detail: how)
        )
    }

    /// The first touches close to or past their deadline.
    package mutating func firstTouches(_ standings: [FirstTouchStanding]) {
        for standing in standings where standing.isAnnounced {
            guard let deadline = standing.deadline else { continue }
            let missed = standing.isMissed
            items[standing.owner, default: []].append(
                DigestItem(
                    kind: missed ? .firstTouchMissed : .firstTouchClose,
                    key: "first-touch-\(missed ? "missed" : "close"):\(standing.id):\(standing.givenAt.storedSeconds)",
                    leadID: standing.id,
                    company: standing.company,
                    at: deadline,
                    detail: missed
                        ? "no first touch by the deadline: the next reclaim escalates it (\(ruleset.firstTouch?.then.rawValue ?? "keep"))"
                        : "touch it before the deadline (first touch within \(ruleset.firstTouch?.within.description ?? "?") of working hours)"
                )
            )
        }
    }

    /// A missed first touch (event `eventID`) that took a lead from `fromOwner`, or recorded the miss.
    package mutating func escalated(eventID: Int64, fromOwner: String, reason: String?, leadID: Int64, company: String, at: Date) {
        items[fromOwner, default: []].append(
            DigestItem(kind: .escalated, key: "escalated:\(eventID)", leadID: leadID, company: company, at: at, detail: reason ?? "escalated")
        )
    }

    /// The leads going back to the pool soon, each keyed by the day (in its owner's zone) it goes.
    package mutating func reclaimWarnings(_ warnings: [ReclaimWarning], reps: [Rep]) {
        for warning in warnings {
            let clock = reps.first { $0.handle == warning.owner }.map { ruleset.clock(of: $0) } ?? ruleset.clock
            items[warning.owner, default: []].append(
                DigestItem(
                    kind: .reclaimSoon,
                    key: "reclaim:\(warning.id):\(clock.date(warning.at))",
                    leadID: warning.id,
                    company: warning.company,
                    at: warning.at,
                    detail: warning.verdict.reason
                )
            )
        }
    }

    /// One digest per rep of `reps` with items `sent` (the keys mailed to them before) does not hold.
    package func digests(for reps: [Rep], sent: (Rep) throws -> Set<String>) rethrows -> [Digest] {
        try reps.compactMap { rep in
            guard let all = items[rep.handle] else { return nil }
            let sent = try sent(rep)
            let fresh = all.filter { !sent.contains($0.key) }
            return fresh.isEmpty ? nil : Digest(rep: rep, items: fresh)
        }
    }
}
