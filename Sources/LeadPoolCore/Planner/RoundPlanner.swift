import Foundation

/// Plans one assignment round: values in, plan out, no database.
///
/// The caller has already found, for each pool lead, the first rule whose `when` holds;
/// the planner orders the leads, finds each one's candidates and lets the rule's strategy
/// pick. Same inputs give the same plan, whatever order the leads come in.
///
/// ```swift
/// let planner = RoundPlanner(rules: rules, reps: reps, cooldownDays: 7, now: now)
/// let plan = try planner.plan(poolLeads, state: storedState)
/// ```
public struct RoundPlanner: Sendable {
    /// The ruleset's routing rules, in file order; `PoolLead.matchedRule` indexes them.
    public let rules: [PlannerRule]
    /// Every rep the rules may name, in handle order (byte-wise), one per handle.
    public let reps: [PlannerRep]
    /// Days a rep who lost a lead may not get it back.
    public let cooldownDays: Int
    /// The round's clock: away windows and cooldowns are judged at this instant.
    public let now: Date

    let indexByHandle: [String: Int]

    /// - Parameter reps: in any order; when a handle appears twice the first one counts.
    public init(rules: [PlannerRule], reps: [PlannerRep], cooldownDays: Int, now: Date) {
        var seen = Set<String>()
        let unique = reps.filter { seen.insert($0.handle).inserted }
        self.rules = rules
        self.reps = unique.sorted { handlePrecedes($0.handle, $1.handle) }
        self.cooldownDays = cooldownDays
        self.now = now
        self.indexByHandle = Dictionary(
            uniqueKeysWithValues: self.reps.enumerated().map { ($0.element.handle, $0.offset) }
        )
    }

    /// The rep with this handle, if the planner was given one.
    public func rep(_ handle: String) -> PlannerRep? {
        indexByHandle[handle].map { reps[$0] }
    }

    /// Plans a round over `leads` (pool leads in any order), starting from `state`.
    ///
    /// Leads are taken by score desc, created_at asc, id asc. A lead without a matched rule
    /// is unrouted; one whose rule has no candidate at its turn is no-capacity; every other
    /// lead goes to the rep its rule's strategy picks, and counts towards that rep's load for
    /// the rest of the round.
    ///
    /// - Throws: `LeadPoolError` (internal) when a lead's `matchedRule` is not an index of `rules`.
    public func plan(_ leads: [PoolLead], state: StrategyState) throws(LeadPoolError) -> RoundPlan {
        for lead in leads {
            if let index = lead.matchedRule, !rules.indices.contains(index) {
                throw .bug("lead \(lead.id) matched rule #\(index), but the planner has \(rules.count) rules")
            }
        }
        return RoundRun(planner: self, state: state).run(leads)
    }

    /// Leads in the order a round takes them: score desc, created_at asc, id asc.
    public static func processingOrder(_ leads: [PoolLead]) -> [PoolLead] {
        orderedIndices(leads).map { leads[Int($0)] }
    }

    static func orderedIndices(_ leads: [PoolLead]) -> [Int32] {
        struct Key {
            var score: Int
            var created: Double
            var id: Int64
            var index: Int32
        }
        var keys = [Key]()
        keys.reserveCapacity(leads.count)
        for (i, lead) in leads.enumerated() {
            keys.append(
                Key(score: lead.score, created: lead.createdAt.timeIntervalSinceReferenceDate, id: lead.id, index: Int32(i))
            )
        }
        keys.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.created != b.created { return a.created < b.created }
            if a.id != b.id { return a.id < b.id }
            return a.index < b.index
        }
        return keys.map(\.index)
    }
}
