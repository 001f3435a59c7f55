import Foundation
import LeadPoolCore

/// One invariant `check` verified: its name, what breaks it (empty when it holds) and notes:
/// things worth an admin's attention that do not break it.
public struct CheckResult: Sendable, Equatable {
    public let name: String
    public let problems: [String]
    public let notes: [String]
    public var passed: Bool { problems.isEmpty }

    public init(name: String, problems: [String], notes: [String] = []) {
        self.name = name
        self.problems = problems
        self.notes = notes
    }
}

// MARK: - What every backend's check says

/// The invariants `check` verifies, named and judged alike on every backend; each backend
/// finds the rows with its own SQL.
package enum CheckRules {
    /// Fields a lead's workflow changes without re-scoring it. An ICP criterion reading one of
    /// them (or the clock) may have been met or not when the lead was last scored.
    package static let volatileFields: Set<LeadField> = [.ageDays, .idleDays, .heldDays, .owner, .status, .claimedAt, .lastActivityAt]

    /// How far an event's effective time may lie after the wall clock it was written at.
    package static let clockSlack: Int64 = 60

    package static let capacityName = "nobody is above capacity because of a round or a claim"
    package static let dailyLimitName = "nobody claimed more in a day than their daily limit"
    package static let clockName = "no event is dated after it was written, unless an admin wrote it"
    package static let scoreName = "scores and tiers match the current ruleset"
    package static let poolsName = "every lead is in one pool of the rules file"
    package static let poolLimitsName = "nobody is above a pool's claim limits through claims"

    package static func strayPoolProblem(pool: String, leads: Int) -> String {
        "\(leads) lead(s) in pool '\(pool)', which the rules file does not list; move them with `leadpool lead move ID… --pool P`"
    }

    package static func poolDailyLimitProblem(rep: String, pool: String, day: String?, limit: Int) -> String {
        "\(rep) claimed more than pool \(pool)'s daily limit of \(limit) on \(day ?? "?")"
    }

    package static func poolCapacityProblem(rep: String, pool: String, held: Int, capacity: Int) -> String {
        "\(rep) holds \(held) leads claimed from pool \(pool), above its capacity of \(capacity)"
    }

    /// The latest event that gave a rep above capacity a lead.
    package struct Handover {
        package var id: Int64
        package var kind: EventKind?
        package var at: Date
        package var roundID: Int64?

        package init(id: Int64, kind: EventKind?, at: Date, roundID: Int64?) {
            self.id = id
            self.kind = kind
            self.at = at
            self.roundID = roundID
        }
    }

    /// Judges a rep holding `held` leads above `capacity`: a problem when a round or a claim
    /// left them above the capacity in force then (`recorded`: nil when not recorded,
    /// `.some(nil)` when unlimited then), a note when an admin gave the last lead or the
    /// capacity was lowered since.
    package static func judgeCapacity(
        handle: String,
        held: Int,
        capacity: Int,
        last: Handover?,
        recorded: () throws -> Int??
    ) rethrows -> (problem: String?, note: String?) {
        let standing = "\(handle) holds \(held) open or qualified leads, capacity \(capacity)"
        guard let last else { return ("\(standing), and no event gave them any", nil) }
        let at = Timestamp.string(last.at)
        if last.kind == .transferred || last.kind == .reopened {
            let how = last.kind == .transferred ? "transfer" : "reopen"
            return (nil, "\(standing): the last lead came by an admin's \(how) (event \(last.id), \(at))")
        }
        let source = last.kind == .assigned ? "round \(last.roundID ?? 0)" : "a claim"
        switch try recorded() {
        case .some(.some(let then)) where held > then:
            return ("\(standing): \(source) (event \(last.id), \(at)) left them above the \(then) in force then", nil)
        case .some:
            return (nil, "\(standing): their capacity was lowered after \(source) gave them the last one (event \(last.id))")
        case .none:
            return ("\(standing): the last lead came from \(source) (event \(last.id), \(at))", nil)
        }
    }

    package static func dailyLimitProblem(rep: String, day: String, claims: Int, eventID: Int64, limit: Int) -> String {
        "\(rep) claimed \(claims) leads on \(day); event \(eventID) went past the daily limit of \(limit) in force then"
    }

    package static func dailyLimitNote(rep: String, day: String, claims: Int, limit: Int) -> String {
        "\(rep) claimed \(claims) leads on \(day), more than today's daily limit of \(limit); those claims predate recording the limit in force"
    }

    package static func clockProblem(
        eventID: Int64,
        kind: String,
        leadID: Int64,
        actor: String,
        at: Int64,
        recordedAt: Int64,
        recordedBy: String?,
        role: String?
    ) -> String {
        let by = recordedBy.map { login in "login '\(login)', " + (role.map { "a \($0)" } ?? "no rep") } ?? "an unknown login"
        return "event \(eventID) (\(kind) of lead \(leadID) as \(actor)) is dated \(Timestamp.string(Date(storedSeconds: at))) but was written at "
            + "\(Timestamp.string(Date(storedSeconds: recordedAt))) by \(by)"
    }

    package static func unrecordedClockProblem(eventID: Int64, kind: String, leadID: Int64) -> String {
        "event \(eventID) (\(kind) of lead \(leadID)) records no wall clock: leadpool did not write it"
    }

    package static func futureEventNote(eventID: Int64, kind: String, leadID: Int64, at: Int64) -> String {
        "event \(eventID) (\(kind) of lead \(leadID)) is dated \(Timestamp.string(Date(storedSeconds: at))), in the future; it predates recording who wrote events"
    }

    /// The ICP criteria whose result depends on when a lead was scored, and the range of points
    /// they may add (low, high); the others must count exactly.
    package static func volatileCriteria(_ ruleset: Ruleset) -> (steady: [Ruleset.Criterion], volatile: [String], low: Int, high: Int) {
        var steady: [Ruleset.Criterion] = []
        var volatile: [String] = []
        var low = 0
        var high = 0
        for criterion in ruleset.icp where criterion.points != 0 {
            if criterion.when.firstRead(of: volatileFields, segments: ruleset.segmentConditions) != nil {
                volatile.append(criterion.name)
                if criterion.points < 0 { low += criterion.points } else { high += criterion.points }
            } else {
                steady.append(criterion)
            }
        }
        return (steady, volatile, low, high)
    }

    package static func scoreProblem(leadID: Int64, score: Int, tier: String?, version: Int64, low: Int, high: Int, expectedTier: String?) -> String {
        let expected = low == high ? "\(low)" : "\(low)–\(high)"
        return
            "lead \(leadID): score \(score) tier \(tier ?? "none"), ruleset v\(version) gives \(expected) (tier \(expectedTier ?? "none") for its score)"
    }

    package static func volatileNote(_ volatile: [String]) -> [String] {
        volatile.isEmpty ? [] : ["criteria \(volatile.joined(separator: ", ")) read the clock or fields claims change; they may count or not"]
    }

    package static func roundNote(id: Int64, clock: Int64) -> String {
        "round \(id) (\(Timestamp.string(Date(storedSeconds: clock)))) stopped before it finished: run assign again"
    }
}
