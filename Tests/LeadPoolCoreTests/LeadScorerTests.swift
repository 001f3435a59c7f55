import Foundation
import LeadPoolCore
import Testing

@Suite struct LeadScorerTests {
    static let now = Date(timeIntervalSince1970: 1_772_366_400)

    static let ruleset = try! Ruleset.parse(
        """
        tiers: { A: 80, B: 60, C: 40 }
        segments: { dach: 'country in ("DE", "AT", "CH")' }
        icp:
          - { name: software, when: 'industry = "Software"', points: 40 }
          - { name: size, when: 'employees >= 200', points: 30 }
          - { name: dach, when: 'segment("dach")', points: 20 }
          - { name: webinar, when: 'tag("webinar")', points: 25 }
          - { name: free-mail, when: 'email matches "*@gmail.com"', points: -50 }
        """,
        fileName: "r.yaml"
    )

    private func lead(_ configure: (inout Lead) -> Void = { _ in }) -> Lead {
        var lead = Lead(id: 1, company: "Acme", createdAt: Self.now)
        configure(&lead)
        return lead
    }

    @Test func sumsThePointsOfMetCriteria() {
        let scorer = LeadScorer(ruleset: Self.ruleset, now: Self.now)
        let breakdown = scorer.breakdown(
            lead {
                $0.industry = "software"
                $0.country = "AT"
            }
        )
        #expect(breakdown.lines.map(\.met) == [true, false, true, false, false])
        #expect(breakdown.lines.map(\.earned) == [40, 0, 20, 0, 0])
        #expect(breakdown.sum == 60)
        #expect(breakdown.score == 60)
        #expect(breakdown.tier == "B")
    }

    @Test func clampsAtHundredAndZero() {
        let scorer = LeadScorer(ruleset: Self.ruleset, now: Self.now)
        let full = scorer.breakdown(
            lead {
                $0.industry = "Software"
                $0.employees = 500
                $0.country = "DE"
                $0.tags = ["Webinar"]
            }
        )
        #expect(full.sum == 115)
        #expect(full.score == 100)
        #expect(full.tier == "A")
        let penalized = scorer.breakdown(
            lead {
                $0.email = "x@GMAIL.com"
                $0.employees = 300
            }
        )
        #expect(penalized.sum == -20)
        #expect(penalized.score == 0)
        #expect(penalized.tier == "D")
    }

    @Test func noCriteriaScoresZeroInTheFloorTier() {
        let scorer = LeadScorer(ruleset: .standard, now: Self.now)
        #expect(scorer.score(lead()) == (0, "D"))
    }

    @Test(arguments: [(100, "A"), (80, "A"), (79, "B"), (60, "B"), (59, "C"), (40, "C"), (39, "D"), (0, "D")])
    func tierBands(score: Int, tier: String) {
        #expect(Self.ruleset.tier(for: score) == tier)
    }

    @Test func scoreAgreesWithBreakdown() {
        let scorer = LeadScorer(ruleset: Self.ruleset, now: Self.now)
        for employees in [nil, 10, 200] as [Int64?] {
            for industry in [nil, "Software", "Retail"] {
                let l = lead {
                    $0.employees = employees
                    $0.industry = industry
                    $0.email = "a@gmail.com"
                }
                let breakdown = scorer.breakdown(l)
                #expect(scorer.score(l) == (breakdown.score, breakdown.tier))
            }
        }
    }
}
