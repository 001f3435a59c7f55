import Foundation

/// Why a rule's rep is not a candidate for a lead.
public enum Exclusion: Sendable, Equatable, CustomStringConvertible {
    /// The rule names a handle the planner was not given.
    case unknownRep
    case inactive
    /// Away at the round's clock; `until` is nil for an open-ended absence.
    case away(until: Date?)
    /// The rule is `working-only` and the round's clock is outside the rep's working hours.
    case outsideWorkingHours
    /// Holds as many open and qualified leads as its capacity allows.
    case full(held: Int, capacity: Int)
    /// Already given `limit` leads by this rule in this round: the rule's `per-round`.
    case perRoundLimit(limit: Int)
    /// Lost this lead recently and may not get it back before `until`.
    case cooldown(until: Date)
    /// The rule is territorial and the rep covers neither the lead's country nor its region.
    case territory(territories: [String], country: String?, region: String?)

    public var description: String {
        switch self {
        case .unknownRep:
            return "no such rep"
        case .inactive:
            return "inactive"
        case .away(let until):
            return until.map { "away \(TeamClock.utc.until($0))" } ?? "away"
        case .outsideWorkingHours:
            return "outside working hours"
        case .full(let held, let capacity):
            return "full: \(held)/\(capacity) held"
        case .perRoundLimit(let limit):
            return "per-round limit: already got \(limit) from this rule this round"
        case .cooldown(let until):
            return "cooldown: previous owner until \(Timestamp.string(until))"
        case .territory(let territories, let country, let region):
            let covers = territories.isEmpty ? "no territories" : territories.joined(separator: ",")
            return "territory: covers \(covers), lead is \(country ?? "-")/\(region ?? "-")"
        }
    }
}

/// Whether a rep may receive a lead under a rule.
public enum Candidacy: Sendable, Equatable {
    case candidate
    case excluded(Exclusion)
}

/// One of a rule's reps, judged for one lead.
public struct RepVerdict: Sendable, Equatable, CustomStringConvertible {
    public var handle: String
    public var candidacy: Candidacy

    public init(handle: String, candidacy: Candidacy) {
        self.handle = handle
        self.candidacy = candidacy
    }

    public var isCandidate: Bool { candidacy == .candidate }

    public var description: String {
        switch candidacy {
        case .candidate: "\(handle): candidate"
        case .excluded(let why): "\(handle): \(why)"
        }
    }
}

// MARK: - The definition of a candidate
//
// Each test below is used both by `RoundPlanner.verdicts` (one lead, every rep) and by the
// planner's fast path (which applies them once per round or once per territory group),
// so "candidate" has a single definition.

extension PlannerRep {
    /// The part of candidacy that depends only on the clock: inactive or away reps are
    /// out for the whole round.
    public func unavailability(at now: Date) -> Exclusion? {
        if !active { return .inactive }
        if isAway(at: now) { return .away(until: awayUntil) }
        return nil
    }

    /// Away at `now`: inside `[awayFrom, awayUntil)`, with either end open.
    public func isAway(at now: Date) -> Bool {
        Rep.isAway(at: now, from: awayFrom, until: awayUntil)
    }

    /// Room for one more lead when holding `held`.
    @inline(__always)
    public func hasRoom(held: Int) -> Bool { held < capacity }

    /// Left out by a `working-only` rule: outside working hours at the round's clock.
    public func isOutsideWorkingHours(for rule: PlannerRule) -> Bool {
        rule.workingOnly && !insideWorkingHours
    }

    /// Covers the lead's country or region (compared upper-cased). A lead with neither is
    /// covered by nobody.
    public func covers(country: String?, region: String?) -> Bool {
        if let country, territories.contains(country.uppercased()) { return true }
        if let region, territories.contains(region.uppercased()) { return true }
        return false
    }
}

