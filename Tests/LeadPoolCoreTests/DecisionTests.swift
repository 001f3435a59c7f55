import Foundation
import LeadPoolCore
import Testing

/// The refusal rules and limits the store applies inside its transactions, as pure values.
@Suite struct DecisionTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let alice = Rep(handle: "alice", name: "Alice", createdAt: now)
    static let bob = Rep(handle: "bob", name: "Bob", createdAt: now)
    static let admin = Rep(handle: "root", name: "Root", role: .admin, createdAt: now)

    private func lead(_ configure: (inout Lead) -> Void = { _ in }) -> Lead {
        var lead = Lead(id: 7, company: "Acme", createdAt: Self.now.addingTimeInterval(-86_400))
        configure(&lead)
        return lead
    }

    // MARK: - Claims

    @Test func claimRefusedWhenOwned() {
        let policy = ClaimPolicy()
        #expect(policy.claimRefusal(of: lead { $0.owner = "alice" }, by: Self.alice, at: Self.now) { .released } == "already yours")
        #expect(policy.claimRefusal(of: lead { $0.owner = "bob" }, by: Self.alice, at: Self.now) { .released } == "already owned by bob")
        #expect(policy.claimRefusal(of: lead(), by: Self.alice, at: Self.now) { .released } == nil)
    }

    @Test func claimRefusedWhenClosed() {
        let refusal = ClaimPolicy().claimRefusal(of: lead { $0.status = .converted }, by: Self.alice, at: Self.now) { .released }
        #expect(refusal == "not open: it is converted")
    }

    @Test func claimRefusedDuringCooldownSaysHowTheLeadLeft() {
        let policy = ClaimPolicy(cooldownDays: 3)
        let cooling = lead {
            $0.previousOwner = "alice"
            $0.releasedAt = Self.now.addingTimeInterval(-86_400)
        }
        let released = policy.claimRefusal(of: cooling, by: Self.alice, at: Self.now) { .released }
        #expect(released?.hasPrefix("cooldown: you released it on ") == true)
        let reclaimed = policy.claimRefusal(of: cooling, by: Self.alice, at: Self.now) { .reclaimed }
        #expect(reclaimed?.hasPrefix("cooldown: the pool took it back from you on ") == true)
        #expect(policy.claimRefusal(of: cooling, by: Self.bob, at: Self.now) { .released } == nil, "another rep may take it")
        let later = Self.now.addingTimeInterval(3 * 86_400)
        #expect(policy.claimRefusal(of: cooling, by: Self.alice, at: later) { .released } == nil, "the cooldown is over")
    }

    @Test func aCooldownRefusalSpeaksTheRepsZone() {
        let policy = ClaimPolicy(cooldownDays: 1)
        var shanghai = Self.alice
        shanghai.timeZone = "Asia/Shanghai"
        // Released at 2026-11-30T20:00Z: 2026-12-01 04:00 in Shanghai.
        let releasedAt = Timestamp.parse("2026-11-30T20:00:00Z")!
        let cooling = lead {
            $0.previousOwner = "alice"
            $0.releasedAt = releasedAt
        }
        let refusal = policy.claimRefusal(of: cooling, by: shanghai, at: releasedAt) { .released }
        #expect(refusal == "cooldown: you released it on 2026-12-01; you may claim it again from 2026-12-02T04:00:00+08:00")
        let utc = policy.claimRefusal(of: cooling, by: Self.alice, at: releasedAt) { .released }
        #expect(utc == "cooldown: you released it on 2026-11-30; you may claim it again from 2026-12-01T20:00:00Z")
    }

    @Test func theExitIsOnlyAskedForACooldown() throws {
        struct Asked: Error {}
        let refusal = try ClaimPolicy(cooldownDays: 3).claimRefusal(of: lead(), by: Self.alice, at: Self.now) { throw Asked() }
        #expect(refusal == nil)
    }

    @Test func budgetRefusesAtCapacityThenAtTheDailyLimit() {
        var budget = ClaimBudget(held: 1, claimedToday: 0, capacity: 2, dailyLimit: 5)
        #expect(budget.refusal == nil)
        #expect(budget.room == 1)
        budget.take()
        #expect(budget.refusal == "capacity: you hold 2 of 2 open or qualified leads")
        let daily = ClaimBudget(held: 0, claimedToday: 3, capacity: nil, dailyLimit: 3)
        #expect(daily.refusal == "daily limit: you claimed 3 of 3 today")
        #expect(ClaimBudget(held: 9, claimedToday: 9, capacity: nil, dailyLimit: nil).room == .max)
    }

    @Test func cooldownFloorIsTheCooldownBeforeNow() {
        #expect(ClaimPolicy().cooldownFloor(at: Self.now) == nil)
        #expect(ClaimPolicy(cooldownDays: 2).cooldownFloor(at: Self.now) == Self.now.addingTimeInterval(-2 * 86_400))
    }

    // MARK: - Actions

    @Test func actionOnAnotherRepsLeadIsNotYours() {
        #expect(LeadAction.qualify.refusal(of: lead { $0.owner = "bob" }, by: Self.alice) == "not yours: bob owns it")
        #expect(LeadAction.qualify.refusal(of: lead(), by: Self.alice) == "not yours: it is in the pool")
        #expect(LeadAction.qualify.refusal(of: lead { $0.owner = "bob" }, by: Self.admin) == nil, "an admin may")
    }

    @Test func actionRefusals() {
        #expect(LeadAction.release(reason: "r").refusal(of: lead(), by: Self.admin) == "not owned: it is already in the pool")
        let closed = lead {
            $0.owner = "alice"
            $0.status = .disqualified
        }
        #expect(LeadAction.touch(kind: "call", note: nil).refusal(of: closed, by: Self.alice) == "closed: it is disqualified")
        let qualified = lead {
            $0.owner = "alice"
            $0.status = .qualified
        }
        #expect(LeadAction.qualify.refusal(of: qualified, by: Self.alice) == "already qualified")
        #expect(LeadAction.convert.refusal(of: qualified, by: Self.alice) == nil)
    }

    @Test func actionEvents() {
        let owned = lead { $0.owner = "alice" }
        let release = LeadAction.release(reason: "no budget").event(for: owned, actor: "alice", at: Self.now)
        #expect(release.kind == "released")
        #expect(release.fromOwner == "alice")
        #expect(release.toOwner == nil)
        #expect(release.reason == "no budget")
        let touch = LeadAction.touch(kind: "call", note: "said \"hi\"").event(for: owned, actor: "alice", at: Self.now)
        #expect(touch.detail == #"{"kind":"call","note":"said \"hi\""}"#)
        #expect(touch.toOwner == "alice")
    }

    // MARK: - Transfer, admins

    @Test func transferRefusals() {
        let transfer = LeadTransfer(to: "bob")
        #expect(transfer.refusal(of: lead { $0.owner = "bob" }) == "already owned by bob")
        #expect(transfer.refusal(of: lead { $0.status = .converted }) == "closed: it is converted")
        #expect(
            transfer.refusal(
                of: lead {
                    $0.owner = "alice"
                    $0.status = .qualified
                }
            ) == nil
        )
        var inactive = Self.alice
        inactive.active = false
        #expect(throws: LeadPoolError.self) { try LeadTransfer.checkRecipient(inactive) }
    }

    @Test func theLastActiveAdminStays() throws {
        #expect(throws: LeadPoolError.self) { try Rep.keepAnAdmin(losing: Self.admin, activeAdmins: 1) }
        try Rep.keepAnAdmin(losing: Self.admin, activeAdmins: 2)
        try Rep.keepAnAdmin(losing: Self.alice, activeAdmins: 0)
    }

    // MARK: - Rounds

    @Test func roundLoadStopsARepThatFilledUpMeanwhile() {
        let reps = [
            PlannerRep(Rep(handle: "a", name: "A", capacity: 2, createdAt: Self.now), defaultCapacity: 10, held: 1),
            PlannerRep(Rep(handle: "b", name: "B", createdAt: Self.now), defaultCapacity: 10, held: 0),
        ]
        var load = RoundLoad(reps: reps)
        #expect(load.hasRoom("a"))
        load.gainedElsewhere("a", 1)
        #expect(!load.hasRoom("a"), "a claim filled a up while the round ran")
        load.give("b", rule: "r1")
        load.give("b", rule: "r2")
        #expect(load.given == ["b": 2])
        #expect(load.givenByRule == ["r1": 1, "r2": 1])
        #expect(load.assigned == 2)
        #expect(load.hasRoom("stranger"), "a rep unknown to the snapshot has no limit here")
    }

    @Test func routingTakesTheFirstRuleThatHolds() throws {
        let ruleset = try Ruleset.parse(
            """
            rules:
              - { name: fr, when: 'country = "FR"', to: [a] }
              - { name: big, when: 'employees >= 100', to: [b] }
              - { name: rest, when: 'true', to: [a, b] }
            """,
            fileName: "r.yaml"
        )
        let context = ruleset.conditionContext(now: Self.now)
        #expect(
            ruleset.routingRule(
                for: lead {
                    $0.country = "FR"
                    $0.employees = 500
                },
                in: context
            ) == 0
        )
        #expect(ruleset.routingRule(for: lead { $0.employees = 500 }, in: context) == 1)
        #expect(ruleset.routingRule(for: lead(), in: context) == 2)
        #expect(Routing.firstMatch(among: 3) { $0 >= 1 } == 1)
        #expect(Routing.firstMatch(among: 0) { _ in true } == nil)
    }

    // MARK: - Mine

    @Test func heldLeadForecastsSoonestFirst() throws {
        let policy = try Ruleset.parse("reclaim: { no-activity-days: 10, max-hold-days: 30, warn-days: 3 }", fileName: "r.yaml").reclaim
        func held(_ id: Int64, idle: Int, status: LeadStatus = .open) -> Lead {
            Lead(
                id: id,
                company: "C\(id)",
                status: status,
                owner: "alice",
                createdAt: Self.now.addingTimeInterval(-40 * 86_400),
                claimedAt: Self.now.addingTimeInterval(-20 * 86_400),
                lastActivityAt: Self.now.addingTimeInterval(TimeInterval(-idle * 86_400))
            )
        }
        let forecasts = policy.forecasts(
            for: [held(1, idle: 2), held(2, idle: 8), held(3, idle: 1, status: .converted)],
            ownerActive: true,
            in: ConditionContext(now: Self.now)
        )
        #expect(forecasts.map(\.lead.id) == [2, 1], "the converted lead is not reclaimable")
        #expect(forecasts[0].reclaimAt == Self.now.addingTimeInterval(2 * 86_400))
        #expect(forecasts[0].warned(by: policy, at: Self.now))
        #expect(!forecasts[1].warned(by: policy, at: Self.now))
    }
}
