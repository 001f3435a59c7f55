import Foundation
import LeadPoolCore
import Testing

/// `pools:` as the rules file gives it, and the decisions made with it: membership, pool
/// admins, a pool's claim limits, its waiting period and moves.
@Suite struct PoolDecisionTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let lily = Rep(handle: "lily", name: "Lily", team: "east", createdAt: now)
    static let bob = Rep(handle: "bob", name: "Bob", team: "west", createdAt: now)
    static let wang = Rep(handle: "wang", name: "Wang", team: "ops", createdAt: now)
    static let root = Rep(handle: "root", name: "Root", role: .admin, createdAt: now)

    static let yaml = """
        pools:
          - name: east
            members: [team:east, carol]
            admins: [wang]
            claim: { daily-limit: 10, capacity: 40 }
            claimable-after: 2h
            reclaim: { no-activity-days: 7, to: east-recycle }
            hidden: [title]
          - { name: east-recycle, members: [team:east], admins: [wang] }
          - { name: west, members: [team:west] }
        rules:
          - { name: recycle, when: 'idle_days > 30', to: pool:east-recycle, pool: east }
          - { name: rest, when: 'true', to: team:east }
        """

    private func errors(_ yaml: String) -> [RulesetIssue] {
        let result = Ruleset.check(yaml, fileName: "r.yaml")
        #expect(result.ruleset == nil, "expected errors")
        return result.errors
    }

    private func lead(pool: String = "east", _ configure: (inout Lead) -> Void = { _ in }) -> Lead {
        var lead = Lead(id: 7, company: "Acme", pool: pool, createdAt: Self.now.addingTimeInterval(-86_400))
        configure(&lead)
        return lead
    }

    // MARK: - Parsing

    @Test func poolsAreReadWithEverySetting() throws {
        let ruleset = try Ruleset.parse(Self.yaml, fileName: "r.yaml")
        #expect(ruleset.pools.map(\.name) == ["east", "east-recycle", "west"])
        let east = try #require(ruleset.pool(named: "east"))
        #expect(east.members == [.team("east"), .rep("carol")])
        #expect(east.admins == ["wang"])
        #expect(east.dailyLimit == 10 && east.capacity == 40)
        #expect(east.claimableAfter == 7_200)
        #expect(east.reclaim == .init(noActivityDays: 7, to: "east-recycle"))
        #expect(east.hidden == [.field(.title)])
        #expect(ruleset.rules[0].toPool == "east-recycle" && ruleset.rules[0].targets.isEmpty && ruleset.rules[0].pool == "east")
        #expect(ruleset.rules[1].toPool == nil && ruleset.rules[1].pool == nil)
        #expect(ruleset.poolNames == ["main", "east", "east-recycle", "west"], "main always exists")
        #expect(ruleset.reclaimTarget(of: "east") == "east-recycle")
        #expect(ruleset.reclaimTarget(of: "west") == "west")
        #expect(ruleset.claimPolicy.pools == ruleset.pools)
    }

    @Test func withoutPoolsThereIsOneOpenPoolMain() throws {
        let ruleset = try Ruleset.parse("{}", fileName: "r.yaml")
        #expect(ruleset.poolNames == ["main"])
        #expect(ruleset.pools(visibleTo: Self.bob) == ["main"])
        #expect(ruleset.claimPolicy.poolRefusal(of: lead(pool: "main"), by: Self.bob, at: Self.now) == nil)
    }

    @Test func unknownPoolsAreRefusedWhereTheyAreNamed() {
        let issues = errors(
            """
            pools:
              - { name: east, reclaim: { to: esat-recycle } }
              - { name: east }
            rules:
              - { name: a, when: 'true', to: pool:wets }
              - { name: b, when: 'true', to: team:x, pool: nowhere }
            """
        )
        #expect(issues.contains { $0.location.line == 2 && $0.description.contains("no pool named 'esat-recycle'") })
        #expect(issues.contains { $0.location.line == 3 && $0.description.contains("pool 'east' appears twice") })
        #expect(issues.contains { $0.location.line == 5 && $0.description.contains("no pool named 'wets'") })
        #expect(issues.contains { $0.location.line == 6 && $0.description.contains("no pool named 'nowhere'") })
    }

    @Test func badPoolSettingsNameTheirPlace() {
        let issues = errors(
            """
            pools:
              - name: east
                claimable-after: soon
                claim: { daily-limit: -1 }
                memberz: [lily]
            """
        )
        #expect(issues.contains { $0.location.line == 3 && $0.description.contains("'soon' is not a duration") })
        #expect(issues.contains { $0.location.line == 4 && $0.description.contains("daily-limit of pool 'east'") })
        #expect(issues.contains { $0.location.line == 5 && $0.description.contains("did you mean 'members'?") })
    }

    @Test func durationsTakeOneUnit() {
        #expect(Ruleset.duration("30m") == 1_800)
        #expect(Ruleset.duration("2h") == 7_200)
        #expect(Ruleset.duration("1d") == 86_400)
        #expect(Ruleset.duration("2 hours") == nil)
        #expect(Ruleset.duration("-1h") == nil)
        #expect(Ruleset.durationText(7_200) == "2h")
        #expect(Ruleset.durationText(90) == "90s")
    }

    // MARK: - Membership and admins

    @Test func membersAdminsAndGlobalAdminsSeeAPool() throws {
        let ruleset = try Ruleset.parse(Self.yaml, fileName: "r.yaml")
        let east = try #require(ruleset.pool(named: "east"))
        #expect(east.admits(Self.lily), "by team")
        #expect(east.admits(Rep(handle: "carol", name: "Carol", createdAt: Self.now)), "by handle")
        #expect(east.admits(Self.wang), "a pool admin")
        #expect(east.admits(Self.root), "a global admin")
        #expect(!east.admits(Self.bob))
        #expect(east.denial(to: Self.bob)?.contains("pool east") == true)
        #expect(ruleset.pools(visibleTo: Self.bob) == ["main", "west"])
        #expect(ruleset.pools(visibleTo: Self.lily) == ["main", "east", "east-recycle"])
        #expect(east.isAdministered(by: Self.wang) && east.isAdministered(by: Self.root))
        #expect(!east.isAdministered(by: Self.lily))
    }

    @Test func aClaimOutsideTheMembersIsDeniedNamingThePool() throws {
        let policy = try Ruleset.parse(Self.yaml, fileName: "r.yaml").claimPolicy
        guard case .denied(let reason) = policy.poolRefusal(of: lead(), by: Self.bob, at: Self.now) else {
            Issue.record("expected a denial")
            return
        }
        #expect(reason.contains("pool east"))
        #expect(policy.poolRefusal(of: lead(pool: "gone"), by: Self.lily, at: Self.now) != nil, "a pool the file dropped")
        #expect(policy.poolRefusal(of: lead(pool: "gone"), by: Self.root, at: Self.now) == nil)
    }

    // MARK: - Waiting period

    @Test func aFreshlyPooledLeadWaitsUntilItOpens() throws {
        let policy = try Ruleset.parse(Self.yaml, fileName: "r.yaml").claimPolicy
        let released = lead { $0.releasedAt = Self.now.addingTimeInterval(-3_600) }
        guard case .waiting(let reason) = policy.poolRefusal(of: released, by: Self.lily, at: Self.now) else {
            Issue.record("expected a wait")
            return
        }
        #expect(reason.contains(Timestamp.string(Self.now.addingTimeInterval(3_600))), "names when it opens")
        #expect(policy.poolRefusal(of: released, by: Self.lily, at: Self.now.addingTimeInterval(3_600)) == nil, "open at the second")
        let moved = lead { $0.movedAt = Self.now.addingTimeInterval(-60) }
        #expect(moved.pooledSince == Self.now.addingTimeInterval(-60))
        #expect(policy.poolRefusal(of: moved, by: Self.lily, at: Self.now) != nil)
        #expect(policy.poolRefusal(of: lead(), by: Self.lily, at: Self.now) == nil, "created a day ago")
    }

    // MARK: - Claim limits

    @Test func poolBudgetRefusesAtItsCapacityThenItsDailyLimit() {
        var budget = PoolBudget(pool: "east", held: 39, claimedToday: 0, capacity: 40, dailyLimit: 10)
        #expect(budget.refusal == nil && budget.room == 1)
        budget.take()
        #expect(budget.refusal == "pool east's capacity: you hold 40 of 40 leads from east")
        let daily = PoolBudget(pool: "east", held: 0, claimedToday: 10, capacity: nil, dailyLimit: 10)
        #expect(daily.refusal == "pool east's daily limit: you claimed 10 of 10 from east today")
        #expect(!PoolBudget.isLimited(Ruleset.Pool(name: "main")))
    }

    // MARK: - Moves

    @Test func movesNeedAnAdminOfBothPools() throws {
        let ruleset = try Ruleset.parse(Self.yaml, fileName: "r.yaml")
        let toRecycle = LeadMove(to: try ruleset.requirePool("east-recycle"))
        let east = ruleset.pool(named: "east")
        #expect(toRecycle.denial(of: lead(), from: east, by: Self.wang) == nil)
        #expect(toRecycle.denial(of: lead(), from: east, by: Self.root) == nil)
        #expect(toRecycle.denial(of: lead(), from: east, by: Self.lily) != nil)
        let toWest = LeadMove(to: try ruleset.requirePool("west"))
        #expect(toWest.denial(of: lead(), from: east, by: Self.wang)?.contains("pool west") == true)
        #expect(toRecycle.refusal(of: lead(pool: "east-recycle")) == "already in pool east-recycle")
        let event = toRecycle.event(for: lead(), actor: "wang", at: Self.now)
        #expect(event.kind == .moved && event.detail == #"{"from":"east","to":"east-recycle"}"#)
        #expect(throws: LeadPoolError.self) { try ruleset.requirePool("wets") }
    }

    // MARK: - Visibility

    @Test func aPoolsHiddenFieldsAreHiddenOnItsLeadsOnly() throws {
        let visibility = try Ruleset.parse(Self.yaml, fileName: "r.yaml").visibility
        #expect(visibility.isHidden(.field(.title), from: Self.lily, on: lead { $0.title = "CEO" }))
        #expect(!visibility.isHidden(.field(.title), from: Self.lily, on: lead(pool: "west") { $0.title = "CEO" }))
        #expect(!visibility.isHidden(.field(.title), from: Self.lily, on: lead { $0.owner = "lily" }))
        #expect(visibility.isHidden(.field(.title), from: Self.lily, on: nil), "a condition over every pool")
    }
}