extension PoolLead {
    /// When the previous owner's cooldown ends, or nil when there is none to observe.
    public func cooldownEnd(cooldownDays: Int) -> Date? {
        guard previousOwner != nil, let releasedAt, cooldownDays > 0 else { return nil }
        return releasedAt.addingTimeInterval(Double(cooldownDays) * 86_400)
    }

    /// The one rep the cooldown excludes at `now`, with the end of its cooldown.
    public func coolingRep(at now: Date, cooldownDays: Int) -> (handle: String, until: Date)? {
        guard let owner = previousOwner, let end = cooldownEnd(cooldownDays: cooldownDays), now < end
        else { return nil }
        return (owner, end)
    }
}

extension PlannerRule {
    /// Whether a rep already given `given` leads by this rule this round may get another.
    @inline(__always)
    public func allowsAnother(given: Int) -> Bool {
        perRound.map { given < $0 } ?? true
    }
}

extension RoundPlanner {
    /// Whether `rep`, holding `held` open and qualified leads and given `given` by `rule` so far
    /// this round, is a candidate for `lead` under `rule`.
    ///
    /// Checks in the order inactive, away, outside working hours, full, per-round limit,
    /// cooldown, territory and reports the first that excludes the rep.
    public func candidacy(
        of rep: PlannerRep,
        held: Int,
        given: Int = 0,
        for lead: PoolLead,
        under rule: PlannerRule
    ) -> Candidacy {
        if let why = rep.unavailability(at: now) { return .excluded(why) }
        if rep.isOutsideWorkingHours(for: rule) { return .excluded(.outsideWorkingHours) }
        if !rep.hasRoom(held: held) { return .excluded(.full(held: held, capacity: rep.capacity)) }
        if let limit = rule.perRound, !rule.allowsAnother(given: given) { return .excluded(.perRoundLimit(limit: limit)) }
        return candidacy(of: rep, held: held, for: lead, territorial: rule.territory)
    }

    /// Whether `rep`, holding `held` open and qualified leads, is a candidate for `lead` under a
    /// rule without `working-only` or `per-round`.
    ///
    /// Checks in the order inactive, away, full, cooldown, territory and reports the first
    /// that excludes the rep.
    public func candidacy(
        of rep: PlannerRep,
        held: Int,
        for lead: PoolLead,
        territorial: Bool
    ) -> Candidacy {
        if let why = rep.unavailability(at: now) { return .excluded(why) }
        if !rep.hasRoom(held: held) { return .excluded(.full(held: held, capacity: rep.capacity)) }
        if let cooling = lead.coolingRep(at: now, cooldownDays: cooldownDays), cooling.handle == rep.handle {
            return .excluded(.cooldown(until: cooling.until))
        }
        if territorial && !rep.covers(country: lead.country, region: lead.region) {
            return .excluded(
                .territory(
                    territories: rep.territories.sorted(by: handlePrecedes),
                    country: lead.country,
                    region: lead.region
                )
            )
        }
        return .candidate
    }

    /// Each of the rule's reps, in handle order, with whether it is a candidate for `lead`
    /// and, if not, why.
    ///
    /// - Parameters:
    ///   - held: open-lead counts to judge fullness by, for reps whose load differs from their
    ///     `held` (e.g. part-way through a round); others use their own `held`.
    ///   - given: leads `rule` gave each rep so far in the round (missing: none), judged
    ///     against the rule's `per-round`. Without it a lead is judged as the round's first.
    public func verdicts(
        for lead: PoolLead,
        under rule: PlannerRule,
        held: [String: Int] = [:],
        given: [String: Int] = [:]
    ) -> [RepVerdict] {
        let handles = Set(rule.reps).sorted(by: handlePrecedes)
        return handles.map { handle in
            guard let rep = rep(handle) else {
                return RepVerdict(handle: handle, candidacy: .excluded(.unknownRep))
            }
            let load = held[handle] ?? rep.held
            return RepVerdict(
                handle: handle,
                candidacy: candidacy(of: rep, held: load, given: given[handle] ?? 0, for: lead, under: rule)
            )
        }
    }
}
