import Foundation

/// What a round's writer checks each planned assignment against while it writes: the reps'
/// capacities and what they hold, counting leads other writers (claims, transfers, other
/// rounds) gave them since the round's snapshot.
///
/// The plan was made against the snapshot; a rep that filled up meanwhile gets no more.
public struct RoundLoad: Sendable, Equatable {
    private var capacity: [String: Int]
    private var held: [String: Int]
    /// Leads given per rep by this round.
    public private(set) var given: [String: Int] = [:]
    /// Leads given per rule by this round.
    public private(set) var givenByRule: [String: Int] = [:]

    public init(reps: [PlannerRep]) {
        capacity = Dictionary(reps.map { ($0.handle, $0.capacity) }, uniquingKeysWith: { a, _ in a })
        held = Dictionary(reps.map { ($0.handle, $0.held) }, uniquingKeysWith: { a, _ in a })
    }

    /// Counts `count` leads another writer gave `rep` since the last look.
    public mutating func gainedElsewhere(_ rep: String, _ count: Int) {
        held[rep, default: 0] += count
    }

    /// Whether `rep` may still take a lead.
    public func hasRoom(_ rep: String) -> Bool {
        guard let limit = capacity[rep] else { return true }
        return held[rep, default: 0] < limit
    }

    /// Counts a lead given to `rep` by `rule`.
    public mutating func give(_ rep: String, rule: String) {
        held[rep, default: 0] += 1
        given[rep, default: 0] += 1
        givenByRule[rule, default: 0] += 1
    }

    /// Leads given by this round.
    public var assigned: Int { given.values.reduce(0, +) }

    /// The round's summary as written: the plan, what was given per rule and rep, and per rule
    /// the moves it planned (`plannedMoves`) and wrote (`movedByRule`).
    public func summary(of plan: RoundPlan, plannedMoves: [String: Int] = [:], movedByRule: [String: Int] = [:]) -> RoundSummary {
        let loads = plan.reps.map {
            RepLoad(handle: $0.handle, before: $0.before, given: given[$0.handle] ?? 0, capacity: $0.capacity)
        }
        return RoundSummary(plan: plan, givenByRule: givenByRule, loads: loads, plannedMoves: plannedMoves, movedByRule: movedByRule)
    }
}
