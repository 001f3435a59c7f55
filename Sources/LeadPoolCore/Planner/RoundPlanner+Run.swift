import Foundation

// The planner's fast path. Per round, reps are numbered in handle order and the clock-only
// tests (inactive, away) are applied once per rule, and coverage once per rep and territory
// code (a territory group, a rule plus a country/region pair, merges two lists). Per lead,
// what is left is fullness, which only grows during a round, and the cooldown, which excludes
// at most one rep. Each test is one of the functions `RoundPlanner.candidacy` is made of.

/// One round in progress.
final class RoundRun {
    let planner: RoundPlanner
    let inputState: StrategyState
    let handles: [String]
    let capacity: [Int]
    let weight: [Int]
    var held: [Int]
    var given: [Int]
    var rules: [RuleRun]
    /// Upper-cased territory codes any rep covers, numbered.
    let codes: [String]
    let codeIDs: [String: Int32]
    /// A lead's country or region as written → its code number, or -1 when no rep covers it.
    var codeOfValue: [String: Int32] = [:]
    /// Code number → the rep numbers covering that code, ascending.
    let coverage: [[Int32]]

    init(planner: RoundPlanner, state: StrategyState) {
        self.planner = planner
        self.inputState = state
        let reps = planner.reps
        handles = reps.map(\.handle)
        capacity = reps.map(\.capacity)
        weight = reps.map(\.weight)
        held = reps.map(\.held)
        given = Array(repeating: 0, count: reps.count)
        let allCodes = Set(reps.flatMap(\.territories)).sorted(by: handlePrecedes)
        codes = allCodes
        codeIDs = Dictionary(uniqueKeysWithValues: allCodes.enumerated().map { ($0.element, Int32($0.offset)) })
        coverage = allCodes.map { code in
            reps.indices.filter { reps[$0].covers(country: code, region: nil) }.map { Int32($0) }
        }
        let available = reps.map { $0.unavailability(at: planner.now) == nil }
        rules = planner.rules.map { rule in
            let members = Set(rule.reps.compactMap { planner.indexByHandle[$0] })
                .filter { available[$0] && !reps[$0].isOutsideWorkingHours(for: rule) }
                .sorted()
                .map { Int32($0) }
            return RuleRun(rule: rule, members: members, planner: planner, state: state)
        }
    }

    func run(_ leads: [PoolLead]) -> RoundPlan {
        var assignments = [Assignment]()
        var unrouted = [Int64]()
        var noCapacity = [Int64]()
        var perRoundLimited = [Int64]()
        let order = RoundPlanner.orderedIndices(leads)
        assignments.reserveCapacity(leads.count)

        for position in order {
            let lead = leads[Int(position)]
            guard let ruleIndex = lead.matchedRule else {
                unrouted.append(lead.id)
                continue
            }
            let rule = rules[ruleIndex]
            rule.matched += 1
            let group = candidateGroup(for: lead, under: rule)
            let cooling = coolingRep(of: lead)

            let pick: Int32?
            let reason: AssignmentReason
            switch rule.rule.strategy {
            case .roundRobin:
                pick = group.nextRoundRobin(from: rule.roundRobinStart, excluding: cooling, held: held, capacity: capacity)
                reason = .roundRobin(after: rule.lastAssigned)
            case .leastLoaded:
                pick = group.leastLoaded(excluding: cooling, held: held, capacity: capacity)
                reason =
                    pick.map { .leastLoaded(held: held[Int($0)], capacity: capacity[Int($0)]) }
                    ?? .leastLoaded(held: 0, capacity: 0)
            case .weighted:
                let picked = group.weighted(
                    excluding: cooling,
                    held: held,
                    capacity: capacity,
                    weight: weight,
                    totals: &rule.totals
                )
                pick = picked?.rep
                reason =
                    picked.map { .weighted(weight: weight[Int($0.rep)], total: $0.total) }
                    ?? .weighted(weight: 0, total: 0)
            }

            guard let rep = pick.map(Int.init) else {
                if group.anyWithRoomIgnoringCap(excluding: cooling, held: held, capacity: capacity) {
                    rule.perRoundLimited += 1
                    perRoundLimited.append(lead.id)
                } else {
                    rule.noCapacity += 1
                    noCapacity.append(lead.id)
                }
                continue
            }
            held[rep] += 1
            given[rep] += 1
            rule.given.count[rep] += 1
            rule.assigned += 1
            if rule.rule.strategy == .roundRobin {
                rule.roundRobinStart = rep + 1
                rule.lastAssigned = handles[rep]
            }
            assignments.append(Assignment(leadID: lead.id, rep: handles[rep], rule: rule.rule.name, reason: reason))
        }

        return RoundPlan(
            assignments: assignments,
            unrouted: unrouted,
            noCapacity: noCapacity,
            perRoundLimited: perRoundLimited,
            rules: rules.map { rule in
                RuleTally(
                    rule: rule.rule.name,
                    matched: rule.matched,
                    assigned: rule.assigned,
                    noCapacity: rule.noCapacity,
                    perRoundLimited: rule.perRoundLimited,
                    fairness: rule.matched > 0 ? fairness(of: rule.members) : nil
                )
            },
            reps: planner.reps.indices.map {
                RepLoad(handle: handles[$0], before: planner.reps[$0].held, given: given[$0], capacity: capacity[$0])
            },
            state: finalState(),
            fairness: fairness()
        )
    }

