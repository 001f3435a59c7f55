import Foundation
import LeadPoolCore
import Testing

/// Thousands of generated rounds, each checked against a deliberately simple reading of the
/// SPEC and against the invariants a round must keep.
struct PlannerPropertyTests {
    @Test func generatedRoundsMatchReferenceAndKeepInvariants() throws {
        var random = SeededGenerator(seed: 0x1EAD_9001)
        var totals = (assigned: 0, noCapacity: 0, unrouted: 0, perRoundLimited: 0, outsideHours: 0)
        for number in 0..<3_000 {
            let round = GeneratedRound(&random)
            let plan = try round.planner.plan(round.leads, state: round.state)
            let expected = ReferencePlanner.plan(round)
            let context = Comment(rawValue: "case \(number): \(round)")

            #expect(plan.assignments == expected.assignments, context)
            #expect(plan.unrouted == expected.unrouted, context)
            #expect(plan.noCapacity == expected.noCapacity, context)
            #expect(plan.perRoundLimited == expected.perRoundLimited, context)
            #expect(plan.state.normalized == expected.state.normalized, context)
            #expect(plan.rules.map(\.fairness) == expected.ruleFairness, context)
            checkInvariants(plan, round, context)

            // Same inputs in another order: the same plan.
            var shuffled = round.leads
            shuffled.shuffle(using: &random)
            #expect(try round.planner.plan(shuffled, state: round.state) == plan, context)

            // Two rounds over a split pool, the second starting from the first's state and
            // loads, give the one round over the whole pool — unless a rule caps what a rep
            // gets per round: each round starts the count afresh.
            if round.rules.allSatisfy({ $0.perRound == nil }) {
                let ordered = RoundPlanner.processingOrder(round.leads)
                let cut = Int.random(in: 0...ordered.count, using: &random)
                let first = try round.planner.plan(Array(ordered[..<cut]), state: round.state)
                let second = try round.after(first).plan(Array(ordered[cut...]), state: first.state)
                #expect(first.assignments + second.assignments == plan.assignments, context)
                #expect(second.state.normalized == plan.state.normalized, context)
            }

            totals.assigned += plan.assignments.count
            totals.noCapacity += plan.noCapacity.count
            totals.unrouted += plan.unrouted.count
            totals.perRoundLimited += plan.perRoundLimited.count
            totals.outsideHours += round.reps.filter { !$0.insideWorkingHours }.count
        }
        // The generator must exercise every outcome, not only the easy one.
        #expect(totals.assigned > 10_000 && totals.noCapacity > 5_000 && totals.unrouted > 1_000, "\(totals)")
        #expect(totals.perRoundLimited > 1_000 && totals.outsideHours > 1_000, "\(totals)")
    }

    /// Nobody above capacity, every pick a candidate by `verdicts` at its turn, no-capacity
    /// only when nobody was, and outcomes in processing order.
    func checkInvariants(_ plan: RoundPlan, _ round: GeneratedRound, _ context: Comment) {
        let planner = round.planner
        for load in plan.reps where load.given > 0 {
            #expect(load.after <= load.capacity, context)
        }
        var held = Dictionary(planner.reps.map { ($0.handle, $0.held) }, uniquingKeysWith: { a, _ in a })
        var givenByRule: [String: [String: Int]] = [:]
        let picks = Dictionary(plan.assignments.map { ($0.leadID, $0) }, uniquingKeysWith: { a, _ in a })
        let noCapacity = Set(plan.noCapacity)
        let perRoundLimited = Set(plan.perRoundLimited)
        var outcomes: [Int64] = []
        for lead in RoundPlanner.processingOrder(round.leads) {
            guard let ruleIndex = lead.matchedRule else {
                outcomes.append(lead.id)
                continue
            }
            let rule = planner.rules[ruleIndex]
            let verdicts = planner.verdicts(for: lead, under: rule, held: held, given: givenByRule[rule.name] ?? [:])
            if let pick = picks[lead.id] {
                #expect(verdicts.contains(RepVerdict(handle: pick.rep, candidacy: .candidate)), context)
                #expect(pick.rule == rule.name, context)
                held[pick.rep, default: 0] += 1
                givenByRule[rule.name, default: [:]][pick.rep, default: 0] += 1
                if let cap = rule.perRound { #expect(givenByRule[rule.name]![pick.rep]! <= cap, context) }
                if rule.workingOnly { #expect(planner.rep(pick.rep)?.insideWorkingHours == true, context) }
            } else {
                #expect(noCapacity.contains(lead.id) != perRoundLimited.contains(lead.id), context)
                #expect(verdicts.allSatisfy { !$0.isCandidate }, context)
                if perRoundLimited.contains(lead.id) {
                    #expect(rule.perRound != nil, context)
                    #expect(verdicts.contains { $0.candidacy == .excluded(.perRoundLimit(limit: rule.perRound ?? 0)) }, context)
                }
            }
            outcomes.append(lead.id)
        }
        #expect(outcomes == RoundPlanner.processingOrder(round.leads).map(\.id), context)
        #expect(
            plan.assignments.count + plan.noCapacity.count + plan.perRoundLimited.count + plan.unrouted.count
                == round.leads.count,
            context
        )
        #expect(plan.rules.map(\.matched).reduce(0, +) == round.leads.count - plan.unrouted.count, context)
        #expect(plan.rules.allSatisfy { $0.matched == $0.assigned + $0.noCapacity + $0.perRoundLimited }, context)
    }
}

// MARK: - Generated rounds

/// A small random round: few reps and codes so that ties, full reps and cooldowns are common.
struct GeneratedRound: CustomStringConvertible {
    static let handles = ["a", "b", "B", "ab", "a-1", "z", "Zed", "m.x"]
    static let day: TimeInterval = 86_400

