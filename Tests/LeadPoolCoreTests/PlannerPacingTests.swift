import Foundation
import LeadPoolCore
import Testing

/// A rule's `per-round` and `working-only`, fairness per rule, and reps back from leave.
struct PlannerPacingTests {
    static let day: TimeInterval = 86_400

    // MARK: - Per-round

    @Test func perRoundCapsWhatEachRepGetsAndCountsWhatStays() throws {
        let rule = PlannerRule(name: "rr", strategy: .roundRobin, reps: ["a", "b", "c"], perRound: 2)
        let planner = Fixture.planner(rules: [rule], reps: ["a", "b", "c"].map { PlannerRep(handle: $0, capacity: 50) })
        let plan = try planner.plan(Fixture.leads(10), state: StrategyState())
        #expect(plan.assignments.map(\.rep) == ["a", "b", "c", "a", "b", "c"])
        #expect(plan.perRoundLimited == [7, 8, 9, 10])
        #expect(plan.noCapacity.isEmpty)
        #expect(plan.rules.map(\.perRoundLimited) == [4])
        #expect(plan.rules.map(\.noCapacity) == [0])
        #expect(plan.state.lastAssigned == ["rr": "c"])

        // The next round starts the count afresh.
        let next = try Self.after(plan, planner).plan(Fixture.leads(4, firstID: 11), state: plan.state)
        #expect(next.assignments.map(\.rep) == ["a", "b", "c", "a"])
    }

    @Test(arguments: Strategy.allCases)
    func perRoundHoldsForEveryStrategy(strategy: Strategy) throws {
        let rule = PlannerRule(name: "r", strategy: strategy, reps: ["a", "b"], perRound: 3)
        let planner = Fixture.planner(
            rules: [rule],
            reps: [PlannerRep(handle: "a", capacity: 50, weight: 5), PlannerRep(handle: "b", capacity: 50, held: 40)]
        )
        let plan = try planner.plan(Fixture.leads(9), state: StrategyState())
        #expect(plan.assignments.count == 6)
        #expect(Dictionary(grouping: plan.assignments, by: \.rep).mapValues(\.count) == ["a": 3, "b": 3])
        #expect(plan.perRoundLimited == [7, 8, 9])
    }

    @Test func perRoundLimitOnlyWhenTheCapAloneLeavesNoCandidate() throws {
        // a: capped after one lead; b: full after one lead; lead 5 was c's, released yesterday.
        let rule = PlannerRule(name: "rr", strategy: .roundRobin, reps: ["a", "b", "c"], perRound: 1)
        let planner = Fixture.planner(
            rules: [rule],
            reps: [PlannerRep(handle: "a", capacity: 9), PlannerRep(handle: "b", capacity: 1), PlannerRep(handle: "c", capacity: 9)]
        )
        var leads = Fixture.leads(5)
        leads[0].previousOwner = "c"
        leads[0].releasedAt = Fixture.now.addingTimeInterval(-Self.day)
        let plan = try planner.plan(leads, state: StrategyState())
        // Lead 1 skips c (cooldown): a. Lead 2: b (now full). Lead 3: c. Leads 4, 5: a and c
        // capped, b full: the cap alone keeps them.
        #expect(plan.assignments.map(\.rep) == ["a", "b", "c"])
        #expect(plan.perRoundLimited == [4, 5])

        // A cap on the only rep with room who is also the lead's cooling rep: no capacity,
        // since the cooldown would leave it out anyway.
        let alone = Fixture.planner(
            rules: [PlannerRule(name: "rr", strategy: .roundRobin, reps: ["b", "c"], perRound: 1)],
            reps: [PlannerRep(handle: "b", capacity: 1, held: 1), PlannerRep(handle: "c", capacity: 9)]
        )
        var two = Fixture.leads(2)
        two[1].previousOwner = "c"
        two[1].releasedAt = Fixture.now.addingTimeInterval(-Self.day)
        let second = try alone.plan(two, state: StrategyState())
        #expect(second.assignments.map(\.rep) == ["c"])
        #expect(second.noCapacity == [2])
        #expect(second.perRoundLimited.isEmpty)
    }