    // MARK: - Candidates

    func candidateGroup(for lead: PoolLead, under rule: RuleRun) -> CandidateGroup {
        guard rule.rule.territory else {
            if let group = rule.everyone { return group }
            let group = makeGroup(rule.members, rule: rule)
            rule.everyone = group
            return group
        }
        let country = codeNumber(lead.country)
        let region = codeNumber(lead.region)
        let key = (Int64(country) + 1) << 32 | (Int64(region) + 1)
        if let group = rule.byTerritory[key] { return group }
        // A rep covers the lead when it covers its country or its region: merge the two
        // coverage lists and keep the rule's members.
        let byCountry = country >= 0 ? coverage[Int(country)] : []
        let byRegion = region >= 0 ? coverage[Int(region)] : []
        let covering = Set(byCountry + byRegion).filter { rule.isMember[Int($0)] }.sorted()
        let group = makeGroup(covering, rule: rule)
        rule.byTerritory[key] = group
        return group
    }

    /// A group of the members with room now; those at the rule's per-round cap stay in it
    /// (the group leaves them out of its picks) so a lead can tell the cap from no capacity.
    func makeGroup(_ members: [Int32], rule: RuleRun) -> CandidateGroup {
        let withRoom = members.filter { planner.reps[Int($0)].hasRoom(held: held[Int($0)]) }
        return CandidateGroup(
            members: withRoom,
            strategy: rule.rule.strategy,
            held: held,
            capacity: capacity,
            ruleGiven: rule.given
        )
    }

    func codeNumber(_ value: String?) -> Int32 {
        guard let value else { return -1 }
        if let known = codeOfValue[value] { return known }
        let number = codeIDs[value.uppercased()] ?? -1
        codeOfValue[value] = number
        return number
    }

    /// The rep number the cooldown excludes for this lead, or -1.
    func coolingRep(of lead: PoolLead) -> Int32 {
        guard lead.previousOwner != nil,
            let cooling = lead.coolingRep(at: planner.now, cooldownDays: planner.cooldownDays),
            let index = planner.indexByHandle[cooling.handle]
        else { return -1 }
        return Int32(index)
    }

    // MARK: - Results

    func finalState() -> StrategyState {
        var state = inputState
        for rule in rules where rule.matched > 0 {
            switch rule.rule.strategy {
            case .roundRobin:
                if let last = rule.lastAssigned { state.lastAssigned[rule.rule.name] = last }
            case .weighted:
                // Zero totals are left out (missing means 0); totals of handles the planner
                // was not given are kept as they were.
                var totals = rule.unknownTotals
                for (rep, total) in rule.totals.enumerated() where total != 0 {
                    totals[handles[rep]] = total
                }
                state.weightedTotals[rule.rule.name] = totals.isEmpty ? nil : totals
            case .leastLoaded:
                break
            }
        }
        return state
    }

    func fairness() -> Fairness {
        var counted = Array(repeating: false, count: handles.count)
        for rule in rules where rule.matched > 0 {
            for member in rule.members { counted[Int(member)] = true }
        }
        return fairness(of: handles.indices.filter { counted[$0] }.map { Int32($0) })
    }

    /// The load figures over these rep numbers, leaving out capacities of 0.
    func fairness(of reps: [Int32]) -> Fairness {
        Fairness(loads: reps.map(Int.init).filter { capacity[$0] > 0 }.map { (after: held[$0], capacity: capacity[$0]) })
    }
}

/// A rule's progress through the round.
final class RuleRun {
    let rule: PlannerRule
    /// The rule's known reps that are active, not away and, for a `working-only` rule, inside
    /// their working hours, by rep number (handle order).
    let members: [Int32]
    /// `members` as a mask by rep number.
    let isMember: [Bool]
    var matched = 0
    var assigned = 0
    var noCapacity = 0
    var perRoundLimited = 0
    /// Leads this rule gave each rep number so far, against its `per-round`.
    let given: RuleGiven
    /// Candidates without territory: one group for every lead.
    var everyone: CandidateGroup?
    /// With territory: one group per (country, region) code pair.
    var byTerritory: [Int64: CandidateGroup] = [:]

    /// Round-robin: the last rep given a lead, and the first rep number after it.
    var lastAssigned: String?
    var roundRobinStart = 0

    /// Weighted: running totals by rep number, and those of handles the planner does not know.
    var totals: [Int] = []
    var unknownTotals: [String: Int] = [:]

    init(rule: PlannerRule, members: [Int32], planner: RoundPlanner, state: StrategyState) {
        self.rule = rule
        self.members = members
        var isMember = Array(repeating: false, count: planner.reps.count)
        for member in members { isMember[Int(member)] = true }
        self.isMember = isMember
        self.given = RuleGiven(reps: planner.reps.count, cap: rule.perRound)
        let handles = planner.reps.map(\.handle)
        switch rule.strategy {
        case .roundRobin:
            if let last = state.lastAssigned[rule.name] {
                lastAssigned = last
                roundRobinStart = handles.partitioningIndex { handlePrecedes(last, $0) }
            }
        case .weighted:
            totals = Array(repeating: 0, count: handles.count)
            for (handle, total) in state.weightedTotals[rule.name] ?? [:] {
                if let rep = planner.indexByHandle[handle] { totals[rep] = total } else { unknownTotals[handle] = total }
            }
        case .leastLoaded:
            break
        }
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for a predicate that is false then true.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