    var rules: [PlannerRule]
    var reps: [PlannerRep]
    var leads: [PoolLead]
    var cooldownDays: Int
    var state: StrategyState
    let now = Fixture.now

    var planner: RoundPlanner { RoundPlanner(rules: rules, reps: reps, cooldownDays: cooldownDays, now: now) }

    init(_ random: inout SeededGenerator) {
        let now = Fixture.now
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
        func some<T>(_ values: [T], _ p: Double = 0.5) -> [T] { values.filter { _ in chance(p) } }
        func offset() -> Date? {
            [nil, -2 * Self.day, -1, 0, 1, 2 * Self.day].randomElement(using: &random)!.map { now.addingTimeInterval($0) }
        }

        reps = []
        for handle in some(Self.handles, 0.7) {
            let capacity = Int.random(in: 0...10, using: &random)
            let held = chance(0.1) ? capacity + 1 : Int.random(in: 0...(capacity / 2), using: &random)
            var rep = PlannerRep(
                handle: handle,
                active: chance(0.85),
                capacity: capacity,
                held: held,
                weight: Int.random(in: 1...4, using: &random),
                territories: Set(some(["DE", "fr", "BY", "IDF"]))
            )
            if chance(0.2) {
                rep.awayFrom = offset()
                rep.awayUntil = offset()
            }
            rep.insideWorkingHours = chance(0.75)
            reps.append(rep)
            if chance(0.03) { reps.append(PlannerRep(handle: handle, capacity: 9)) }  // ignored duplicate
        }
        rules = (0..<Int.random(in: 1...3, using: &random)).map { i in
            PlannerRule(
                name: "r\(i)",
                strategy: Strategy.allCases.randomElement(using: &random)!,
                reps: some(Self.handles + ["ghost", "a"], 0.7),
                territory: chance(0.4),
                perRound: chance(0.4) ? Int.random(in: 1...3, using: &random) : nil,
                workingOnly: chance(0.3)
            )
        }
        let ruleCount = rules.count
        let handles = Self.handles
        cooldownDays = Int.random(in: 0...7, using: &random)
        leads = Array(1...Int64(Int.random(in: 1...40, using: &random))).shuffled(using: &random).map { id in
            let previous = chance(0.3) ? handles.randomElement(using: &random) : nil
            return PoolLead(
                id: id,
                score: Int.random(in: 0...4, using: &random),
                createdAt: now.addingTimeInterval(-Self.day * Double(Int.random(in: 0...3, using: &random))),
                country: [nil, "de", "DE", "FR", "XX"].randomElement(using: &random)!,
                region: [nil, "by", "IDF", "Bavaria"].randomElement(using: &random)!,
                previousOwner: previous,
                releasedAt: previous.map { _ in now.addingTimeInterval(-3_600 * Double(Int.random(in: 0...240, using: &random))) },
                matchedRule: chance(0.15) ? nil : Int.random(in: 0..<ruleCount, using: &random)
            )
        }
        state = StrategyState()
        for rule in rules where chance(0.5) {
            state.lastAssigned[rule.name] = (handles + ["0", "zzz", "aa"]).randomElement(using: &random)!
            state.weightedTotals[rule.name] = Dictionary(
                uniqueKeysWithValues: some(handles + ["ghost"]).map { ($0, Int.random(in: -5...5, using: &random)) }
            )
        }
    }

    /// The same round after `plan` was written: reps hold what it gave them.
    func after(_ plan: RoundPlan) -> RoundPlanner {
        let given = Dictionary(plan.reps.map { ($0.handle, $0.given) }, uniquingKeysWith: { a, _ in a })
        let reps = planner.reps.map { rep in
            var rep = rep
            rep.held += given[rep.handle] ?? 0
            return rep
        }
        return RoundPlanner(rules: rules, reps: reps, cooldownDays: cooldownDays, now: now)
    }

