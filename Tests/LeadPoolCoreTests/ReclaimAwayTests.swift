import Foundation
import LeadPoolCore
import Testing

/// Days a lead's owner is away are no idle days: a lead given to a rep on leave is not
/// reclaimed while she is away, and its reclaim date moves by the days away.
@Suite struct ReclaimAwayTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }
    static let policy = Ruleset.ReclaimPolicy(noActivityDays: 14, maxHoldDays: 60, cooldownDays: 7, warnDays: 3)

    static func lead(claimed: String) -> Lead {
        Lead(id: 1, company: "Acme", owner: "li", createdAt: at("2026-11-01"), claimedAt: at(claimed))
    }

    static func rep(away from: String?, until: String?) -> Rep {
        Rep(handle: "li", name: "Li", awayFrom: from.map(at), awayUntil: until.map(at), createdAt: at("2026-01-01"))
    }

    @Test func theOverlapOfTheAwayWindowWithTheIdleSpanIsLeftOut() {
        // Transferred on 12-01 to a rep away 12-01 through 12-20 (20 days), back on 12-21.
        let lead = Self.lead(claimed: "2026-12-01")
        let li = Self.rep(away: "2026-12-01", until: "2026-12-21")
        let context = { (now: String) in ConditionContext(now: Self.at(now)) }
        #expect(Self.policy.verdict(for: lead, ownerActive: true, in: context("2026-12-20")) != nil, "without the window: 19 idle days")
        #expect(Self.policy.verdict(for: lead, ownerActive: true, owner: li, in: context("2026-12-20")) == nil, "while away")
        #expect(Self.policy.verdict(for: lead, ownerActive: true, owner: li, in: context("2027-01-03T23:59:59Z")) == nil, "13 days since her return")
        let due = Self.policy.verdict(for: lead, ownerActive: true, owner: li, in: context("2027-01-04"))
        #expect(due?.reason == "no activity for 14 days not counting 20 days away (limit 14)")
        #expect(
            Self.policy.forecast(for: lead, ownerActive: true, owner: li, in: context("2026-12-10"))
                == .due(
                    at: Self.at("2027-01-04"),
                    ReclaimVerdict(cause: .noActivity, reason: "no activity for 0 days not counting 9 days away (limit 14)")
                )
        )
        // An inactive owner's leads go back whatever the window.
        #expect(Self.policy.verdict(for: lead, ownerActive: false, owner: li, in: context("2026-12-10"))?.cause == .inactiveRep)
    }

    @Test func onlyTheOverlapCounts() {
        let since = Self.at("2026-12-01")
        typealias Policy = Ruleset.ReclaimPolicy
        // A window wholly before or after the idle span changes nothing.
        #expect(Policy.idleDays(since: since, at: Self.at("2026-12-15"), owner: Self.rep(away: "2026-11-01", until: "2026-11-20")) == (14, 0))
        #expect(Policy.idleDays(since: since, at: Self.at("2026-12-15"), owner: Self.rep(away: "2026-12-20", until: "2026-12-31")) == (14, 0))
        // Partly inside, either end.
        #expect(Policy.idleDays(since: since, at: Self.at("2026-12-15"), owner: Self.rep(away: "2026-11-25", until: "2026-12-04")) == (11, 3))
        #expect(Policy.idleDays(since: since, at: Self.at("2026-12-15"), owner: Self.rep(away: "2026-12-10", until: "2027-01-04")) == (9, 5))
        // Due dates: plain, pushed by a window, never under an open-ended one.
        #expect(Policy.idleDue(since: since, limitDays: 14, owner: nil) == Self.at("2026-12-15"))
        #expect(Policy.idleDue(since: since, limitDays: 14, owner: Self.rep(away: "2026-12-20", until: "2026-12-31")) == Self.at("2026-12-15"))
        #expect(Policy.idleDue(since: since, limitDays: 14, owner: Self.rep(away: "2026-12-10", until: "2026-12-20")) == Self.at("2026-12-25"))
        #expect(Policy.idleDue(since: since, limitDays: 14, owner: Self.rep(away: "2026-11-20", until: "2026-12-05")) == Self.at("2026-12-19"))
        #expect(Policy.idleDue(since: since, limitDays: 14, owner: Self.rep(away: "2026-12-10", until: nil)) == nil)
    }
}