    @Test func perRoundIsPerRuleAndTerritoryGroupsShareIt() throws {
        let rules = [
            PlannerRule(name: "de", strategy: .roundRobin, reps: ["a", "b"], territory: true, perRound: 2),
            PlannerRule(name: "rest", strategy: .roundRobin, reps: ["a"]),
        ]
        let planner = Fixture.planner(
            rules: rules,
            reps: [PlannerRep(handle: "a", capacity: 20, territories: ["DE", "AT"]), PlannerRep(handle: "b", capacity: 20, territories: ["AT"])]
        )
        var leads = Fixture.leads(6)
        for i in 0..<4 { leads[i].country = i % 2 == 0 ? "DE" : "AT" }
        leads[4].matchedRule = 1
        leads[5].matchedRule = 1
        let plan = try planner.plan(leads, state: StrategyState())
        // DE 1 → a; AT 2 → b; DE 3 → a (a's second); AT 4 → b (b's second); rest: a twice.
        #expect(plan.assignments.map(\.rep) == ["a", "b", "a", "b", "a", "a"])
        var more = Fixture.leads(2, firstID: 7)
        more[0].country = "DE"
        more[1].country = "AT"
        let capped = try planner.plan(leads + more, state: StrategyState())
        #expect(capped.perRoundLimited == [7, 8])
    }

