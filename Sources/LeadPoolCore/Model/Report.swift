import Foundation

/// The sections of `leadpool report`, in the order "all sections" prints them.
public enum ReportSection: String, Sendable, CaseIterable {
    case pool, reps, conversion, aging, rounds, sla
}

/// What `leadpool report` read from the database: the sections asked for, from one snapshot.
public struct Report: Sendable {
    /// The clock the figures were computed at (--now).
    public var now: Date
    public var pool: PoolReport?
    public var reps: RepsReport?
    public var conversion: ConversionReport?
    public var aging: AgingReport?
    public var rounds: RoundsReport?
    public var sla: SLAReport?

    public init(now: Date) { self.now = now }
}

/// One group of a breakdown and how many leads it has. `group` nil: the value is missing
/// (no source, never scored).
public struct GroupCount: Sendable, Equatable {
    public var group: String?
    public var leads: Int

    public init(_ group: String?, _ leads: Int) {
        self.group = group
        self.leads = leads
    }
}

// MARK: - Pool

/// How old a pool lead is, in whole days since it was created, at the report's clock.
public enum AgeBand: String, Sendable, CaseIterable {
    case week = "0-7"
    case month = "8-30"
    case quarter = "31-90"
    case older = "91+"

    /// The smallest age (days) in the band.
    public var minimumDays: Int {
        switch self {
        case .week: 0
        case .month: 8
        case .quarter: 31
        case .older: 91
        }
    }
}

/// Pool health: the open unowned leads broken down four ways.
public struct PoolReport: Sendable, Equatable {
    /// Open unowned leads.
    public var leads: Int
    /// In the ruleset's tier order, then any tier it no longer names, then unscored.
    public var byTier: [GroupCount]
    /// Each segment of the current ruleset, in file order. Segments overlap: a lead counts
    /// in every segment it matches, so these do not add up to `leads`.
    public var bySegment: [GroupCount]
    /// Most leads first.
    public var bySource: [GroupCount]
    /// Every band, youngest first, empty ones included.
    public var byAge: [GroupCount]
    /// Each pool of the rules file in its order (`main` first unless listed), then any other
    /// pool leads are in.
    public var byPool: [PoolActivity]

    public init(
        leads: Int,
        byTier: [GroupCount],
        bySegment: [GroupCount],
        bySource: [GroupCount],
        byAge: [GroupCount],
        byPool: [PoolActivity] = []
    ) {
        self.leads = leads
        self.byTier = byTier
        self.bySegment = bySegment
        self.bySource = bySource
        self.byAge = byAge
        self.byPool = byPool
    }

    /// The pool leads per pool, as groups.
    public var byPoolLeads: [GroupCount] { byPool.map { GroupCount($0.pool, $0.leads) } }
}

/// One pool's health: its open unowned leads, the leads of it reps hold, and claims from it
/// and reclaims into it over the report's recent days.
public struct PoolActivity: Sendable, Equatable {
    public var pool: String
    public var leads: Int
    public var held: Int
    public var claimsRecently: Int
    public var reclaimsRecently: Int

    public init(pool: String, leads: Int, held: Int, claimsRecently: Int, reclaimsRecently: Int) {
        self.pool = pool
        self.leads = leads
        self.held = held
        self.claimsRecently = claimsRecently
        self.reclaimsRecently = reclaimsRecently
    }
}

// MARK: - Reps

/// When a rep looks like hoarding: holding leads without working them.
///
/// A rep is flagged when ``minimumIdle`` or more of the leads they hold (open or qualified) are
/// idle past the report's threshold and those are at least ``idleShare`` of what they hold. A
/// rep whose leads were all taken back holds nothing and is not flagged, whatever happened
/// before; the reclaim counts beside the flag tell that history.
public enum HoardingRule {
    public static let minimumIdle = 2
    public static let idleShare = 0.5

    /// Whether holding `held` leads, `idle` of them idle, flags hoarding.
    public static func flags(idle: Int, held: Int) -> Bool {
        idle >= minimumIdle && Double(idle) >= idleShare * Double(held)
    }
}

