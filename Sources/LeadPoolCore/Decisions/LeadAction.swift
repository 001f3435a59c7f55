import Foundation

/// What a rep does to a lead it works (`release`, `touch`, `qualify`, `convert`, `disqualify`).
public enum LeadAction: Sendable, Equatable {
    /// Back to the pool; starts the cooldown for the rep.
    case release(reason: String)
    /// Logs activity: resets idle days.
    case touch(kind: String, note: String?)
    case qualify
    case convert
    case disqualify(reason: String)

    /// The kind of the event the action writes.
    public var eventKind: EventKind {
        switch self {
        case .release: .released
        case .touch: .touched
        case .qualify: .qualified
        case .convert: .converted
        case .disqualify: .disqualified
        }
    }

    /// Refuses text beyond the limits (`--reason`, `--kind`, `--note`) before anything is written.
    public func checkText() throws {
        switch self {
        case .release(let reason), .disqualify(let reason): try TextLimit.note.check(reason, "--reason")
        case .touch(let kind, let note):
            try TextLimit.label.check(kind, "--kind")
            try TextLimit.note.check(note.map { [$0] } ?? [], "--note")
        case .qualify, .convert: break
        }
    }

    /// Why `actor` may not do this to `lead` (not yours, not owned, closed, already
    /// qualified), or nil. An admin may act on any lead.
    public func refusal(of lead: Lead, by actor: Rep) -> String? {
        if lead.owner != actor.handle, actor.role != .admin {
            return lead.owner.map { "not yours: \($0) owns it" } ?? "not yours: it is in the pool"
        }
        if case .release = self, lead.owner == nil { return "not owned: it is already in the pool" }
        switch (self, lead.status) {
        case (_, .converted), (_, .disqualified): return "closed: it is \(lead.status.rawValue)"
        case (.qualify, .qualified): return "already qualified"
        default: return nil
        }
    }

    /// The one event the action writes on `lead` (as it was before the action).
    public func event(for lead: Lead, actor: String, at now: Date) -> LeadEvent {
        var event = LeadEvent(leadID: lead.id, at: now, actor: actor, kind: eventKind, fromOwner: lead.owner, toOwner: lead.owner)
        switch self {
        case .release(let reason):
            event.toOwner = nil
            event.reason = reason
        case .touch(let kind, let note):
            var detail = "{\"kind\":"
            JSONText.quote(kind, into: &detail)
            if let note {
                detail += ",\"note\":"
                JSONText.quote(note, into: &detail)
            }
            event.detail = detail + "}"
        case .disqualify(let reason):
            event.reason = reason
        case .qualify, .convert:
            break
        }
        return event
    }
}
