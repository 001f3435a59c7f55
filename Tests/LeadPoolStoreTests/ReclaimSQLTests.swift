import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage
import Testing

@testable import LeadPoolStore

@Suite struct ReclaimSQLTests {
    static let context = ConditionSQLTests.context

    /// A reclaim policy of random thresholds, a random exempt condition and random overrides,
    /// some setting one threshold only.
    static func randomRuleset(using rng: inout SeededGenerator) -> Ruleset {
        func days() -> Int { Int.random(in: 0...12, using: &rng) }
        var overrides: [Ruleset.ReclaimPolicy.Override] = []
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            let kind = Int.random(in: 0..<3, using: &rng)
            overrides.append(
                .init(
                    when: ConditionSQLTests.randomCondition(depth: 2, using: &rng),
                    noActivityDays: kind == 1 ? nil : days(),
                    maxHoldDays: kind == 0 ? nil : days()
                )
            )
        }
        let policy = Ruleset.ReclaimPolicy(
            noActivityDays: days(),
            maxHoldDays: days(),
            cooldownDays: 7,
            warnDays: 3,
            exempt: Bool.random(using: &rng) ? ConditionSQLTests.randomCondition(depth: 1, using: &rng) : nil,
            overrides: overrides
        )
        let segments = context.segments
        return Ruleset(
            segments: segments.keys.sorted().map { Ruleset.Segment(name: $0, condition: segments[$0]!) },
            reclaim: policy
        )
    }

    @Test func sqlSelectsExactlyTheLeadsThePureVerdictReclaims() throws {
        var rng = SeededGenerator(seed: 20_261_124)
        let leads = ConditionSQLTests.randomLeads(count: 400, using: &rng)
        let queue = try ConditionSQLTests.database(with: leads)
        for round in 0..<40 {
            let bobActive = round % 3 != 0
            try queue.write { try $0.execute(sql: "UPDATE reps SET active = ? WHERE handle = 'bob'", arguments: [bobActive]) }
            let ruleset = Self.randomRuleset(using: &rng)
            let compiled = try ReclaimSQL(ruleset, at: Self.context.now)
            let selected = try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: "SELECT id, \(compiled.overrideIndex) AS o FROM leads WHERE \(ReclaimSQL.scope) AND \(compiled.due) ORDER BY id",
                    arguments: compiled.overrideArguments + compiled.dueArguments
                ).map { ($0["id"] as Int64, $0["o"] as Int) }
            }
            let policy = ruleset.reclaim
            let context = ruleset.conditionContext(now: Self.context.now)
            let expected = leads.filter {
                policy.verdict(for: $0, ownerActive: $0.owner != "bob" || bobActive, in: context) != nil
            }
            #expect(selected.map(\.0) == expected.map(\.id), "round \(round)")
            for ((_, index), lead) in zip(selected, expected) {
                #expect(
                    policy.limits(overrideIndex: index < 0 ? nil : index) == policy.limits(for: lead, in: context),
                    "round \(round), lead \(lead.id)"
                )
            }
        }
    }
}