/// One rep's load and activity.
public struct RepActivity: Sendable, Equatable {
    public var handle: String
    public var name: String
    public var active: Bool
    /// Open leads the rep owns now.
    public var held: Int
    /// The rep's own capacity, else the ruleset's default.
    public var capacity: Int
    /// Whether `capacity` is the ruleset's default.
    public var capacityIsDefault: Bool
    /// Self-claims during the UTC day of the report's clock.
    public var claimedToday: Int
    /// Activities the rep logged (`touch`) in the 7 days up to the clock.
    public var touches7d: Int
    /// Held leads (open or qualified) idle for the report's idle threshold or longer.
    public var idle: Int
    /// All-time counts of the events that closed or returned the rep's leads.
    public var converted: Int
    public var disqualified: Int
    public var released: Int
    public var reclaimed: Int
    /// Within ``RepActivity/recentDays`` days of the clock.
    public var reclaimedRecently: Int
    /// Leads that left the rep's hands within the window: released, reclaimed, converted, disqualified.
    public var exitsRecently: Int

    public init(
        handle: String,
        name: String,
        active: Bool,
        held: Int,
        capacity: Int,
        capacityIsDefault: Bool,
        claimedToday: Int,
        touches7d: Int,
        idle: Int,
        converted: Int,
        disqualified: Int,
        released: Int,
        reclaimed: Int,
        reclaimedRecently: Int,
        exitsRecently: Int
    ) {
        self.handle = handle
        self.name = name
        self.active = active
        self.held = held
        self.capacity = capacity
        self.capacityIsDefault = capacityIsDefault
        self.claimedToday = claimedToday
        self.touches7d = touches7d
        self.idle = idle
        self.converted = converted
        self.disqualified = disqualified
        self.released = released
        self.reclaimed = reclaimed
        self.reclaimedRecently = reclaimedRecently
        self.exitsRecently = exitsRecently
    }

    /// How far back "recently" reaches for the reclaims and exits counted.
    public static let recentDays = 30

    /// See ``HoardingRule``.
    public var hoarding: Bool { HoardingRule.flags(idle: idle, held: held) }

    /// held / capacity; nil for a capacity of 0.
    public var load: Double? { capacity > 0 ? Double(held) / Double(capacity) : nil }
}

/// Every rep's load and activity.
public struct RepsReport: Sendable, Equatable {
    /// A held lead counts as idle from this many idle days: the reclaim policy's
    /// no-activity-days minus its warn-days (an override's no-activity-days where its
    /// condition holds, as reclaim would use).
    public var idleThresholdDays: Int
    /// Whether some leads get another threshold from a reclaim override.
    public var idleThresholdHasOverrides: Bool
    /// By handle.
    public var reps: [RepActivity]

    public init(idleThresholdDays: Int, idleThresholdHasOverrides: Bool, reps: [RepActivity]) {
        self.idleThresholdDays = idleThresholdDays
        self.idleThresholdHasOverrides = idleThresholdHasOverrides
        self.reps = reps
    }
}

// MARK: - Conversion

/// Converted leads out of closed ones (converted + disqualified) in one group.
public struct ConversionRate: Sendable, Equatable {
    public var group: String?
    public var converted: Int
    public var closed: Int

    public init(_ group: String?, converted: Int, closed: Int) {
        self.group = group
        self.converted = converted
        self.closed = closed
    }

    /// converted / closed, nil when nothing closed.
    public var rate: Double? { closed > 0 ? Double(converted) / Double(closed) : nil }

    /// `3/4 (75%)`, so small samples show; `0/0` when nothing closed.
    public var text: String {
        guard let rate else { return "0/0" }
        return "\(converted)/\(closed) (\(Int((rate * 100).rounded()))%)"
    }
}

/// Conversion of closed leads, overall and four ways.
public struct ConversionReport: Sendable, Equatable {
    public var overall: ConversionRate
    /// Most closed first.
    public var bySource: [ConversionRate]
    /// Each segment of the current ruleset, in file order (segments overlap).
    public var bySegment: [ConversionRate]
    /// The ruleset's tier order.
    public var byTier: [ConversionRate]
    /// By the lead's owner when it closed; nil: closed by an admin while in the pool.
    public var byRep: [ConversionRate]
    /// Disqualifications by reason (ASCII case folded), most first.
    public var byDisqualifyReason: [GroupCount]
    /// Releases back to the pool by reason (ASCII case folded), most first.
    public var byReleaseReason: [GroupCount]

