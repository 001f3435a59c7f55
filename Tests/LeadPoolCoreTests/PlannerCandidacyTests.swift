import Foundation
import LeadPoolCore
import Testing

/// Who is a candidate, and why the others are not.
struct PlannerCandidacyTests {
    static let day: TimeInterval = 86_400
    let now = Fixture.now

    var reps: [PlannerRep] {
        [
            PlannerRep(handle: "ok", capacity: 5, held: 4, territories: ["de"]),
            PlannerRep(handle: "ina", active: false, capacity: 5, territories: ["DE"]),
            PlannerRep(
                handle: "awy",
                awayFrom: now.addingTimeInterval(-Self.day),
                awayUntil: now.addingTimeInterval(Self.day),
                capacity: 5,
                territories: ["DE"]
            ),
            PlannerRep(handle: "ful", capacity: 3, held: 3, territories: ["DE"]),
            PlannerRep(handle: "cool", capacity: 5, territories: ["DE"]),
            PlannerRep(handle: "ter", capacity: 5, territories: ["FR", "IDF"]),
        ]
    }

    var rule: PlannerRule {
        PlannerRule(name: "emea", strategy: .leastLoaded, reps: ["ter", "ok", "ina", "awy", "ful", "cool", "ghost", "ok"], territory: true)
    }

    var lead: PoolLead {
        PoolLead(
            id: 1,
            score: 50,
            createdAt: now,
            country: "de",
            region: "BY",
            previousOwner: "cool",
            releasedAt: now.addingTimeInterval(-2 * Self.day),
            matchedRule: 0
        )
    }

