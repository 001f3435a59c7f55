/// What an event in a lead's history records: the `kind` column of `events`, whose CHECK
/// (`Migrations/0008_first_touch_escalations_and_notices.sql`) allows exactly these.
public enum EventKind: String, Sendable, CaseIterable {
    case imported, created, updated, tagged, untagged
    case assigned, claimed, released, transferred, reclaimed
    case touched, qualified, converted, disqualified, reopened
    /// The lead moved into another pool; the detail names both (`{"from":"east","to":"west"}`).
    case moved
    /// A missed first-touch deadline gave the lead to another rep or back to the pool.
    case escalated
    /// A missed first-touch deadline under `then: keep`: recorded, the lead stays.
    case firstTouchMissed = "first_touch_missed"
}

extension EventKind: ExpressibleByStringLiteral {
    /// A kind by the word a history shows, as in `event.kind == "claimed"`. A word that names
    /// no kind is a mistake in the code that wrote it, and stops the program.
    public init(stringLiteral word: String) {
        guard let kind = EventKind(rawValue: word) else { preconditionFailure("'\(word)' is no event kind") }
        self = kind
    }
}

// MARK: - Groups

extension EventKind {
    /// The events after which the lead's owner is the event's `to_owner`: `released` and
    /// `reclaimed` give the lead to the pool, `reopened` to a rep or the pool, and `converted`
    /// and `disqualified` keep the owner (their `to_owner` is it). The latest one must agree
    /// with the lead's owner (`check`).
    public static let ownershipChanges: [EventKind] = [
        .assigned, .claimed, .released, .transferred, .reclaimed, .converted, .disqualified, .reopened, .escalated,
    ]

    /// The events that give a lead to the rep in their `to_owner` (when set): what counts
    /// against the rep's capacity.
    public static let handovers: [EventKind] = [.assigned, .claimed, .transferred, .reopened, .escalated]

    /// The handovers that start a first-touch deadline: the lead was given to the rep by
    /// someone else (a round, an admin, an escalation), not claimed by the rep.
    public static let givings: [EventKind] = [.assigned, .transferred, .escalated]

    /// The events that settle a first-touch deadline once, whatever the outcome.
    public static let firstTouchEscalations: [EventKind] = [.escalated, .firstTouchMissed]

    /// The starts of an ownership, which the aging report measures from: a round's, a claim's
    /// or a transfer's.
    public static let ownershipStarts: [EventKind] = [.assigned, .claimed, .transferred, .escalated]

    /// What the reps report counts per rep: their touches (by the actor) and how their leads
    /// left them (by the owner they left).
    public static let repOutcomes: [EventKind] = [.touched, .converted, .disqualified, .released, .reclaimed]
}
