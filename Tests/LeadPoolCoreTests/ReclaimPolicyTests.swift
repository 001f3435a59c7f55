import Foundation
import LeadPoolCore
import Testing

@Suite struct ReclaimPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static let policy = try! Ruleset.parse(
        """
        reclaim:
          no-activity-days: 14
          max-hold-days: 60
          exempt: 'status = "qualified"'
          overrides:
            - { when: 'tier = "A"', no-activity-days: 7 }
            - { when: 'employees >= 40', no-activity-days: 3 }
            - { when: 'country = "FR"', max-hold-days: 20 }
        """,
        fileName: "r.yaml"
    ).reclaim

    private func lead(idle: Int, held: Int, _ configure: (inout Lead) -> Void = { _ in }) -> Lead {
        var lead = Lead(
            id: 1,
            company: "Acme",
            owner: "alice",
            createdAt: Self.now.addingTimeInterval(-100 * 86_400),
            claimedAt: Self.now.addingTimeInterval(TimeInterval(-held * 86_400)),
            lastActivityAt: Self.now.addingTimeInterval(TimeInterval(-idle * 86_400))
        )
        configure(&lead)
        return lead
    }

    private func verdict(_ lead: Lead, active: Bool = true) -> ReclaimVerdict? {
        Self.policy.verdict(for: lead, ownerActive: active, in: ConditionContext(now: Self.now))
    }

    @Test func theFirstMatchingOverrideSetsTheLimits() {
        let a = lead(idle: 7, held: 7) {
            $0.tier = "A"
            $0.employees = 50
        }
        #expect(verdict(a)?.reason == "no activity for 7 days (limit 7 when tier = \"A\")")
        #expect(
            verdict(
                lead(idle: 6, held: 6) {
                    $0.tier = "A"
                    $0.employees = 50
                }
            ) == nil,
            "not 3 from the second override"
        )
        #expect(verdict(lead(idle: 3, held: 3) { $0.employees = 40 })?.reason == "no activity for 3 days (limit 3 when employees >= 40)")
    }

    @Test func anOverrideSettingOneThresholdKeepsThePolicysOther() {
        let fr = lead(idle: 13, held: 20) { $0.country = "FR" }
        #expect(verdict(fr) == ReclaimVerdict(cause: .maxHold, reason: "held for 20 days (limit 20 when country = \"FR\")"))
        #expect(verdict(lead(idle: 13, held: 19) { $0.country = "FR" }) == nil)
        let both = verdict(lead(idle: 14, held: 60))
        #expect(both == ReclaimVerdict(cause: .noActivity, reason: "no activity for 14 days (limit 14); held for 60 days (limit 60)"))
    }

    @Test func exemptLeadsStayUnlessTheRepIsInactive() {
        let qualified = lead(idle: 30, held: 90) { $0.status = .qualified }
        #expect(verdict(qualified) == nil)
        #expect(verdict(qualified, active: false) == ReclaimVerdict(cause: .inactiveRep, reason: "rep deactivated"))
        #expect(verdict(lead(idle: 30, held: 90) { $0.status = .converted }, active: false) == nil, "closed leads stay")
        #expect(
            verdict(
                lead(idle: 30, held: 90) {
                    $0.owner = nil
                    $0.claimedAt = nil
                }
            ) == nil,
            "pool leads stay"
        )
    }

    @Test func forecastGivesTheEarliestDueDateIgnoringFutureActivity() {
        let context = ConditionContext(now: Self.now)
        let fresh = lead(idle: 10, held: 50)
        #expect(
            Self.policy.forecast(for: fresh, ownerActive: true, in: context)
                == .due(
                    at: Self.now.addingTimeInterval(4 * 86_400),
                    ReclaimVerdict(cause: .noActivity, reason: "no activity for 10 days (limit 14)")
                )
        )
        let holding = lead(idle: 1, held: 58)
        #expect(
            Self.policy.forecast(for: holding, ownerActive: true, in: context)
                == .due(
                    at: Self.now.addingTimeInterval(2 * 86_400),
                    ReclaimVerdict(cause: .maxHold, reason: "held for 58 days (limit 60)")
                )
        )
        #expect(Self.policy.forecast(for: lead(idle: 1, held: 1) { $0.status = .qualified }, ownerActive: true, in: context) == .exempt)
        #expect(
            Self.policy.forecast(for: lead(idle: 20, held: 20), ownerActive: true, in: context)
                == .due(at: Self.now, ReclaimVerdict(cause: .noActivity, reason: "no activity for 20 days (limit 14)"))
        )
    }
}