    @Test func verdictsNameThePerRoundLimitWithTheCap() {
        let rule = PlannerRule(name: "r", strategy: .leastLoaded, reps: ["a", "b", "c"], perRound: 4)
        let planner = Fixture.planner(
            rules: [rule],
            reps: [PlannerRep(handle: "a", capacity: 9), PlannerRep(handle: "b", capacity: 4, held: 4), PlannerRep(handle: "c", capacity: 9)]
        )
        let verdicts = planner.verdicts(for: Fixture.leads(1)[0], under: rule, given: ["a": 4, "b": 4, "c": 3])
        #expect(
            verdicts.map(\.description) == [
                "a: per-round limit: already got 4 from this rule this round",
                "b: full: 4/4 held",
                "c: candidate",
            ]
        )
        // Judged as a round's first lead (what `explain` does), nobody has had any.
        #expect(planner.verdicts(for: Fixture.leads(1)[0], under: rule).filter(\.isCandidate).map(\.handle) == ["a", "c"])
    }

    // MARK: - Working-only

    @Test func workingOnlyOffersLeadsOnlyInsideWorkingHours() throws {
        let reps = [
            PlannerRep(handle: "a", capacity: 9, insideWorkingHours: false),
            PlannerRep(handle: "b", capacity: 9),
        ]
        let rules = [
            PlannerRule(name: "hot", strategy: .roundRobin, reps: ["a", "b"], workingOnly: true),
            PlannerRule(name: "any", strategy: .roundRobin, reps: ["a", "b"]),
        ]
        let planner = Fixture.planner(rules: rules, reps: reps)
        var leads = Fixture.leads(4)
        leads[2].matchedRule = 1
        leads[3].matchedRule = 1
        let plan = try planner.plan(leads, state: StrategyState())
        #expect(plan.assignments.map(\.rep) == ["b", "b", "a", "b"])
        #expect(planner.verdicts(for: leads[0], under: rules[0]).map(\.description) == ["a: outside working hours", "b: candidate"])
        #expect(planner.verdicts(for: leads[0], under: rules[1]).allSatisfy { $0.isCandidate })
        // Nobody inside their hours: the lead stays, for want of a rep (no capacity).
        let night = Fixture.planner(
            rules: rules,
            reps: reps.map {
                var rep = $0
                rep.insideWorkingHours = false
                return rep
            }
        )
        #expect(try night.plan(Fixture.leads(1), state: StrategyState()).noCapacity == [1])
        // A rep outside hours does not count in the rule's fairness.
        #expect(plan.rules[0].fairness?.reps == 1)
        #expect(plan.rules[1].fairness?.reps == 2)
    }

    // MARK: - Fairness per rule

    @Test func fairnessPerRuleOverItsOwnReps() throws {
        let rules = [
            PlannerRule(name: "east", strategy: .roundRobin, reps: ["a", "b"]),
            PlannerRule(name: "west", strategy: .roundRobin, reps: ["c", "d"]),
            PlannerRule(name: "idle", strategy: .roundRobin, reps: ["a"]),
        ]
        let planner = Fixture.planner(
            rules: rules,
            reps: [
                PlannerRep(handle: "a", capacity: 10, held: 5), PlannerRep(handle: "b", capacity: 10, held: 5),
                PlannerRep(handle: "c", capacity: 10), PlannerRep(handle: "d", capacity: 10, held: 8),
            ]
        )
        var leads = Fixture.leads(4)
        leads[2].matchedRule = 1
        leads[3].matchedRule = 1
        let plan = try planner.plan(leads, state: StrategyState())
        // east: a 6/10, b 6/10 → even. west: c 1/10, d 9/10 → spread 0.8, sd 0.4.
        #expect(plan.rules[0].fairness == Fairness(reps: 2, spread: 0, standardDeviation: 0))
        #expect(plan.rules[1].fairness?.reps == 2)
        #expect(abs((plan.rules[1].fairness?.spread ?? 0) - 0.8) < 1e-12)
        #expect(abs((plan.rules[1].fairness?.standardDeviation ?? 0) - 0.4) < 1e-12)
        #expect(plan.rules[2].fairness == nil, "matched nothing")
        #expect(plan.fairness.reps == 4)

        let summary = RoundSummary(plan: plan, loads: plan.reps)
        #expect(summary.rules.map(\.fairness?.spread) == [0, 0.8, nil])
        #expect(summary.rules.map(\.perRoundLimited) == [0, 0, 0])
        #expect(summary.perRoundLimited == 0)
    }

    @Test func summariesWithoutPerRuleFiguresStillRead() throws {
        let old = #"{"rules":[{"rule":"r","matched":3,"assigned":2,"no_capacity":1}],"reps":[],"fairness":{"spread":0.5,"stddev":0.25}}"#
        let summary = try JSONDecoder().decode(RoundSummary.self, from: Data(old.utf8))
        #expect(summary.rules.first?.perRoundLimited == nil)
        #expect(summary.rules.first?.fairness == nil)
        #expect(summary.perRoundLimited == nil)
        #expect(summary.fairness == RoundSummary.Fairness(spread: 0.5, stddev: 0.25))

        let written = try JSONEncoder().encode(
            RoundSummary(rules: [
                .init(
                    rule: "r",
                    matched: 1,
                    assigned: 1,
                    noCapacity: 0,
                    perRoundLimited: 2,
                    fairness: .init(reps: 2, spread: 0.1, stddev: 0.05)
                )
            ])
        )
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.contains(#""per_round_limited":2"#))
        #expect(try JSONDecoder().decode(RoundSummary.self, from: written).perRoundLimited == 2)
    }

    // MARK: - Back from leave

    /// Daily rounds of `perDay` leads over `days` days; `away` reps are away on those days
    /// (0-based). Returns each day's leads per rep.
    static func simulate(
        strategy: Strategy,
        weights: [String: Int],
        days: Int,
        perDay: Int,
        away: [String: Range<Int>] = [:],
        inactive: [String: Range<Int>] = [:]
    ) throws -> [[String: Int]] {
        let handles = weights.keys.sorted()
        let rule = PlannerRule(name: "team", strategy: strategy, reps: handles)
        var state = StrategyState()
        var history: [[String: Int]] = []
        for day in 0..<days {
            let now = Fixture.now.addingTimeInterval(Double(day) * day_)
            let reps = handles.map { handle in
                var rep = PlannerRep(handle: handle, capacity: 1_000_000, weight: weights[handle]!)
                if let days = away[handle], days.contains(day) {
                    rep.awayFrom = Fixture.now.addingTimeInterval(Double(days.lowerBound) * day_)
                    rep.awayUntil = Fixture.now.addingTimeInterval(Double(days.upperBound) * day_)
                }
                if let days = inactive[handle], days.contains(day) { rep.active = false }
                return rep
            }
            let planner = RoundPlanner(rules: [rule], reps: reps, cooldownDays: 0, now: now)
            let leads = (0..<perDay).map { i in
                PoolLead(id: Int64(day * perDay + i + 1), score: 50, createdAt: now, matchedRule: 0)
            }
            let plan = try planner.plan(leads, state: state)
            state = plan.state
            history.append(Dictionary(grouping: plan.assignments, by: \.rep).mapValues(\.count))
        }
        return history
    }

    static let day_: TimeInterval = 86_400

    /// The planner for the next round: reps hold what `plan` gave them.
    static func after(_ plan: RoundPlan, _ planner: RoundPlanner) -> RoundPlanner {
        let given = Dictionary(plan.reps.map { ($0.handle, $0.given) }, uniquingKeysWith: { a, _ in a })
        let reps = planner.reps.map { rep in
            var rep = rep
            rep.held += given[rep.handle] ?? 0
            return rep
        }
        return RoundPlanner(rules: planner.rules, reps: reps, cooldownDays: planner.cooldownDays, now: planner.now)
    }

    @Test(arguments: [
        ["amy": 1, "bo": 1, "cy": 2],
        ["amy": 3, "bo": 1, "cy": 1],
        ["amy": 1, "bo": 4, "cy": 2, "di": 5],
    ])
    func weightedRepBackFromAWeekAwayGetsTheNormalShare(weights: [String: Int]) throws {
        let total = weights.values.reduce(0, +)
        let perDay = total * 3 + 1  // not a whole number of cycles: totals carry over
        // amy is away on days 2…8 (a week of rounds), back on day 9.
        let history = try Self.simulate(strategy: .weighted, weights: weights, days: 12, perDay: perDay, away: ["amy": 2..<9])
        let share = Double(perDay * weights["amy"]!) / Double(total)
        for day in 2..<9 { #expect(history[day]["amy"] == nil, "away on day \(day)") }
        for day in 9..<12 {
            let got = Double(history[day]["amy"] ?? 0)
            #expect(abs(got - share) <= 1, "day \(day): \(got) leads against a share of \(share); \(history[day])")
        }
        // The same for a rep deactivated for the week.
        let inactive = try Self.simulate(strategy: .weighted, weights: weights, days: 12, perDay: perDay, inactive: ["amy": 2..<9])
        for day in 9..<12 {
            #expect(abs(Double(inactive[day]["amy"] ?? 0) - share) <= 1, "day \(day): \(inactive[day])")
        }
        // Nor is the week made up later: over the days back, no more than never leaving gives.
        let never = try Self.simulate(strategy: .weighted, weights: weights, days: 12, perDay: perDay)
        let back = (9..<12).map { history[$0]["amy"] ?? 0 }.reduce(0, +)
        let usual = (9..<12).map { never[$0]["amy"] ?? 0 }.reduce(0, +)
        #expect(abs(back - usual) <= 1, "back \(back), never away \(usual)")
    }

    @Test func roundRobinRepBackFromAWeekAwayGetsTheNormalShare() throws {
        let weights = ["amy": 1, "bo": 1, "cy": 1, "di": 1]
        let history = try Self.simulate(strategy: .roundRobin, weights: weights, days: 12, perDay: 13, away: ["amy": 2..<9])
        for day in 9..<12 {
            let got = history[day]["amy"] ?? 0
            #expect(got == 3 || got == 4, "day \(day): \(history[day])")
        }
    }

    /// Over random histories of reps coming and going, a rep gains nothing in a round it cannot
    /// take leads in, and no weighted total strays beyond the rule's weights: whatever the
    /// history, a returning rep is at most one lead ahead of where it left.
    @Test func weightedTotalsStayBoundedWhateverTheAbsences() throws {
        var random = SeededGenerator(seed: 0x1EA7_E000)
        let handles = ["a", "b", "c", "d", "e"]
        for number in 0..<300 {
            let weights = Dictionary(uniqueKeysWithValues: handles.map { ($0, Int.random(in: 1...6, using: &random)) })
            let sum = weights.values.reduce(0, +)
            let rule = PlannerRule(name: "w", strategy: .weighted, reps: handles, territory: Bool.random(using: &random))
            var state = StrategyState()
            for day in 0..<20 {
                let reps = handles.map { handle in
                    PlannerRep(
                        handle: handle,
                        active: Double.random(in: 0..<1, using: &random) < 0.8,
                        capacity: Int.random(in: 5...40, using: &random),
                        weight: weights[handle]!,
                        territories: Set(["DE", "FR"].filter { _ in Bool.random(using: &random) })
                    )
                }
                let planner = Fixture.planner(rules: [rule], reps: reps, cooldownDays: 0)
                var leads = Fixture.leads(Int.random(in: 0...30, using: &random), firstID: Int64(day * 100 + 1))
                for i in leads.indices { leads[i].country = ["DE", "FR"].randomElement(using: &random) }
                let plan = try planner.plan(leads, state: state)
                let context = Comment(rawValue: "case \(number), day \(day): \(reps), \(state) → \(plan.state)")
                for rep in reps where !rep.active {
                    #expect(plan.state.weightedTotals["w"]?[rep.handle] == state.weightedTotals["w"]?[rep.handle], context)
                }
                for (_, total) in plan.state.weightedTotals["w"] ?? [:] {
                    #expect(abs(total) < sum, context)
                }
                #expect((plan.state.weightedTotals["w"] ?? [:]).values.reduce(0, +) == 0, context)
                state = plan.state
            }
        }
    }
}
