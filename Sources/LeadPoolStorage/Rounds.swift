import Foundation
import LeadPoolCore

/// Everything a round plans from, read in one snapshot.
public struct RoundInput: Sendable {
    public var ruleset: StoredRuleset
    /// The ruleset's rules as the planner sees them (index-aligned with `ruleset.rules`).
    public var rules: [PlannerRule]
    public var reps: [PlannerRep]
    /// Pool leads the round considers, each with the index of the first rule that routes it.
    public var pool: [PoolLead]
    public var state: StrategyState
    /// The newest event when the snapshot was taken: later claims count against capacity.
    public var lastEventID: Int64
    /// Pool leads whose first rule moves them to another pool (`to: pool:P`), in the order the
    /// round looks at them; the planner does not see them.
    public var moves: [PoolMove] = []

    public init(
        ruleset: StoredRuleset,
        rules: [PlannerRule],
        reps: [PlannerRep],
        pool: [PoolLead],
        state: StrategyState,
        lastEventID: Int64
    ) {
        self.ruleset = ruleset
        self.rules = rules
        self.reps = reps
        self.pool = pool
        self.state = state
        self.lastEventID = lastEventID
    }
}

/// A pool lead a round moves into another pool by a rule `to: pool:P`.
public struct PoolMove: Sendable, Equatable {
    public var leadID: Int64
    /// The rule that moves it.
    public var rule: String
    /// The pool it goes to.
    public var pool: String

    public init(leadID: Int64, rule: String, pool: String) {
        self.leadID = leadID
        self.rule = rule
        self.pool = pool
    }
}

extension [PoolMove] {
    /// How many of these moves each rule makes, for the round's summary.
    public var countByRule: [String: Int] { reduce(into: [:]) { $0[$1.rule, default: 0] += 1 } }
}

/// A round as `writeRound` left it: the stored record, and the planned leads it did not give.
public struct WrittenRound: Sendable {
    public var record: RoundRecord
    /// Leads claimed while the round ran, or whose rep filled up meanwhile.
    public var skipped: Set<Int64>
    /// The moves written (those whose lead was still in the pool).
    public var moved: [PoolMove]

    public init(record: RoundRecord, skipped: Set<Int64>, moved: [PoolMove] = []) {
        self.record = record
        self.skipped = skipped
        self.moved = moved
    }
}

/// Which pool leads a round looks at.
public struct RoundScope: Sendable {
    /// Only leads matching this condition (`--where`, `--segment`).
    public var condition: Condition?
    /// Only leads whose first matching rule is this one (`--rule`).
    public var rule: String?
    /// At most this many leads, best first (`--limit`).
    public var limit: Int?
    /// Only leads of this pool (`--pool`).
    public var pool: String?
    /// How the scope was asked for, kept with the round.
    public var description: String?

    public init(condition: Condition? = nil, rule: String? = nil, limit: Int? = nil, pool: String? = nil, description: String? = nil) {
        self.condition = condition
        self.pool = pool
        self.rule = rule
        self.limit = limit
        self.description = description
    }
}

extension RoundInput {
    /// The round the core's planner makes of this input at `now`.
    package func plan(at now: Date) throws -> RoundPlan {
        try RoundPlanner(rules: rules, reps: reps, cooldownDays: ruleset.ruleset.reclaim.cooldownDays, now: now).plan(pool, state: state)
    }
}

extension StoredRuleset {
    /// The ruleset a round routes by: the one in force, else "not found" (66).
    package static func forRound(_ current: StoredRuleset?) throws -> StoredRuleset {
        guard let current else {
            throw LeadPoolError.notFound(
                "no ruleset has been applied, so there are no rules to route by",
                hint: "apply one with `leadpool rules apply FILE` (`leadpool rules example` prints one to start from)"
            )
        }
        return current
    }

    /// The index of the rule named `name` (`assign --rule`), else "not found" (66).
    package func ruleIndex(named name: String) throws -> Int {
        guard let index = ruleset.rules.firstIndex(where: { $0.name == name }) else {
            throw LeadPoolError.notFound(
                "no rule named '\(name)' in ruleset version \(version)",
                hint: "the rules are: \(ruleset.rules.map(\.name).joined(separator: ", "))"
            )
        }
        return index
    }
}