    public init(
        overall: ConversionRate,
        bySource: [ConversionRate],
        bySegment: [ConversionRate],
        byTier: [ConversionRate],
        byRep: [ConversionRate],
        byDisqualifyReason: [GroupCount] = [],
        byReleaseReason: [GroupCount] = []
    ) {
        self.overall = overall
        self.bySource = bySource
        self.bySegment = bySegment
        self.byTier = byTier
        self.byRep = byRep
        self.byDisqualifyReason = byDisqualifyReason
        self.byReleaseReason = byReleaseReason
    }
}

// MARK: - Aging

/// A distribution of durations, in days.
public struct DurationStats: Sendable, Equatable {
    /// How many durations were measured.
    public var count: Int
    /// Linear interpolation between the closest ranks (the median of 1 and 2 days is 1.5).
    public var medianDays: Double?
    public var p90Days: Double?

    public init(count: Int, medianDays: Double?, p90Days: Double?) {
        self.count = count
        self.medianDays = medianDays
        self.p90Days = p90Days
    }
}

/// How long leads wait at each step.
public struct AgingReport: Sendable, Equatable {
    /// From a lead's creation (import) to its first owner event (assigned, claimed or transferred).
    public var toFirstOwner: DurationStats
    /// From the ownership in force at a lead's first touch (the last assigned/claimed/transferred
    /// event before it) to that touch.
    public var claimToFirstTouch: DurationStats
    /// From the ownership in force at conversion to the conversion.
    public var claimToConversion: DurationStats

    public init(toFirstOwner: DurationStats, claimToFirstTouch: DurationStats, claimToConversion: DurationStats) {
        self.toFirstOwner = toFirstOwner
        self.claimToFirstTouch = claimToFirstTouch
        self.claimToConversion = claimToConversion
    }
}

// MARK: - Rounds

/// What the assignment engine writes into `rounds.summary`:
/// `{"rules":[{"rule":…,"matched":…,"assigned":…,"no_capacity":…,"per_round_limited":…,
/// "moved":…,"fairness":{…}}],"reps":[…],"fairness":{"reps":…,"spread":…,"stddev":…}}`.
///
/// Every field but a rule's name may be missing: summaries written by older versions lack
/// the per-round counts, the moves and the per-rule fairness, and still read.
public struct RoundSummary: Sendable, Equatable, Codable {
    public struct RuleLine: Sendable, Equatable, Codable {
        public var rule: String
        public var matched: Int?
        public var assigned: Int?
        public var noCapacity: Int?
        /// Leads that stayed in the pool because the rule's reps had had its `per-round`.
        public var perRoundLimited: Int?
        /// Leads the rule (`to: pool:P`) moved into another pool; they count as matched. nil in
        /// summaries written before rounds recorded moves.
        public var moved: Int?
        /// The load figures over the rule's reps; nil when the rule matched nothing or the
        /// summary predates them.
        public var fairness: Fairness?

        public init(
            rule: String,
            matched: Int?,
            assigned: Int?,
            noCapacity: Int?,
            perRoundLimited: Int? = nil,
            moved: Int? = nil,
            fairness: Fairness? = nil
        ) {
            self.rule = rule
            self.matched = matched
            self.assigned = assigned
            self.noCapacity = noCapacity
            self.perRoundLimited = perRoundLimited
            self.moved = moved
            self.fairness = fairness
        }

        enum CodingKeys: String, CodingKey {
            case rule, matched, assigned, moved, fairness
            case noCapacity = "no_capacity"
            case perRoundLimited = "per_round_limited"
        }
    }

    public struct RepLine: Sendable, Equatable, Codable {
        public var handle: String
        public var before: Int?
        public var given: Int
        public var after: Int?
        public var capacity: Int?

        public init(handle: String, before: Int?, given: Int, after: Int?, capacity: Int?) {
            self.handle = handle
            self.before = before
            self.given = given
            self.after = after
            self.capacity = capacity
        }
    }

    public struct Fairness: Sendable, Equatable, Codable {
        /// How many reps the figures cover (missing in older summaries).
        public var reps: Int?
        public var spread: Double?
        public var stddev: Double?

        public init(reps: Int? = nil, spread: Double?, stddev: Double?) {
            self.reps = reps
            self.spread = spread
            self.stddev = stddev
        }

        /// The planner's figures, rounded to four decimals.
        public init(_ fairness: LeadPoolCore.Fairness) {
            func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
            self.init(reps: fairness.reps, spread: rounded(fairness.spread), stddev: rounded(fairness.standardDeviation))
        }
    }

