import Foundation
import LeadPoolCore
import LeadPoolStorage
import Testing

/// Pools through the storage protocol: import into a pool, moves, claims under a pool's
/// membership, waiting period and limits, rounds moving leads, and reclaim into `reclaim.to`.
@Suite struct PoolConformanceTests {
    typealias C = StorageConformanceTests
    static let now = C.now
    static let rules = """
        pools:
          - { name: east, members: [alice], admins: [bob], claim: { daily-limit: 1, capacity: 2 }, claimable-after: 1h,
              reclaim: { no-activity-days: 2, to: recycle } }
          - { name: recycle }
          - { name: vip, members: [alice] }
        rules:
          - { name: to-recycle, when: 'employees < 15', to: pool:recycle, pool: east }
        """

    func world(_ backend: StorageBackend) throws -> C.World {
        try C.world(backend, rules: Self.rules, leads: C.pool(4))
    }

    @Test(arguments: StorageBackend.all) func importAndMovePlaceLeadsInPools(_ backend: StorageBackend) throws {
        let w = try world(backend)
        #expect(try w.leads.map { try w.lead($0).pool } == ["main", "main", "main", "main"])
        let summary = try w.storage.importLeads(file: "e.csv", source: nil, pool: "east", policy: .skip, dryRun: false, actor: "root", at: Self.now) {
            try $0.add(LeadDraft(line: 2, company: "Imported"))
        }
        #expect(summary.new == 1)
        let imported = try #require(try w.storage.leads(LeadQuery(), now: Self.now).first { $0.company == "Imported" })
        #expect(imported.pool == "east")

        let moved = try w.storage.move([w.leads[0], w.leads[1]], toPool: "east", by: C.admin, at: Self.now)
        #expect(moved.allSatisfy { $0.succeeded })
        let first = try w.lead(w.leads[0])
        #expect(first.pool == "east" && first.movedAt == Self.now)
        #expect(try w.storage.history(w.leads[0]).last?.kind == .moved)
        #expect(
            try w.storage.move([w.leads[0]], toPool: "east", by: C.admin, at: Self.now) == [
                LeadOutcome(leadID: w.leads[0], result: .refused("already in pool east"))
            ]
        )
        // bob keeps east but not main: he may not move main's leads in.
        let bob = try w.storage.move([w.leads[2]], toPool: "east", by: w.bob, at: Self.now)
        guard case .denied = bob.first?.result else {
            Issue.record("expected a denial, got \(bob)")
            return
        }
        #expect(throws: LeadPoolError.self) { try w.storage.move([w.leads[2]], toPool: "nowhere", by: C.admin, at: Self.now) }
        #expect(try w.storage.check().allSatisfy { $0.problems.isEmpty })
    }

    @Test(arguments: StorageBackend.all) func claimsHonourMembershipWaitingAndPoolLimits(_ backend: StorageBackend) throws {
        let w = try world(backend)
        _ = try w.storage.move(Array(w.leads[0...1]), toPool: "east", by: C.admin, at: Self.now)
        _ = try w.storage.move([w.leads[2]], toPool: "vip", by: C.admin, at: Self.now)
        let denied = try w.storage.claim([w.leads[2]], for: w.bob, at: Self.now.addingTimeInterval(7_200))
        guard case .denied(let reason) = denied.first?.result else {
            Issue.record("expected a denial, got \(denied)")
            return
        }
        #expect(reason.contains("pool vip"))
        let early = try w.storage.claim([w.leads[0]], for: w.alice, at: Self.now.addingTimeInterval(1_800))
        guard case .refused(let wait) = early.first?.result else {
            Issue.record("expected a wait")
            return
        }
        #expect(wait.contains("opens at"))
        let later = Self.now.addingTimeInterval(3_600)
        #expect(
            try w.storage.claim([w.leads[0], w.leads[1]], for: w.alice, at: later) == [
                LeadOutcome(leadID: w.leads[0], result: .done),
                LeadOutcome(leadID: w.leads[1], result: .refused("pool east's daily limit: you claimed 1 of 1 from east today")),
            ]
        )
        // --next passes over the pool at its limit and takes the other pools' leads.
        let next = try w.storage.claimNext(5, matching: LeadQuery(), for: w.alice, at: later)
        #expect(next.claimed == [w.leads[2], w.leads[3]])
        #expect(next.stop == ClaimBudget.noMoreLeads || next.stop?.contains("pool east") == true)
        #expect(try w.storage.check().allSatisfy { $0.problems.isEmpty })
    }

    @Test(arguments: StorageBackend.all) func roundsMoveLeadsAndReclaimUsesThePoolsRules(_ backend: StorageBackend) throws {
        let w = try world(backend)
        _ = try w.storage.move(w.leads, toPool: "east", by: C.admin, at: Self.now)
        let later = Self.now.addingTimeInterval(7_200)
        let dry = try w.storage.runRound(scope: RoundScope(), dryRun: true, actor: "root", at: later)
        #expect(dry.input.moves.map(\.leadID) == [w.leads[0]], "employees 10 < 15")
        let run = try w.storage.runRound(scope: RoundScope(pool: "east"), dryRun: false, actor: "root", at: later)
        #expect(run.written?.moved.map(\.leadID) == [w.leads[0]])
        #expect(try w.lead(w.leads[0]).pool == "recycle")
        #expect(try w.storage.history(w.leads[0]).last?.rule == "to-recycle")

        #expect(try w.storage.claim([w.leads[1]], for: w.alice, at: later).allSatisfy { $0.succeeded })
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        let due = later.addingTimeInterval(2 * C.day)
        let reclaimed = try w.storage.reclaim(ruleset, at: due, runBy: "root")
        #expect(reclaimed.reclaimed.map(\.id) == [w.leads[1]])
        #expect(reclaimed.reclaimed.first?.pool == "recycle")
        let lead = try w.lead(w.leads[1])
        #expect(lead.owner == nil && lead.pool == "recycle")
        #expect(try w.storage.reclaim(ruleset, at: due, runBy: "root").reclaimed.isEmpty)
        #expect(try w.storage.check().allSatisfy { $0.problems.isEmpty })
    }

    @Test(arguments: StorageBackend.all) func reclaimOfSomePoolsTakesOnlyTheirLeads(_ backend: StorageBackend) throws {
        let w = try world(backend)
        _ = try w.storage.move([w.leads[0]], toPool: "east", by: C.admin, at: Self.now)
        let later = Self.now.addingTimeInterval(7_200)
        #expect(try w.storage.claim([w.leads[0]], for: w.alice, at: later).allSatisfy { $0.succeeded })
        #expect(try w.storage.claim([w.leads[1]], for: w.bob, at: later).allSatisfy { $0.succeeded })
        _ = try w.storage.setActive(w.bob.handle, false)
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        let due = later.addingTimeInterval(2 * C.day)
        #expect(try w.storage.reclaimCandidates(ruleset, at: due).map(\.id) == [w.leads[0], w.leads[1]])
        #expect(try w.storage.reclaimCandidates(ruleset, at: due, pools: ["main"]).map(\.id) == [w.leads[1]], "bob's, inactive")
        #expect(try w.storage.reclaimCandidates(ruleset, at: due, pools: ["recycle", "vip"]).isEmpty)
        let east = try w.storage.reclaim(ruleset, at: due, pools: ["east"], runBy: "bob")
        #expect(east.reclaimed.map(\.id) == [w.leads[0]] && east.reclaimed.first?.pool == "recycle")
        #expect(try w.lead(w.leads[1]).owner == w.bob.handle, "main's lead stays")
        #expect(try w.storage.reclaim(ruleset, at: due, pools: ["east"], runBy: "bob").reclaimed.isEmpty)
        #expect(try w.storage.reclaim(ruleset, at: due, runBy: "root").reclaimed.map(\.id) == [w.leads[1]])
        #expect(try w.storage.check().allSatisfy { $0.problems.isEmpty })
    }

    @Test(arguments: StorageBackend.all) func poolBudgetsGiveEachLimitedPoolOfTheRep(_ backend: StorageBackend) throws {
        let w = try world(backend)
        _ = try w.storage.move([w.leads[0]], toPool: "east", by: C.admin, at: Self.now)
        let later = Self.now.addingTimeInterval(7_200)
        #expect(try w.storage.claim([w.leads[0]], for: w.alice, at: later).allSatisfy { $0.succeeded })
        #expect(
            try w.storage.poolBudgets(for: w.alice, at: later) == [
                PoolBudget(pool: "east", held: 1, claimedToday: 1, capacity: 2, dailyLimit: 1)
            ]
        )
        #expect(try w.storage.heldLeads(of: w.alice, at: later).pools.map(\.room) == [0])
        // bob keeps east, so he may claim there; a new day starts the count again.
        #expect(
            try w.storage.poolBudgets(for: w.bob, at: later.addingTimeInterval(C.day)) == [
                PoolBudget(pool: "east", held: 0, claimedToday: 0, capacity: 2, dailyLimit: 1)
            ]
        )
        #expect(try w.storage.poolBudgets(for: w.alice, at: later.addingTimeInterval(C.day)).first?.claimedToday == 0)
    }

    @Test(arguments: StorageBackend.all) func reportGivesEachPoolAndCountsIdleLeadsByThePoolsThresholds(_ backend: StorageBackend) throws {
        let w = try world(backend)
        _ = try w.storage.move(Array(w.leads[0...1]), toPool: "east", by: C.admin, at: Self.now)
        let later = Self.now.addingTimeInterval(7_200)
        #expect(try w.storage.claim([w.leads[1], w.leads[2]], for: w.alice, at: later).allSatisfy { $0.succeeded })
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        // east's 2 days without activity less the 3 warn-days: alice's east lead counts as idle, her main lead not.
        let reps = try w.storage.report([.reps], ruleset: ruleset, now: later.addingTimeInterval(C.day)).reps
        #expect(reps?.idleThresholdHasOverrides == true)
        #expect(reps?.reps.first { $0.handle == "alice" }.map { ($0.held, $0.idle) } ?? (0, 0) == (2, 1))
        let due = later.addingTimeInterval(2 * C.day)
        #expect(try w.storage.reclaim(ruleset, at: due, runBy: "root").reclaimed.map(\.id) == [w.leads[1]], "east's, into recycle")
        let report = try w.storage.report([.pool], ruleset: ruleset, now: due)
        #expect(
            report.pool?.byPool == [
                PoolActivity(pool: "main", leads: 1, held: 1, claimsRecently: 1, reclaimsRecently: 0),
                PoolActivity(pool: "east", leads: 1, held: 0, claimsRecently: 1, reclaimsRecently: 0),
                PoolActivity(pool: "recycle", leads: 1, held: 0, claimsRecently: 0, reclaimsRecently: 1),
                PoolActivity(pool: "vip", leads: 0, held: 0, claimsRecently: 0, reclaimsRecently: 0),
            ]
        )
    }

    @Test(arguments: StorageBackend.all) func checkFindsLeadsOfDroppedPoolsAndRepsAboveAPoolsCapacity(_ backend: StorageBackend) throws {
        let w = try world(backend)
        _ = try w.storage.move(Array(w.leads[0...1]), toPool: "east", by: C.admin, at: Self.now)
        _ = try w.storage.move([w.leads[2]], toPool: "vip", by: C.admin, at: Self.now)
        // east's daily limit is 1: alice claims one lead a day, up to east's capacity of 2.
        #expect(try w.storage.claim([w.leads[0]], for: w.alice, at: Self.now.addingTimeInterval(7_200)).allSatisfy { $0.succeeded })
        #expect(try w.storage.claim([w.leads[1]], for: w.alice, at: Self.now.addingTimeInterval(C.day)).allSatisfy { $0.succeeded })
        #expect(try w.storage.check().allSatisfy { $0.problems.isEmpty })

        let rules = Self.rules.replacingOccurrences(of: "  - { name: vip, members: [alice] }\n", with: "")
            .replacingOccurrences(of: "capacity: 2", with: "capacity: 1")
        _ = try w.storage.applyRuleset(try Ruleset.parse(rules, fileName: "r.yaml"), source: rules, fileName: "r.yaml", actor: "root", at: Self.now)
        let results = try w.storage.check()
        #expect(
            results.first { $0.name == "every lead is in one pool of the rules file" }?.problems == [
                "1 lead(s) in pool 'vip', which the rules file does not list; move them with `leadpool lead move ID… --pool P`"
            ]
        )
        #expect(
            results.first { $0.name == "nobody is above a pool's claim limits through claims" }?.problems == [
                "alice holds 2 leads claimed from pool east, above its capacity of 1"
            ]
        )
        // Only admins may take a lead of a pool the file dropped.
        guard case .denied = try w.storage.claim([w.leads[2]], for: w.bob, at: Self.now.addingTimeInterval(C.day)).first?.result else {
            Issue.record("expected a denial")
            return
        }
        #expect(try w.storage.move([w.leads[2]], toPool: "main", by: C.admin, at: Self.now).allSatisfy { $0.succeeded })
        #expect(try w.storage.check().first { $0.name == "every lead is in one pool of the rules file" }?.passed == true)
    }
}
