import Foundation

/// What `reclaim` does with a lead whose first-touch deadline passed untouched: the rules
/// file's `then`, decided with the round's own machinery (``RoundPlanner``) so the new owner is
/// whom a round would pick now, among the routing rule's reps but the one who missed it.
public enum FirstTouchEscalation: Sendable, Equatable {
    /// Give the lead to `to`, picked by `rule`'s strategy for `reason`.
    case reassign(to: String, rule: String, reason: String)
    /// Return it to the pool; `because` says why when `then` was `reassign` (no rule, no candidate).
    case pool(because: String?)
    /// Leave it with its owner; the miss is recorded.
    case keep

    /// The new owner, nil for the pool or when the lead stays.
    public var newOwner: String? {
        if case .reassign(let to, _, _) = self { return to }
        return nil
    }

    /// The event's reason: `no first touch within 4h (working hours)`, and what was done when
    /// there was a choice.
    public func reason(_ policy: Ruleset.FirstTouchPolicy) -> String {
        switch self {
        case .reassign(let to, let rule, let why): "\(policy.missedReason); rule \(rule) gave it to \(to) (\(why))"
        case .pool(let because?): "\(policy.missedReason); back to the pool: \(because)"
        case .pool(nil), .keep: policy.missedReason
        }
    }
}

extension Ruleset {
    /// The escalation of `lead`, whose owner `owner` missed its first touch, at `now`.
    ///
    /// - Parameters:
    ///   - routedBy: the name of the rule whose round gave it (from the giving event); for a
    ///     lead transferred by hand, or whose rule is gone, the first rule whose `when` holds now.
    ///   - reps: every rep, in any order.
    ///   - held: open and qualified leads held per handle, now.
    ///   - state: the rounds' strategy state; a reassignment advances it as a round would.
    public func escalation(
        of lead: Lead,
        missedBy owner: String,
        routedBy: String?,
        reps: [Rep],
        held: [String: Int],
        state: inout StrategyState,
        at now: Date
    ) -> FirstTouchEscalation {
        guard let policy = firstTouch else { return .keep }
        switch policy.then {
        case .keep: return .keep
        case .pool: return .pool(because: nil)
        case .reassign: break
        }
        let index = routedBy.flatMap { name in rules.firstIndex { $0.name == name } } ?? routingRule(for: lead, in: conditionContext(now: now))
        guard let index else { return .pool(because: "no rule routes it") }
        let rule = rules[index]
        var plannerRule = PlannerRule(rule, among: reps)
        plannerRule.reps.removeAll { $0 == owner }
        let planner = RoundPlanner(
            rules: [plannerRule],
            reps: reps.map { PlannerRep($0, under: self, held: held[$0.handle] ?? 0, at: now) },
            cooldownDays: reclaim.cooldownDays,
            now: now
        )
        let candidate = PoolLead(lead, matchedRule: 0)
        guard let plan = try? planner.plan([candidate], state: state), let pick = plan.assignments.first else {
            return .pool(because: "rule \(rule.name) has no other candidate")
        }
        state = plan.state
        return .reassign(to: pick.rep, rule: rule.name, reason: pick.reason.description)
    }
}
