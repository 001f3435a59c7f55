import Foundation
import LeadPoolCore
import Testing

/// Hand-made rounds with the expected picks written out.
struct PlannerStrategyTests {
    // MARK: - Round-robin

    @Test func roundRobinCyclesInHandleOrder() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "rr", strategy: .roundRobin, reps: ["c", "a", "b"])],
            reps: ["a", "b", "c"].map { PlannerRep(handle: $0, capacity: 10) }
        )
        let plan = try planner.plan(Fixture.leads(7).shuffled(), state: StrategyState())
        #expect(plan.assignments.map(\.rep) == ["a", "b", "c", "a", "b", "c", "a"])
        #expect(plan.assignments.map(\.leadID) == Array(1...7))
        #expect(plan.state.lastAssigned == ["rr": "a"])
        #expect(plan.assignments[0].reason.description == "round-robin: first in handle order")
        #expect(plan.assignments[1].reason.description == "round-robin: next after a")
    }

    @Test(arguments: [
        ("b", ["c", "a", "b"]),
        ("bb", ["c", "a", "b"]),  // a handle no longer known: the next one after it
        ("zz", ["a", "b", "c"]),  // after the last handle: wrap
        ("A", ["a", "b", "c"]),  // byte order: upper case sorts before lower case
    ])
    func roundRobinResumesAfterPersistedPosition(last: String, expected: [String]) throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "rr", strategy: .roundRobin, reps: ["a", "b", "c"])],
            reps: ["a", "b", "c"].map { PlannerRep(handle: $0, capacity: 10) }
        )
        let plan = try planner.plan(Fixture.leads(3), state: StrategyState(lastAssigned: ["rr": last]))
        #expect(plan.assignments.map(\.rep) == expected)
        #expect(plan.assignments[0].reason == .roundRobin(after: last))
    }

    @Test func roundRobinSkipsFullAndCoolingReps() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "rr", strategy: .roundRobin, reps: ["a", "b", "c"])],
            reps: [
                PlannerRep(handle: "a", capacity: 1),
                PlannerRep(handle: "b", capacity: 5),
                PlannerRep(handle: "c", capacity: 5),
            ]
        )
        var leads = Fixture.leads(5)
        leads[4].previousOwner = "c"
        leads[4].releasedAt = Fixture.now.addingTimeInterval(-2 * 86_400)
        let plan = try planner.plan(leads, state: StrategyState())
        // a fills up after one lead; lead 5 would go to c, which lost it two days ago.
        #expect(plan.assignments.map(\.rep) == ["a", "b", "c", "b", "b"])
        #expect(plan.reps.map(\.after) == [1, 3, 1])
    }

    // MARK: - Least-loaded

    @Test func leastLoadedByRatioThenHeldThenHandle() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "ll", strategy: .leastLoaded, reps: ["a", "b", "c"])],
            reps: [
                PlannerRep(handle: "a", capacity: 10, held: 5),  // 0.5
                PlannerRep(handle: "b", capacity: 4, held: 2),  // 0.5, fewer held than a
                PlannerRep(handle: "c", capacity: 20, held: 12),  // 0.6
            ]
        )
        let plan = try planner.plan(Fixture.leads(10), state: StrategyState())
        // b(2/4) a(5/10) a(6/10 ties c 12/20, fewer held) c(12/20) c(13/20) a(7/10 ties c 14/20)
        // c(14/20) b(3/4 ties c 15/20, fewer held; b is then full) c(15/20) a(8/10 ties c 16/20)
        #expect(plan.assignments.map(\.rep) == ["b", "a", "a", "c", "c", "a", "c", "b", "c", "a"])
        #expect(plan.assignments[0].reason.description == "least-loaded: 2/4 held")
        #expect(plan.assignments[3].reason == .leastLoaded(held: 12, capacity: 20))
        #expect(plan.reps.map(\.after) == [9, 4, 16])
    }

    @Test func leastLoadedBreaksFullTiesByHandle() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "ll", strategy: .leastLoaded, reps: ["y", "x"])],
            reps: ["y", "x"].map { PlannerRep(handle: $0, capacity: 10) }
        )
        let plan = try planner.plan(Fixture.leads(4), state: StrategyState())
        #expect(plan.assignments.map(\.rep) == ["x", "y", "x", "y"])
    }

    @Test func leastLoadedComparesRatiosExactly() throws {
        // b's ratio is below 1/3 by less than a Double can tell: 2^52 / (3·2^52 + 1).
        let big = 1 << 52
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "ll", strategy: .leastLoaded, reps: ["a", "b"])],
            reps: [
                PlannerRep(handle: "a", capacity: 3, held: 1),
                PlannerRep(handle: "b", capacity: 3 * big + 1, held: big),
            ]
        )
        #expect(Double(big) / Double(3 * big + 1) == 1.0 / 3.0)
        let plan = try planner.plan(Fixture.leads(1), state: StrategyState())
        #expect(plan.assignments.map(\.rep) == ["b"])
    }

    @Test func leastLoadedPassesOverCoolingRep() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "ll", strategy: .leastLoaded, reps: ["a", "b", "c"])],
            reps: [
                PlannerRep(handle: "a", capacity: 10, held: 0),
                PlannerRep(handle: "b", capacity: 10, held: 3),
                PlannerRep(handle: "c", capacity: 10, held: 2),
            ]
        )
        var leads = Fixture.leads(2)
        leads[0].previousOwner = "a"
        leads[0].releasedAt = Fixture.now.addingTimeInterval(-86_400)
        let plan = try planner.plan(leads, state: StrategyState())
        #expect(plan.assignments.map(\.rep) == ["c", "a"])
    }

    // MARK: - Weighted

    @Test func weightedIsSmoothWeightedRoundRobin() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "w", strategy: .weighted, reps: ["a", "b", "c"])],
            reps: [
                PlannerRep(handle: "a", capacity: 100, weight: 5),
                PlannerRep(handle: "b", capacity: 100, weight: 1),
                PlannerRep(handle: "c", capacity: 100, weight: 1),
            ]
        )
        let plan = try planner.plan(Fixture.leads(7), state: StrategyState())
        // totals after adding: a5 b1 c1 → a; a3 b2 c2 → a; a1 b3 c3 → b (tie, handle);
        // a6 b-3 c4 → a; a4 b-2 c5 → c; a9 b-1 c-1 → a; a7 b0 c0 → a; back to 0 0 0.
        #expect(plan.assignments.map(\.rep) == ["a", "a", "b", "a", "c", "a", "a"])
        #expect(plan.assignments.map(\.reason)[2] == .weighted(weight: 1, total: 3))
        #expect(plan.assignments[0].reason.description == "weighted: weight 5, running total 5")
        #expect(plan.state.weightedTotals["w"] == nil)  // all totals back to 0: nothing to keep
    }

    @Test func weightedTotalsPersist() throws {
        let reps = [
            PlannerRep(handle: "a", capacity: 100, weight: 5),
            PlannerRep(handle: "b", capacity: 100, weight: 1),
            PlannerRep(handle: "c", capacity: 100, weight: 1),
        ]
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "w", strategy: .weighted, reps: ["a", "b", "c"])],
            reps: reps
        )
        let first = try planner.plan(Fixture.leads(2), state: StrategyState())
        #expect(first.state.weightedTotals == ["w": ["a": -4, "b": 2, "c": 2]])

        let after = Fixture.planner(
            rules: planner.rules,
            reps: reps.map { rep in
                var rep = rep
                rep.held = first.reps.first { $0.handle == rep.handle }!.after
                return rep
            }
        )
        let second = try after.plan(Fixture.leads(5, firstID: 3), state: first.state)
        #expect(second.assignments.map(\.rep) == ["b", "a", "c", "a", "a"])
    }

    @Test func weightedKeepsTotalsOfRepsNotInPlay() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "w", strategy: .weighted, reps: ["a", "b", "gone"])],
            reps: [PlannerRep(handle: "a", capacity: 9), PlannerRep(handle: "b", active: false, capacity: 9)]
        )
        let state = StrategyState(weightedTotals: ["w": ["b": 7, "gone": -3], "other": ["x": 1]])
        let plan = try planner.plan(Fixture.leads(1), state: state)
        #expect(plan.assignments.map(\.rep) == ["a"])
        // a: +1 then −1 = 0 (left out); b inactive and "gone" unknown keep theirs.
        #expect(plan.state.weightedTotals == ["w": ["b": 7, "gone": -3], "other": ["x": 1]])
    }

    // MARK: - Outcomes

    @Test func unroutedAndNoCapacityStayInPool() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "rr", strategy: .roundRobin, reps: ["a"])],
            reps: [PlannerRep(handle: "a", capacity: 1)]
        )
        var leads = Fixture.leads(4)
        leads[1].matchedRule = nil
        let plan = try planner.plan(leads, state: StrategyState())
        #expect(plan.assignments.map(\.leadID) == [1])
        #expect(plan.unrouted == [2])
        #expect(plan.noCapacity == [3, 4])
        #expect(
            plan.rules == [
                RuleTally(
                    rule: "rr",
                    matched: 3,
                    assigned: 1,
                    noCapacity: 2,
                    fairness: Fairness(reps: 1, spread: 0, standardDeviation: 0)
                )
            ]
        )
        #expect(plan.reps == [RepLoad(handle: "a", before: 0, given: 1, capacity: 1)])
    }

    @Test func unknownRuleIndexIsABug() {
        let planner = Fixture.planner(rules: [], reps: [])
        #expect(throws: LeadPoolError.self) {
            try planner.plan(Fixture.leads(1), state: StrategyState())
        }
    }

    @Test func processingOrderIsScoreThenAgeThenID() throws {
        let t = Fixture.now
        let leads = [
            PoolLead(id: 5, score: 70, createdAt: t, matchedRule: 0),
            PoolLead(id: 4, score: 90, createdAt: t, matchedRule: 0),
            PoolLead(id: 3, score: 70, createdAt: t.addingTimeInterval(-10), matchedRule: 0),
            PoolLead(id: 2, score: 70, createdAt: t, matchedRule: 0),
            PoolLead(id: 1, score: 10, createdAt: t.addingTimeInterval(-99), matchedRule: 0),
        ]
        #expect(RoundPlanner.processingOrder(leads).map(\.id) == [4, 3, 2, 5, 1])
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "rr", strategy: .roundRobin, reps: ["a"])],
            reps: [PlannerRep(handle: "a", capacity: 9)]
        )
        #expect(try planner.plan(leads, state: StrategyState()).assignments.map(\.leadID) == [4, 3, 2, 5, 1])
    }

    @Test func fairnessOverRepsInPlay() throws {
        let planner = Fixture.planner(
            rules: [PlannerRule(name: "rr", strategy: .roundRobin, reps: ["a", "b", "off"])],
            reps: [
                PlannerRep(handle: "a", capacity: 10), PlannerRep(handle: "b", capacity: 10),
                PlannerRep(handle: "off", active: false, capacity: 10, held: 10),
                PlannerRep(handle: "idle", capacity: 10),  // named by no rule
            ]
        )
        let plan = try planner.plan(Fixture.leads(3), state: StrategyState())
        #expect(plan.fairness.reps == 2)
        #expect(abs(plan.fairness.spread - 0.1) < 1e-12)
        #expect(abs(plan.fairness.standardDeviation - 0.05) < 1e-12)
    }
}

/// Shared values for the planner tests.
enum Fixture {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func planner(rules: [PlannerRule], reps: [PlannerRep], cooldownDays: Int = 7) -> RoundPlanner {
        RoundPlanner(rules: rules, reps: reps, cooldownDays: cooldownDays, now: now)
    }

    /// `count` leads routed by rule 0, whose processing order is their id order.
    static func leads(_ count: Int, firstID: Int64 = 1, rule: Int? = 0) -> [PoolLead] {
        (0..<Int64(count)).map { i in
            PoolLead(
                id: firstID + i,
                score: 100 - Int(firstID + i) % 100,
                createdAt: now.addingTimeInterval(-86_400),
                matchedRule: rule
            )
        }
    }
}
