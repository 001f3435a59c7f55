import Foundation

/// Which leads a listing, an export or the pool shows, and in what order.
public struct LeadQuery: Sendable {
    public enum Ownership: Sendable, Equatable {
        case any
        /// Open and unowned: the pool.
        case pooled
        case ownedBy(String)
    }

    public enum Sort: String, Sendable, CaseIterable {
        /// Best score first, then oldest, then id.
        case score
        /// Oldest first.
        case age
        /// Longest idle first.
        case idle
        /// By id (imports' order).
        case id
    }

    public var ownership: Ownership = .any
    /// Leads carrying every one of these tags.
    public var tags: [String] = []
    public var sort: Sort = .id
    public var limit: Int?
    /// Leads matching this condition (`--where`, `--segment`), evaluated at the query's clock.
    public var condition: Condition?
    /// The segment definitions `segment("x")` in `condition` resolves through (the ruleset's).
    public var segments: [String: Condition] = [:]
    /// Only leads of these pools; nil: every pool.
    public var pools: [String]?
    /// With ``pools``: also this rep's own leads, whatever their pool (a rep's view).
    public var alsoOwnedBy: String?

    public init(
        ownership: Ownership = .any,
        tags: [String] = [],
        sort: Sort = .id,
        limit: Int? = nil,
        condition: Condition? = nil,
        segments: [String: Condition] = [:]
    ) {
        self.ownership = ownership
        self.tags = tags
        self.sort = sort
        self.limit = limit
        self.condition = condition
        self.segments = segments
    }
}

/// One row of a lead's history.
public struct LeadEvent: Sendable, Equatable {
    public var id: Int64
    public var leadID: Int64
    public var at: Date
    public var actor: String
    public var kind: EventKind
    public var fromOwner: String?
    public var toOwner: String?
    public var roundID: Int64?
    public var rule: String?
    public var reason: String?
    /// Extra facts as JSON text (file name, touch kind, note…).
    public var detail: String?

    public init(
        id: Int64 = 0,
        leadID: Int64,
        at: Date,
        actor: String,
        kind: EventKind,
        fromOwner: String? = nil,
        toOwner: String? = nil,
        roundID: Int64? = nil,
        rule: String? = nil,
        reason: String? = nil,
        detail: String? = nil
    ) {
        self.id = id
        self.leadID = leadID
        self.at = at
        self.actor = actor
        self.kind = kind
        self.fromOwner = fromOwner
        self.toOwner = toOwner
        self.roundID = roundID
        self.rule = rule
        self.reason = reason
        self.detail = detail
    }
}