    var description: String {
        "cooldown \(cooldownDays), rules \(rules), reps \(reps), leads \(leads), state \(state)"
    }
}

extension StrategyState {
    /// Missing totals count as 0, so zero totals and empty rules carry no meaning.
    var normalized: StrategyState {
        var copy = self
        copy.weightedTotals = weightedTotals.compactMapValues { totals in
            let kept = totals.filter { $0.value != 0 }
            return kept.isEmpty ? nil : kept
        }
        return copy
    }
}

// MARK: - Reference

/// The SPEC's round, read literally: for each lead, judge every rep of its rule, then let the
/// strategy pick. Slow and obvious on purpose; shares no code with the planner.
enum ReferencePlanner {
    struct Result {
        var assignments: [Assignment] = []
        var unrouted: [Int64] = []
        var noCapacity: [Int64] = []
        var perRoundLimited: [Int64] = []
        var state: StrategyState
        /// Per rule: the load figures over its available reps after the round, nil when it matched nothing.
        var ruleFairness: [Fairness?] = []
    }

    static func bytesBefore(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    static func plan(_ round: GeneratedRound) -> Result {
        let now = round.now
        var repByHandle: [String: PlannerRep] = [:]
        for rep in round.reps where repByHandle[rep.handle] == nil { repByHandle[rep.handle] = rep }
        var held = repByHandle.mapValues(\.held)
        var result = Result(state: round.state)
        var given: [String: [String: Int]] = [:]
        var matched = Set<Int>()
        func available(_ rep: PlannerRep) -> Bool {
            let away =
                (rep.awayFrom != nil || rep.awayUntil != nil)
                && (rep.awayFrom.map { now >= $0 } ?? true) && (rep.awayUntil.map { now < $0 } ?? true)
            return rep.active && !away
        }

        let ordered = round.leads.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
            return a.id < b.id
        }
        for lead in ordered {
            guard let ruleIndex = lead.matchedRule else {
                result.unrouted.append(lead.id)
                continue
            }
            let rule = round.rules[ruleIndex]
            matched.insert(ruleIndex)
            // Candidates as the SPEC lists them, the per-round share aside (checked below, so a
            // lead left without a candidate by it alone is told apart).
            let eligible = Set(rule.reps).sorted(by: bytesBefore).filter { handle in
                guard let rep = repByHandle[handle], available(rep) else { return false }
                if rule.workingOnly && !rep.insideWorkingHours { return false }
                if held[handle]! >= rep.capacity { return false }
                if lead.previousOwner == handle, let released = lead.releasedAt,
                    now < released.addingTimeInterval(Double(round.cooldownDays) * 86_400)
                {
                    return false
                }
                if rule.territory {
                    let codes = rep.territories.map { $0.uppercased() }
                    let covered = [lead.country, lead.region].contains { value in
                        value.map { codes.contains($0.uppercased()) } ?? false
                    }
                    if !covered { return false }
                }
                return true
            }
            let candidates = eligible.filter { handle in
                rule.perRound.map { given[rule.name, default: [:]][handle, default: 0] < $0 } ?? true
            }
            guard !candidates.isEmpty else {
                if eligible.isEmpty {
                    result.noCapacity.append(lead.id)
                } else {
                    result.perRoundLimited.append(lead.id)
                }
                continue
            }
            let pick: String
            let reason: AssignmentReason
            switch rule.strategy {
            case .roundRobin:
                let last = result.state.lastAssigned[rule.name]
                pick = candidates.first { last == nil || bytesBefore(last!, $0) } ?? candidates[0]
                reason = .roundRobin(after: last)
                result.state.lastAssigned[rule.name] = pick
            case .leastLoaded:
                func lower(_ a: String, _ b: String) -> Bool {
                    let (ha, ca) = (held[a]!, repByHandle[a]!.capacity)
                    let (hb, cb) = (held[b]!, repByHandle[b]!.capacity)
                    if ha * cb != hb * ca { return ha * cb < hb * ca }
                    return ha < hb  // then handle: candidates are in handle order and min keeps the first
                }
                pick = candidates.min(by: lower)!
                reason = .leastLoaded(held: held[pick]!, capacity: repByHandle[pick]!.capacity)
            case .weighted:
                var totals = result.state.weightedTotals[rule.name] ?? [:]
                for handle in candidates { totals[handle, default: 0] += repByHandle[handle]!.weight }
                var best = candidates[0]
                for handle in candidates where totals[handle]! > totals[best]! { best = handle }
                pick = best
                reason = .weighted(weight: repByHandle[pick]!.weight, total: totals[pick]!)
                totals[pick]! -= candidates.map { repByHandle[$0]!.weight }.reduce(0, +)
                result.state.weightedTotals[rule.name] = totals
            }
            held[pick]! += 1
            given[rule.name, default: [:]][pick, default: 0] += 1
            result.assignments.append(Assignment(leadID: lead.id, rep: pick, rule: rule.name, reason: reason))
        }
        result.ruleFairness = round.rules.indices.map { index in
            guard matched.contains(index) else { return nil }
            let rule = round.rules[index]
            let reps = Set(rule.reps).compactMap { repByHandle[$0] }
                .filter { available($0) && !(rule.workingOnly && !$0.insideWorkingHours) && $0.capacity > 0 }
                .sorted { bytesBefore($0.handle, $1.handle) }
            return Fairness(loads: reps.map { (after: held[$0.handle]!, capacity: $0.capacity) })
        }
        return result
    }
}
