import Foundation

/// First-match routing: a lead goes by the first rule, in the ruleset's order, whose
/// condition holds. The one place that decides it, for `explain` and for rounds (whose
/// store may pre-compute which conditions hold, in SQL).
public enum Routing {
    /// The index of the first of `count` rules for which `holds` is true; nil when none does.
    public static func firstMatch(among count: Int, _ holds: (Int) throws -> Bool) rethrows -> Int? {
        for index in 0..<count where try holds(index) { return index }
        return nil
    }
}

extension Ruleset {
    /// The index of the rule that routes `lead` (the first that looks at the lead's pool and
    /// whose `when` holds in `context`), or nil.
    public func routingRule(for lead: Lead, in context: ConditionContext) -> Int? {
        Routing.firstMatch(among: rules.count) { rules[$0].looks(at: lead.pool) && rules[$0].when.matches(lead, in: context) }
    }
}

extension Ruleset.Rule {
    /// Whether the rule routes leads of `pool`: every pool without a `pool:`, else that one.
    /// A rule moving leads to `pool` (`to: pool:P`) never routes P's own leads, so a lead it
    /// moved is not moved again.
    public func looks(at pool: String) -> Bool {
        (self.pool ?? pool) == pool && toPool != pool
    }
}