    public var rules: [RuleLine]
    public var reps: [RepLine]
    public var fairness: Fairness?

    public init(rules: [RuleLine] = [], reps: [RepLine] = [], fairness: Fairness? = nil) {
        self.rules = rules
        self.reps = reps
        self.fairness = fairness
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rules = try container.decodeIfPresent([RuleLine].self, forKey: .rules) ?? []
        reps = try container.decodeIfPresent([RepLine].self, forKey: .reps) ?? []
        fairness = try container.decodeIfPresent(Fairness.self, forKey: .fairness)
    }

    enum CodingKeys: String, CodingKey { case rules, reps, fairness }
}

extension RoundSummary {
    /// A plan's summary: each rule's tally (`givenByRule`, when given, for what was written)
    /// with its fairness, each rep's load, and the plan's fairness, figures to four decimals.
    ///
    /// `plannedMoves` counts, per rule, the leads its `to: pool:P` moves (the planner never sees
    /// them): they count as matched, and as moved unless `movedByRule` says what was written.
    public init(
        plan: RoundPlan,
        givenByRule: [String: Int]? = nil,
        loads: [RepLoad],
        plannedMoves: [String: Int] = [:],
        movedByRule: [String: Int]? = nil
    ) {
        self.init(
            rules: plan.rules.map {
                RuleLine(
                    rule: $0.rule,
                    matched: $0.matched + (plannedMoves[$0.rule] ?? 0),
                    assigned: givenByRule?[$0.rule] ?? $0.assigned,
                    noCapacity: $0.noCapacity,
                    perRoundLimited: $0.perRoundLimited,
                    moved: (movedByRule ?? plannedMoves)[$0.rule] ?? 0,
                    fairness: $0.fairness.map(Fairness.init)
                )
            },
            reps: loads.map { RepLine(handle: $0.handle, before: $0.before, given: $0.given, after: $0.after, capacity: $0.capacity) },
            fairness: Fairness(plan.fairness)
        )
    }

    /// Leads that stayed in the pool for the rules' `per-round`, over every rule; nil for a
    /// summary written before rules had one.
    public var perRoundLimited: Int? { total(\.perRoundLimited) }

    /// Leads the rules moved into other pools; nil for a summary written before rounds
    /// recorded moves.
    public var moved: Int? { total(\.moved) }

    private func total(_ figure: KeyPath<RuleLine, Int?>) -> Int? {
        if rules.contains(where: { $0[keyPath: figure] == nil }) { return nil }
        return rules.reduce(0) { $0 + ($1[keyPath: figure] ?? 0) }
    }
}

/// An assignment round as stored: `rounds list/show`, `assign` and `report rounds` show it.
public struct RoundRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case running, complete, incomplete }

    public var id: Int64
    public var startedAt: Date
    public var finishedAt: Date?
    /// The `--now` the round ran at.
    public var clock: Date
    public var actor: String
    public var rulesetVersion: Int64?
    public var status: Status
    public var filter: String?
    public var considered: Int
    public var assigned: Int
    public var unrouted: Int
    public var noCapacity: Int
    /// Leads someone claimed while the round ran, or reps that filled up meanwhile.
    public var skipped: Int
    /// nil when the round wrote none (it stopped early), or one this binary cannot read.
    public var summary: RoundSummary?

    public init(
        id: Int64,
        startedAt: Date,
        finishedAt: Date?,
        clock: Date,
        actor: String,
        rulesetVersion: Int64?,
        status: Status,
        filter: String?,
        considered: Int,
        assigned: Int,
        unrouted: Int,
        noCapacity: Int,
        skipped: Int,
        summary: RoundSummary?
    ) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.clock = clock
        self.actor = actor
        self.rulesetVersion = rulesetVersion
        self.status = status
        self.filter = filter
        self.considered = considered
        self.assigned = assigned
        self.unrouted = unrouted
        self.noCapacity = noCapacity
        self.skipped = skipped
        self.summary = summary
    }
}

/// The most recent rounds, newest first.
public struct RoundsReport: Sendable, Equatable {
    public var rounds: [RoundRecord]
    /// How many rounds there are in all.
    public var total: Int

    public init(rounds: [RoundRecord], total: Int) {
        self.rounds = rounds
        self.total = total
    }
}
