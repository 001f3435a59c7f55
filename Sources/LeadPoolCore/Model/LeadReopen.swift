import Foundation

/// An admin bringing a closed lead back (`reopen ID… [--to H]`): a converted or disqualified
/// lead becomes open again, in the pool or owned by a rep.
///
/// It is an admin's decision, not a rep giving the lead up nor the pool taking it back, so no
/// cooldown starts: the rep who closed it may well be the one to work it again.
public struct LeadReopen: Sendable, Equatable {
    /// The rep who gets the lead; nil: back to the pool.
    public var owner: String?

    public init(to owner: String?) {
        self.owner = owner
    }

    /// Why `lead` cannot be reopened (a refusal, exit 1), or nil.
    public func refusal(of lead: Lead) -> String? {
        switch lead.status {
        case .converted, .disqualified: nil
        case .open, .qualified: "not closed: it is \(lead.status.rawValue); only converted or disqualified leads reopen"
        }
    }

    /// `lead` reopened at `now`: open, and owned by ``owner`` since `now`, or in the pool.
    public func applied(to lead: Lead, at now: Date) -> Lead {
        var lead = lead
        lead.status = .open
        lead.owner = owner
        lead.claimedAt = owner == nil ? nil : now
        return lead
    }

    /// The one `reopened` event the change writes: from the lead's owner to the new one (nil:
    /// the pool), the status change in the detail as `lead update` records a change, old → new.
    public func event(for lead: Lead, actor: String, at now: Date) -> LeadEvent {
        var detail = "{\"status\":["
        JSONText.quote(lead.status.rawValue, into: &detail)
        detail += ",\"open\"]}"
        return LeadEvent(
            leadID: lead.id,
            at: now,
            actor: actor,
            kind: .reopened,
            fromOwner: lead.owner,
            toOwner: owner,
            detail: detail
        )
    }
}