    @Test func verdictsGiveEachRepInHandleOrderWithReason() {
        let planner = RoundPlanner(rules: [rule], reps: reps, cooldownDays: 7, now: now)
        let verdicts = planner.verdicts(for: lead, under: rule)
        #expect(
            verdicts == [
                RepVerdict(handle: "awy", candidacy: .excluded(.away(until: now.addingTimeInterval(Self.day)))),
                RepVerdict(handle: "cool", candidacy: .excluded(.cooldown(until: now.addingTimeInterval(5 * Self.day)))),
                RepVerdict(handle: "ful", candidacy: .excluded(.full(held: 3, capacity: 3))),
                RepVerdict(handle: "ghost", candidacy: .excluded(.unknownRep)),
                RepVerdict(handle: "ina", candidacy: .excluded(.inactive)),
                RepVerdict(handle: "ok", candidacy: .candidate),
                RepVerdict(handle: "ter", candidacy: .excluded(.territory(territories: ["FR", "IDF"], country: "de", region: "BY"))),
            ]
        )
        #expect(
            verdicts.map(\.description) == [
                "awy: away until 2027-01-16T08:00:00Z",
                "cool: cooldown: previous owner until 2027-01-20T08:00:00Z",
                "ful: full: 3/3 held",
                "ghost: no such rep",
                "ina: inactive",
                "ok: candidate",
                "ter: territory: covers FR,IDF, lead is de/BY",
            ]
        )
    }

    @Test func plannerGivesTheLeadToTheOnlyCandidate() throws {
        let planner = RoundPlanner(rules: [rule], reps: reps, cooldownDays: 7, now: now)
        let plan = try planner.plan([lead, lead.with(id: 2)], state: StrategyState())
        #expect(plan.assignments.map(\.rep) == ["ok"])
        #expect(plan.noCapacity == [2])  // ok is full after lead 1
    }

    @Test func heldOverrideJudgesFullnessMidRound() {
        let planner = RoundPlanner(rules: [rule], reps: reps, cooldownDays: 7, now: now)
        let verdict = planner.verdicts(for: lead, under: rule, held: ["ok": 5]).first { $0.handle == "ok" }
        #expect(verdict?.candidacy == .excluded(.full(held: 5, capacity: 5)))
    }

    @Test func firstReasonWinsInOrderInactiveAwayFullCooldownTerritory() {
        let everything = PlannerRep(
            handle: "cool",
            active: false,
            awayFrom: now,
            capacity: 0,
            territories: []
        )
        let planner = RoundPlanner(rules: [rule], reps: [everything], cooldownDays: 7, now: now)
        #expect(planner.candidacy(of: everything, held: 0, for: lead, territorial: true) == .excluded(.inactive))
        var back = everything
        back.active = true
        #expect(planner.candidacy(of: back, held: 0, for: lead, territorial: true) == .excluded(.away(until: nil)))
        back.awayFrom = nil
        #expect(planner.candidacy(of: back, held: 0, for: lead, territorial: true) == .excluded(.full(held: 0, capacity: 0)))
        back.capacity = 1
        #expect(
            planner.candidacy(of: back, held: 0, for: lead, territorial: true) == .excluded(.cooldown(until: now.addingTimeInterval(5 * Self.day)))
        )
        back.handle = "other"
        #expect(
            planner.candidacy(of: back, held: 0, for: lead, territorial: true)
                == .excluded(.territory(territories: [], country: "de", region: "BY"))
        )
        #expect(planner.candidacy(of: back, held: 0, for: lead, territorial: false) == .candidate)
    }

    @Test(arguments: [
        (-1.0, false),  // the window has not started
        (0.0, true),  // from is inclusive
        (3.0, false),  // until is exclusive: back at exactly awayUntil
    ])
    func awayWindowIsHalfOpen(offsetDays: Double, away: Bool) {
        let start = now.addingTimeInterval(-offsetDays * Self.day)
        let rep = PlannerRep(handle: "r", awayFrom: start, awayUntil: start.addingTimeInterval(3 * Self.day), capacity: 1)
        #expect(rep.isAway(at: now) == away)
        #expect((rep.unavailability(at: now) != nil) == away)
    }

    @Test(arguments: [
        (6.9, true),
        (7.0, false),  // the cooldown ends exactly cooldown-days after the release
        (30.0, false),
    ])
    func cooldownLastsCooldownDays(releasedDaysAgo: Double, cooling: Bool) {
        let lead = PoolLead(
            id: 1,
            score: 0,
            createdAt: now,
            previousOwner: "r",
            releasedAt: now.addingTimeInterval(-releasedDaysAgo * Self.day),
            matchedRule: 0
        )
        #expect((lead.coolingRep(at: now, cooldownDays: 7) != nil) == cooling)
        #expect(lead.coolingRep(at: now, cooldownDays: 0) == nil)
    }

    @Test func territoryMatchesCountryOrRegionIgnoringCase() {
        let rep = PlannerRep(handle: "r", capacity: 1, territories: ["de", "Idf"])
        #expect(rep.covers(country: "DE", region: nil))
        #expect(rep.covers(country: "fr", region: "idf"))
        #expect(!rep.covers(country: "FR", region: "BY"))
        #expect(!rep.covers(country: nil, region: nil))
    }

    @Test func leadWithoutCountryOrRegionHasNoTerritorialCandidate() throws {
        let planner = RoundPlanner(
            rules: [PlannerRule(name: "t", strategy: .roundRobin, reps: ["r"], territory: true)],
            reps: [PlannerRep(handle: "r", capacity: 5, territories: ["DE"])],
            cooldownDays: 7,
            now: now
        )
        let leads = [
            PoolLead(id: 1, score: 9, createdAt: now, matchedRule: 0),
            PoolLead(id: 2, score: 8, createdAt: now, country: "xx", region: "de", matchedRule: 0),
        ]
        let plan = try planner.plan(leads, state: StrategyState())
        #expect(plan.noCapacity == [1])
        #expect(plan.assignments.map(\.leadID) == [2])
    }

    @Test func inactiveAndAwayRepsGetNothing() throws {
        let planner = RoundPlanner(
            rules: [PlannerRule(name: "w", strategy: .weighted, reps: ["a", "b", "c"])],
            reps: [
                PlannerRep(handle: "a", active: false, capacity: 50, weight: 9),
                PlannerRep(handle: "b", awayUntil: now.addingTimeInterval(60), capacity: 50, weight: 9),
                PlannerRep(handle: "c", capacity: 50),
            ],
            cooldownDays: 7,
            now: now
        )
        let plan = try planner.plan(Fixture.leads(3), state: StrategyState())
        #expect(plan.assignments.map(\.rep) == ["c", "c", "c"])
    }
}

extension PoolLead {
    func with(id: Int64) -> PoolLead {
        var copy = self
        copy.id = id
        return copy
    }
}
