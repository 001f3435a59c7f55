import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage
import Testing

@testable import LeadPoolStore

@Suite struct RulesetStoreTests {
    static let now = ConditionSQLTests.context.now

    /// ICP criteria made of random conditions (none reading score or tier), over the SQL tests' segments.
    static func randomRuleset(using rng: inout SeededGenerator) -> Ruleset {
        var criteria: [Ruleset.Criterion] = []
        let segments = ConditionSQLTests.context.segments
        while criteria.count < 8 {
            let condition = ConditionSQLTests.randomCondition(depth: 2, using: &rng)
            guard condition.firstRead(of: [.score, .tier], segments: segments) == nil else { continue }
            criteria.append(.init(name: "c\(criteria.count)", when: condition, points: Int.random(in: -40...60, using: &rng)))
        }
        return Ruleset(
            tiers: [.init("A", minimum: 70), .init("B", minimum: 45), .init("C", minimum: 20), .init("D", minimum: 0, isImplicitFloor: true)],
            icp: criteria,
            segments: segments.keys.sorted().map { Ruleset.Segment(name: $0, condition: segments[$0]!) }
        )
    }

    @Test func sqlScoresEqualThePureScorer() throws {
        var rng = SeededGenerator(seed: 20_261_123)
        let leads = ConditionSQLTests.randomLeads(count: 400, using: &rng)
        let queue = try ConditionSQLTests.database(with: leads)
        for round in 0..<12 {
            let ruleset = Self.randomRuleset(using: &rng)
            try queue.write { try Store.rescore($0, ruleset: ruleset, now: Self.now, leadIDsFrom: nil) }
            let stored = try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, score, tier FROM leads ORDER BY id").map {
                    ($0["id"] as Int64, $0["score"] as Int, $0["tier"] as String)
                }
            }
            let scorer = LeadScorer(ruleset: ruleset, now: Self.now)
            var mismatches = 0
            for (lead, row) in zip(leads, stored) {
                let expected = scorer.score(lead)
                if (row.1, row.2) != (expected.score, expected.tier) {
                    mismatches += 1
                    if mismatches <= 3 {
                        Issue.record("round \(round), lead \(lead.id): SQL \(row.1)/\(row.2), memory \(expected.score)/\(expected.tier)")
                    }
                }
            }
            #expect(mismatches == 0)
            #expect(stored.count == leads.count)
        }
    }

    /// `rules check`'s preview counts, over the leads as stored, what applying the ruleset then
    /// gives: tiers, and segments reading the new score and tier, over more than one pass.
    @Test func previewCountsWhatRescoringThenGives() throws {
        var rng = SeededGenerator(seed: 14)
        let leads = ConditionSQLTests.randomLeads(count: 300, using: &rng)
        let queue = try ConditionSQLTests.database(with: leads)
        for _ in 0..<4 {
            var ruleset = Self.randomRuleset(using: &rng)
            for i in 0..<(Store.conditionsPerPass + 20) {
                let condition: Condition =
                    switch i % 4 {
                    case 0: .comparison(.field(.score), .greaterOrEqual, .integer(Int64(i % 100)))
                    case 1: .comparison(.field(.tier), .equal, .text(["A", "b", "C", "D"][i / 4 % 4]))
                    case 2: .and([.segment("big"), .comparison(.field(.score), .less, .integer(Int64(i % 60)))])
                    default: ConditionSQLTests.randomCondition(depth: 2, using: &rng)
                    }
                ruleset.segments.append(.init(name: "s\(i)", condition: condition))
            }
            // Each round previews over the scores the round before stored.
            let preview = try queue.read { try Store.preview($0, ruleset: ruleset, now: Self.now) }

            try queue.write { try Store.rescore($0, ruleset: ruleset, now: Self.now, leadIDsFrom: nil) }
            let tiers = try queue.read { db in
                try ruleset.tiers.map { band in
                    TierCount(
                        tier: band.name,
                        count: try Int.fetchOne(db, sql: "SELECT count(*) FROM leads WHERE tier = ?", arguments: [band.name]) ?? 0
                    )
                }
            }
            let segments = try queue.read { db in
                try Store.countPass(
                    db,
                    from: "leads",
                    [],
                    tiers: [],
                    conditions: ruleset.segments.map { .segment($0.name) }[...],
                    context: ruleset.conditionContext(now: Self.now)
                ).matches
            }
            #expect(preview == RulesetPreview(leads: leads.count, tiers: tiers, segments: segments))
            #expect(preview.segments.contains { $0.leads > 0 && $0.leads < leads.count })
        }
    }

    @Test func rescoreFromAnIdLeavesEarlierLeadsAlone() throws {
        var rng = SeededGenerator(seed: 7)
        let leads = ConditionSQLTests.randomLeads(count: 50, using: &rng)
        let queue = try ConditionSQLTests.database(with: leads)
        let ruleset = Ruleset(icp: [.init(name: "all", when: .constant(true), points: 65)])
        try queue.write { try Store.rescore($0, ruleset: ruleset, now: Self.now, leadIDsFrom: 31) }
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT id, score, tier FROM leads ORDER BY id") }
        for (lead, row) in zip(leads, rows) {
            if lead.id >= 31 {
                #expect(row["score"] as Int == 65 && row["tier"] as String == "B")
            } else {
                #expect(row["score"] as Int == lead.score && row["tier"] as String? == lead.tier)
            }
        }
    }

    // MARK: - Through the public API

    static func store() throws -> (Store, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadpool-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try Store.create(
            path: directory.appendingPathComponent("t.db").path,
            firstAdmin: Rep(handle: "admin", name: "Admin", role: .admin, createdAt: now)
        )
        return (store, directory)
    }

    static let yaml = """
        tiers: { A: 50, B: 20 }
        segments: { dach: 'country in ("DE", "AT", "CH")' }
        icp:
          - { name: software, when: 'industry = "Software"', points: 30 }
          - { name: dach, when: 'segment("dach")', points: 25 }
        """

    @Test func applyStoresVersionsAndRescoresInOneGo() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try store.currentRuleset()?.version == nil)
        let leads = [
            Lead(company: "A", country: "DE", industry: "Software", createdAt: Self.now),
            Lead(company: "B", country: "at", createdAt: Self.now),
            Lead(company: "C", country: "US", industry: "software", createdAt: Self.now),
            Lead(company: "D", country: "FR", createdAt: Self.now),
        ]
        for lead in leads { _ = try store.addLead(lead, actor: "admin", at: Self.now) }

        let ruleset = try Ruleset.parse(Self.yaml, fileName: "r.yaml")
        #expect(
            try store.applyRuleset(ruleset, source: Self.yaml, fileName: "r.yaml", actor: "admin", at: Self.now)
                == AppliedRuleset(version: 1, isNew: true)
        )
        #expect(
            try store.applyRuleset(ruleset, source: Self.yaml, fileName: "again.yaml", actor: "admin", at: Self.now)
                == AppliedRuleset(version: 1, isNew: false)
        )
        let scored = try store.leads(LeadQuery(), now: Self.now).map { "\($0.company) \($0.score) \($0.tier ?? "-")" }
        #expect(scored == ["A 55 A", "B 25 B", "C 30 B", "D 0 D"])

        let current = try #require(try store.currentRuleset())
        #expect(current.version == 1)
        #expect(current.source == Self.yaml)
        #expect(current.fileName == "r.yaml")
        #expect(current.appliedBy == "admin")
        #expect(current.ruleset == ruleset)

        let stricter = Self.yaml.replacingOccurrences(of: "A: 50", with: "A: 60")
        try store.applyRuleset(try Ruleset.parse(stricter, fileName: "r2.yaml"), source: stricter, fileName: "r2.yaml", actor: "admin", at: Self.now)
        #expect(try store.currentRuleset()?.version == 2)
        #expect(try store.ruleset(version: 1)?.source == Self.yaml)
        #expect(try store.ruleset(version: 3)?.version == nil)
        #expect(
            try store.tierCounts(LeadQuery(), expected: ["A", "B", "D"], now: Self.now) == [
                TierCount(tier: "B", count: 3), TierCount(tier: "D", count: 1),
            ]
        )
        // Tiers it is not told of are counted too (by grouping).
        _ = try store.addLead(Lead(company: "E", createdAt: Self.now), actor: "admin", at: Self.now)
        #expect(
            try store.tierCounts(LeadQuery(), expected: ["A", "B"], now: Self.now) == [
                TierCount(tier: "B", count: 3), TierCount(tier: "D", count: 2),
            ]
        )
        #expect(
            try store.tierCounts(LeadQuery(), expected: ["D", "B", "A"], now: Self.now) == [
                TierCount(tier: "B", count: 3), TierCount(tier: "D", count: 2),
            ]
        )
    }

    @Test func queriesFilterByConditionAndCountSegments() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(at: directory) }
        for country in ["DE", "DE", "CH", "US", "FR"] {
            _ = try store.addLead(Lead(company: "Co \(country)", country: country, createdAt: Self.now), actor: "admin", at: Self.now)
        }
        let ruleset = try Ruleset.parse(Self.yaml, fileName: "r.yaml")
        let dach = LeadQuery(condition: .segment("dach"), segments: ruleset.segmentConditions)
        #expect(try store.countLeads(dach, now: Self.now) == 3)
        #expect(try store.leads(dach, now: Self.now).map(\.country) == ["DE", "DE", "CH"])
        let counts = try store.countMatching(
            [.segment("dach"), .constant(false), .constant(true)],
            segments: ruleset.segmentConditions,
            now: Self.now
        )
        #expect(counts == [MatchCount(leads: 3, pooled: 3), MatchCount(leads: 0, pooled: 0), MatchCount(leads: 5, pooled: 5)])
    }
}
