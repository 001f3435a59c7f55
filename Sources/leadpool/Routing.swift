import Foundation
import LeadPoolCore
import LeadPoolStorage

/// The routing half of `explain`: which rule routes a lead, why earlier rules did not,
/// and each of that rule's reps with why it is or is not a candidate. Uses the planner's
/// own candidacy code, so it always agrees with what a round would do.
struct RoutingExplanation {
    struct SkippedRule {
        let name: String
        let when: String
    }

    let skipped: [SkippedRule]
    /// The routing rule, nil when none matches.
    let rule: Ruleset.Rule?
    let verdicts: [RepVerdict]
    let inPool: Bool
    /// The first rule whose outcome the viewer may not learn (it reads a field hidden from
    /// them): from it on, which rule routes the lead is not shown.
    let hiddenRule: Ruleset.Rule?

    /// - Parameter viewer: who reads it; rules whose outcome is hidden from them are not told.
    init(lead: Lead, ruleset: Ruleset, standings: [RepStanding], now: Date, viewer: Rep) {
        let hidden = Set(ruleset.rulesHidingOutcome(on: lead, from: viewer).map(\.name))
        let context = ruleset.conditionContext(now: now)
        inPool = lead.isPooled
        // The core's first match decides the rule; a rule hidden from the viewer at or before
        // it stops the explanation there.
        let matched = ruleset.routingRule(for: lead, in: context)
        let firstHidden = ruleset.rules.firstIndex { hidden.contains($0.name) }
        let skippedRules = { (end: Int) in
            ruleset.rules[..<end].map { SkippedRule(name: $0.name, when: $0.text) }
        }
        if let firstHidden, firstHidden <= matched ?? .max {
            skipped = skippedRules(firstHidden)
            rule = nil
            hiddenRule = ruleset.rules[firstHidden]
            verdicts = []
            return
        }
        skipped = skippedRules(matched ?? ruleset.rules.count)
        hiddenRule = nil
        guard let matched else {
            rule = nil
            verdicts = []
            return
        }
        let routing = (index: matched, rule: ruleset.rules[matched])
        rule = routing.rule
        let reps = standings.map(\.rep)
        let plannerReps = standings.map { PlannerRep($0.rep, under: ruleset, held: $0.held, at: now) }
        let plannerRule = PlannerRule(routing.rule, among: reps)
        let planner = RoundPlanner(
            rules: [plannerRule],
            reps: plannerReps,
            cooldownDays: ruleset.reclaim.cooldownDays,
            now: now
        )
        let poolLead = PoolLead(lead, matchedRule: 0)
        verdicts = planner.verdicts(for: poolLead, under: plannerRule)
    }

    var json: JSON {
        if let hiddenRule {
            return .object([
                ("in_pool", .bool(inPool)),
                ("earlier_rules", .array(skipped.map { .object([("name", .string($0.name)), ("when", .string($0.when))]) })),
                ("hidden_from_rule", .string(hiddenRule.name)),
                ("hidden", .of(["rule", "strategy", "reps"])),
            ])
        }
        return .object([
            ("in_pool", .bool(inPool)),
            ("rule", rule.map { .string($0.name) } ?? .null),
            ("strategy", rule.map { .string($0.strategy.rawValue) } ?? .null),
            ("per_round", .of(rule?.perRound)), ("working_only", rule.map { .bool($0.workingOnly) } ?? .null),
            ("earlier_rules", .array(skipped.map { .object([("name", .string($0.name)), ("when", .string($0.when))]) })),
            (
                "reps",
                .array(
                    verdicts.map { verdict in
                        switch verdict.candidacy {
                        case .candidate: .object([("handle", .string(verdict.handle)), ("candidate", .bool(true)), ("why_not", .null)])
                        case .excluded(let why):
                            .object([("handle", .string(verdict.handle)), ("candidate", .bool(false)), ("why_not", .string(why.description))])
                        }
                    }
                )
            ),
            ("hidden", .array([])),
        ])
    }

    var text: String {
        var lines: [String] = ["", "Routing:"]
        for rule in skipped { lines.append("  rule \(rule.name): no — \(rule.when)") }
        if let hiddenRule {
            lines.append("  rule \(hiddenRule.name) and after: not shown — it reads contact fields, hidden until you own the lead")
            return lines.joined(separator: "\n")
        }
        guard let rule else {
            lines.append("  no rule matches: a round leaves this lead in the pool (unrouted)")
            return lines.joined(separator: "\n")
        }
        lines.append("  rule \(rule.name): yes — \(rule.text)")
        if let pool = rule.toPool {
            lines.append("  → moves it to pool \(pool)")
            return lines.joined(separator: "\n")
        }
        var how = "\(rule.strategy.rawValue) over \(rule.targets.map(\.description).joined(separator: ", "))"
        if rule.territory { how += ", territorial" }
        if rule.workingOnly { how += ", working hours only" }
        if let cap = rule.perRound { how += ", per-round: at most \(cap) per rep in one round" }
        lines.append("  → " + how)
        if !inPool { lines.append("  (the lead is not in the pool now; this is where a round would send it if it were)") }
        if verdicts.isEmpty { lines.append("  the rule names no rep") }
        for verdict in verdicts {
            switch verdict.candidacy {
            case .candidate: lines.append("  \(verdict.handle): candidate")
            case .excluded(let why): lines.append("  \(verdict.handle): left out — \(why)")
            }
        }
        if !verdicts.isEmpty, !verdicts.contains(where: \.isCandidate) {
            lines.append("  no candidate: a round leaves this lead in the pool (no capacity)")
        }
        return lines.joined(separator: "\n")
    }
}
