import Foundation

/// What a round would do: who gets which lead and why, what stays in the pool, and the
/// strategy state to persist once the round is written.
public struct RoundPlan: Sendable, Equatable {
    /// Leads given to reps, in processing order (score desc, created_at asc, id asc).
    public var assignments: [Assignment]
    /// Leads no rule routes, in processing order.
    public var unrouted: [Int64]
    /// Leads whose rule had no candidate at their turn, in processing order, except those
    /// in `perRoundLimited`.
    public var noCapacity: [Int64]
    /// Leads whose rule had no candidate at their turn only because the reps that could take
    /// them had had the rule's `per-round` already, in processing order.
    public var perRoundLimited: [Int64]
    /// One tally per rule, in rule order.
    public var rules: [RuleTally]
    /// One load line per rep the planner was given, in handle order.
    public var reps: [RepLoad]
    /// The strategy state after the round: the input state with this round's moves applied.
    public var state: StrategyState
    public var fairness: Fairness

    public init(
        assignments: [Assignment],
        unrouted: [Int64],
        noCapacity: [Int64],
        perRoundLimited: [Int64] = [],
        rules: [RuleTally],
        reps: [RepLoad],
        state: StrategyState,
        fairness: Fairness
    ) {
        self.assignments = assignments
        self.unrouted = unrouted
        self.noCapacity = noCapacity
        self.perRoundLimited = perRoundLimited
        self.rules = rules
        self.reps = reps
        self.state = state
        self.fairness = fairness
    }
}

/// One lead given to one rep.
public struct Assignment: Sendable, Equatable {
    public var leadID: Int64
    public var rep: String
    public var rule: String
    public var reason: AssignmentReason

    public init(leadID: Int64, rep: String, rule: String, reason: AssignmentReason) {
        self.leadID = leadID
        self.rep = rep
        self.rule = rule
        self.reason = reason
    }
}

/// Why the strategy picked this rep; `description` is the short human reason stored on the event.
public enum AssignmentReason: Sendable, Equatable, CustomStringConvertible {
    /// The first candidate after `after` in handle order (nil: the rule had no position yet).
    case roundRobin(after: String?)
    /// The lowest load: `held` of `capacity` before this lead.
    case leastLoaded(held: Int, capacity: Int)
    /// The largest running total (after adding the weights) among the candidates.
    case weighted(weight: Int, total: Int)

    public var description: String {
        switch self {
        case .roundRobin(let after?): "round-robin: next after \(after)"
        case .roundRobin(nil): "round-robin: first in handle order"
        case .leastLoaded(let held, let capacity): "least-loaded: \(held)/\(capacity) held"
        case .weighted(let weight, let total): "weighted: weight \(weight), running total \(total)"
        }
    }
}

/// How many leads a rule routed and what became of them.
public struct RuleTally: Sendable, Equatable {
    public var rule: String
    /// Leads for which this was the first matching rule.
    public var matched: Int
    public var assigned: Int
    /// Matched leads that found no candidate (other than for the per-round limit).
    public var noCapacity: Int
    /// Matched leads that found no candidate only because of the rule's `per-round`.
    public var perRoundLimited: Int
    /// How evenly the round left the load of the rule's reps (those that could take its leads:
    /// active, not away, inside working hours when the rule asks, capacity above 0); nil when
    /// the rule matched no lead.
    public var fairness: Fairness?

    public init(
        rule: String,
        matched: Int = 0,
        assigned: Int = 0,
        noCapacity: Int = 0,
        perRoundLimited: Int = 0,
        fairness: Fairness? = nil
    ) {
        self.rule = rule
        self.matched = matched
        self.assigned = assigned
        self.noCapacity = noCapacity
        self.perRoundLimited = perRoundLimited
        self.fairness = fairness
    }
}

/// A rep's load before and after the round.
public struct RepLoad: Sendable, Equatable {
    public var handle: String
    public var before: Int
    public var given: Int
    public var after: Int { before + given }
    public var capacity: Int

    public init(handle: String, before: Int, given: Int, capacity: Int) {
        self.handle = handle
        self.before = before
        self.given = given
        self.capacity = capacity
    }
}

/// How evenly the round left the load, as after/capacity ratios.
///
/// Measured over the reps that could take leads this round: reps named by a rule that matched
/// at least one lead, active and not away at the round's clock, with a capacity above 0.
public struct Fairness: Sendable, Equatable {
    /// How many reps the figures cover.
    public var reps: Int
    /// Highest minus lowest load ratio; 0 with fewer than two reps.
    public var spread: Double
    /// Population standard deviation of the load ratios.
    public var standardDeviation: Double

    public init(reps: Int, spread: Double, standardDeviation: Double) {
        self.reps = reps
        self.spread = spread
        self.standardDeviation = standardDeviation
    }

    /// The figures for a set of after/capacity pairs (capacities above 0).
    public init(loads: [(after: Int, capacity: Int)]) {
        let ratios = loads.map { Double($0.after) / Double($0.capacity) }
        guard let low = ratios.min(), let high = ratios.max() else {
            self.init(reps: 0, spread: 0, standardDeviation: 0)
            return
        }
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        let variance = ratios.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(ratios.count)
        self.init(reps: ratios.count, spread: high - low, standardDeviation: variance.squareRoot())
    }
}
