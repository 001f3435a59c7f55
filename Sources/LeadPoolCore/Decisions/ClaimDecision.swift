import Foundation

/// How a lead last left its owner, for a cooldown refusal: a rep who released it knows; one
/// whose lead the pool took back may not.
public enum LeadExit: Sendable, Equatable {
    case released
    case reclaimed
}

extension ClaimPolicy {
    /// Why `rep` may not claim `lead`, not counting its budget (``ClaimBudget/refusal``), or nil:
    /// owned (by the rep or another), not open, or cooling down for this rep (its dates and
    /// times in the rep's zone).
    ///
    /// - Parameter exit: how the lead last left its owner; asked only for a cooldown refusal.
    public func claimRefusal(
        of lead: Lead,
        by rep: Rep,
        at now: Date,
        exit: () throws -> LeadExit
    ) rethrows -> String? {
        if let owner = lead.owner { return owner == rep.handle ? "already yours" : "already owned by \(owner)" }
        if lead.status != .open { return "not open: it is \(lead.status.rawValue)" }
        if let end = cooldownEnd(for: lead, rep: rep.handle, at: now), let releasedAt = lead.releasedAt {
            let clock = clock(of: rep)
            let left = try exit() == .reclaimed ? "the pool took it back from you on" : "you released it on"
            return "cooldown: \(left) \(clock.date(releasedAt)); you may claim it again from \(clock.time(end))"
        }
        return nil
    }

    /// The earliest release time a lead's previous owner `rep` may claim it back at `now`
    /// (leads released by the rep at or before it are cooled down), for a store that filters
    /// candidates; nil when there is no cooldown.
    public func cooldownFloor(at now: Date) -> Date? {
        cooldownDays > 0 ? now.addingTimeInterval(-TimeInterval(cooldownDays) * 86_400) : nil
    }
}

extension ClaimBudget {
    /// The budget after one more claim.
    public mutating func take() {
        held += 1
        claimedToday += 1
    }

    /// What `claim --next N` says when it took fewer than asked: the limit that stopped it,
    /// or that no more leads were there to take.
    public static let noMoreLeads = "no more pool leads that match and are yours to claim"

    /// The refusal of a claim that lost the race for a lead to another writer.
    public static let takenMeanwhile = "taken by someone else a moment ago"

    /// The `claimed` event's detail: the capacity and daily limit the claim was checked against,
    /// the rep's local date it counted in, and the pool it came from with the pool's daily limit,
    /// so `check` can tell a rep a claim overfilled from one whose limits (or zone) changed later.
    public func claimEventDetail(pool: String, poolDailyLimit: Int?) -> String {
        let capacity = capacity.map(String.init) ?? "null"
        let dailyLimit = dailyLimit.map(String.init) ?? "null"
        var poolName = ""
        JSONText.quote(pool, into: &poolName)
        return "{\"capacity\":\(capacity),\"daily_limit\":\(dailyLimit)" + (day.map { ",\"day\":\"\($0)\"" } ?? "") + ",\"pool\":" + poolName
            + (poolDailyLimit.map { ",\"pool_daily_limit\":\($0)" } ?? "") + "}"
    }
}

/// An admin handing leads to a rep by hand (`transfer`, `rep deactivate --transfer-to`).
public struct LeadTransfer: Sendable, Equatable {
    /// The rep who gets the leads.
    public var recipient: String

    public init(to recipient: String) {
        self.recipient = recipient
    }

    /// Why `lead` is not transferred (already the recipient's, or closed), or nil.
    public func refusal(of lead: Lead) -> String? {
        if lead.owner == recipient { return "already owned by \(recipient)" }
        if lead.status == .converted || lead.status == .disqualified { return "closed: it is \(lead.status.rawValue)" }
        return nil
    }

    /// The `transferred` event for `lead` (as it was before).
    public func event(for lead: Lead, actor: String, reason: String?, at now: Date) -> LeadEvent {
        LeadEvent(
            leadID: lead.id,
            at: now,
            actor: actor,
            kind: .transferred,
            fromOwner: lead.owner,
            toOwner: recipient,
            reason: reason
        )
    }

    /// Refuses a recipient who may not be given leads: a deactivated rep (refused, exit 1).
    public static func checkRecipient(_ rep: Rep) throws {
        guard rep.active else {
            throw LeadPoolError.refused("'\(rep.handle)' is deactivated", hint: "activate them first: `leadpool rep activate \(rep.handle)`")
        }
    }
}

extension Rep {
    /// Refuses a change that takes `rep` out of the active admins (a demotion, a
    /// deactivation) when it is the last of them (`activeAdmins` counts it).
    public static func keepAnAdmin(losing rep: Rep, activeAdmins: Int) throws {
        guard rep.role == .admin, rep.active, activeAdmins <= 1 else { return }
        throw LeadPoolError.refused(
            "'\(rep.handle)' is the last active admin; without one nobody could run admin commands",
            hint: "make another rep an admin first: `leadpool rep update HANDLE --role admin`"
        )
    }
}
