import Foundation

/// A pool lead as the planner sees it: the few fields routing needs, plus the rule that
/// routes it, already decided by the caller.
public struct PoolLead: Sendable, Equatable {
    public var id: Int64
    public var score: Int
    public var createdAt: Date
    public var country: String?
    public var region: String?
    /// Who lost the lead last (release or reclaim); that rep is excluded during the cooldown.
    public var previousOwner: String?
    /// When the previous owner lost it.
    public var releasedAt: Date?
    /// Index in the planner's rules of the first rule whose `when` holds; nil when none does.
    public var matchedRule: Int?

    public init(
        id: Int64,
        score: Int,
        createdAt: Date,
        country: String? = nil,
        region: String? = nil,
        previousOwner: String? = nil,
        releasedAt: Date? = nil,
        matchedRule: Int?
    ) {
        self.id = id
        self.score = score
        self.createdAt = createdAt
        self.country = country
        self.region = region
        self.previousOwner = previousOwner
        self.releasedAt = releasedAt
        self.matchedRule = matchedRule
    }
}

extension PoolLead {
    /// A stored lead as a round would see it in the pool, routed by rule `matchedRule`.
    public init(_ lead: Lead, matchedRule: Int?) {
        self.init(
            id: lead.id,
            score: lead.score,
            createdAt: lead.createdAt,
            country: lead.country,
            region: lead.region,
            previousOwner: lead.previousOwner,
            releasedAt: lead.releasedAt,
            matchedRule: matchedRule
        )
    }
}

/// One routing rule of the ruleset, with its target already resolved to rep handles.
public struct PlannerRule: Sendable, Equatable {
    /// The rule's name: the key its strategy state persists under. Unique in a ruleset.
    public var name: String
    public var strategy: Strategy
    /// The handles `to:` names (`team:X`, `rep:X` or a list), in any order; duplicates are ignored.
    public var reps: [String]
    /// Only reps whose territories cover the lead's country or region are candidates.
    public var territory: Bool
    /// Most leads one rep gets from this rule in one round (`per-round`); nil: no cap.
    public var perRound: Int?
    /// Only reps inside their working hours at the round's clock are candidates (`working-only`).
    public var workingOnly: Bool

    public init(
        name: String,
        strategy: Strategy,
        reps: [String],
        territory: Bool = false,
        perRound: Int? = nil,
        workingOnly: Bool = false
    ) {
        self.name = name
        self.strategy = strategy
        self.reps = reps
        self.territory = territory
        self.perRound = perRound
        self.workingOnly = workingOnly
    }

    /// A ruleset's rule, its `to:` resolved among `reps`.
    public init(_ rule: Ruleset.Rule, among reps: [Rep]) {
        self.init(
            name: rule.name,
            strategy: rule.strategy,
            reps: rule.handles(among: reps),
            territory: rule.territory,
            perRound: rule.perRound,
            workingOnly: rule.workingOnly
        )
    }
}

/// A rep as the planner sees it, with capacity resolved and the current load counted.
public struct PlannerRep: Sendable, Equatable {
    public var handle: String
    public var active: Bool
    /// Away window `[awayFrom, awayUntil)`; either end may be open, both nil means never away.
    public var awayFrom: Date?
    public var awayUntil: Date?
    /// Most open and qualified leads held at once, the ruleset's default already applied.
    public var capacity: Int
    /// Open leads the rep owns before the round.
    public var held: Int
    /// Share for the weighted strategy (at least 1 in the database).
    public var weight: Int
    /// Country or region codes the rep covers, upper-cased.
    public var territories: Set<String>
    /// Inside the rep's working hours at the round's clock; rules with `working-only` offer
    /// leads only to reps for whom this holds.
    public var insideWorkingHours: Bool

    public init(
        handle: String,
        active: Bool = true,
        awayFrom: Date? = nil,
        awayUntil: Date? = nil,
        capacity: Int,
        held: Int = 0,
        weight: Int = 1,
        territories: Set<String> = [],
        insideWorkingHours: Bool = true
    ) {
        self.handle = handle
        self.active = active
        self.awayFrom = awayFrom
        self.awayUntil = awayUntil
        self.capacity = capacity
        self.held = held
        self.weight = weight
        self.territories = Set(territories.map { $0.uppercased() })
        self.insideWorkingHours = insideWorkingHours
    }

    /// A stored rep, its capacity defaulting to the ruleset's, holding `held` open and qualified leads.
    public init(_ rep: Rep, defaultCapacity: Int, held: Int, insideWorkingHours: Bool = true) {
        self.init(
            handle: rep.handle,
            active: rep.active,
            awayFrom: rep.awayFrom,
            awayUntil: rep.awayUntil,
            capacity: rep.capacity ?? defaultCapacity,
            held: held,
            weight: rep.weight,
            territories: Set(rep.territories),
            insideWorkingHours: insideWorkingHours
        )
    }

    /// A stored rep as a round under `ruleset` at `now` sees it: the ruleset's default
    /// capacity, and whether `now` is inside the rep's working hours.
    public init(_ rep: Rep, under ruleset: Ruleset, held: Int, at now: Date) {
        self.init(
            rep,
            defaultCapacity: ruleset.defaults.capacity,
            held: held,
            insideWorkingHours: ruleset.isWorking(rep, at: now)
        )
    }
}
