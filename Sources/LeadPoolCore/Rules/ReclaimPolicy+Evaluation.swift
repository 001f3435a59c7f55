import Foundation

/// Why an owned lead goes back to the pool.
public enum ReclaimCause: String, Sendable, CaseIterable, Codable {
    /// Idle for the no-activity limit or longer.
    case noActivity = "no_activity"
    /// Held for the max-hold limit or longer.
    case maxHold = "max_hold"
    /// Its owner is deactivated (exempt or not).
    case inactiveRep = "inactive_rep"

    /// `inactive rep`, `no activity`, `max hold`: the words of the summary line.
    public var label: String {
        switch self {
        case .inactiveRep: "inactive rep"
        case .noActivity: "no activity"
        case .maxHold: "max hold"
        }
    }
}

/// Why one lead is reclaimed: its cause and a sentence its rep understands.
public struct ReclaimVerdict: Sendable, Equatable {
    public var cause: ReclaimCause
    /// `no activity for 15 days (limit 7 when tier = "A")`, `held for 61 days (limit 60)`, `rep deactivated`.
    public var reason: String

    public init(cause: ReclaimCause, reason: String) {
        self.cause = cause
        self.reason = reason
    }
}

/// When an owned lead will be reclaimed if nothing happens to it meanwhile.
public enum ReclaimForecast: Sendable, Equatable {
    /// The policy's `exempt` holds: never reclaimed while its owner is active.
    case exempt
    /// Not reclaimable at all (in the pool, converted or disqualified).
    case never
    /// Reclaimed by the first run at or after `at` (which may be in the past: due now).
    case due(at: Date, ReclaimVerdict)
}

extension Ruleset.ReclaimPolicy {
    /// The thresholds in force for one lead: the first matching override's, each threshold it
    /// leaves out the policy's own.
    public struct Limits: Sendable, Equatable {
        public var noActivityDays: Int
        public var maxHoldDays: Int
        /// The override that matched (its index in `overrides`), nil for the general policy.
        public var overrideIndex: Int?
        /// The matching override's `when` as written, when it set `noActivityDays`.
        public var noActivitySource: String?
        /// The matching override's `when` as written, when it set `maxHoldDays`.
        public var maxHoldSource: String?
    }

    /// Statuses a reclaim looks at: work in progress, not closed leads.
    public static let reclaimableStatuses: [LeadStatus] = [.open, .qualified]

    /// The limits of the override at `overrideIndex`, or the general ones for nil.
    public func limits(overrideIndex: Int?) -> Limits {
        guard let index = overrideIndex, overrides.indices.contains(index) else {
            return Limits(noActivityDays: noActivityDays, maxHoldDays: maxHoldDays)
        }
        let override = overrides[index]
        return Limits(
            noActivityDays: override.noActivityDays ?? noActivityDays,
            maxHoldDays: override.maxHoldDays ?? maxHoldDays,
            overrideIndex: index,
            noActivitySource: override.noActivityDays == nil ? nil : override.text,
            maxHoldSource: override.maxHoldDays == nil ? nil : override.text
        )
    }

    /// The limits for `lead` at the context's clock: the first override whose `when` holds wins.
    public func limits(for lead: Lead, in context: ConditionContext) -> Limits {
        limits(overrideIndex: overrides.firstIndex { $0.when.matches(lead, in: context) })
    }

    /// `idle_days >= N or held_days >= M`: when a lead under `limits` is stale, in the condition
    /// language itself, so SQL and memory read idle and held days by one definition.
    public static func staleCondition(_ limits: Limits) -> Condition {
        .or([
            .comparison(.field(.idleDays), .greaterOrEqual, .integer(Int64(limits.noActivityDays))),
            .comparison(.field(.heldDays), .greaterOrEqual, .integer(Int64(limits.maxHoldDays))),
        ])
    }

    /// Whether `exempt` holds for `lead` at the context's clock.
    public func isExempt(_ lead: Lead, in context: ConditionContext) -> Bool {
        exempt?.matches(lead, in: context) ?? false
    }

    /// Why `lead` is reclaimed at the context's clock, or nil when it stays with its owner.
    /// Days its owner was away (`owner`'s away window) do not count as idle days.
    public func verdict(for lead: Lead, ownerActive: Bool, owner: Rep? = nil, in context: ConditionContext) -> ReclaimVerdict? {
        guard lead.owner != nil, Self.reclaimableStatuses.contains(lead.status) else { return nil }
        if !ownerActive { return Self.inactiveRepVerdict }
        if isExempt(lead, in: context) { return nil }
        let limits = limits(for: lead, in: context)
        let idle = Self.idleDays(since: lead.idleSince, at: context.now, owner: owner)
        return Self.verdict(
            idleDays: idle.days,
            heldDays: lead.heldDays(at: context.now) ?? 0,
            limits: limits,
            awayDays: idle.awayDays
        )
    }

    /// Whole idle days from `idleSince` to `now` leaving out the time `owner` was away, and the
    /// whole days left out: a lead given to a rep on leave does not go stale while she is away.
    public static func idleDays(since idleSince: Date, at now: Date, owner: Rep?) -> (days: Int, awayDays: Int) {
        guard idleSince < now else { return (0, 0) }
        let away = owner?.awaySeconds(in: idleSince..<now) ?? 0
        let seconds = now.timeIntervalSince(idleSince) - away
        return (seconds <= 0 ? 0 : Int(seconds / 86_400), Int(away / 86_400))
    }

    /// When a lead idle since `idleSince` reaches `limitDays` idle days, not counting the time
    /// `owner` is away; nil when an away window without an end stops the count for good.
    public static func idleDue(since idleSince: Date, limitDays: Int, owner: Rep?) -> Date? {
        let plain = idleSince.addingTimeInterval(TimeInterval(limitDays) * 86_400)
        guard let owner, owner.awayFrom != nil || owner.awayUntil != nil else { return plain }
        let awayStart = max(idleSince, owner.awayFrom ?? idleSince)
        if let until = owner.awayUntil, until <= awayStart { return plain }
        // Idle time runs until the away window starts, stands still through it, then runs again.
        if plain <= awayStart { return plain }
        guard let until = owner.awayUntil else { return nil }
        return plain.addingTimeInterval(until.timeIntervalSince(awayStart))
    }

    /// The verdict for a lead past its limits (nil when within both), from its figures;
    /// `awayDays` are whole days left out of `idleDays` because its owner was away.
    public static func verdict(idleDays: Int, heldDays: Int, limits: Limits, awayDays: Int = 0) -> ReclaimVerdict? {
        let idle = idleDays >= limits.noActivityDays
        let held = heldDays >= limits.maxHoldDays
        guard idle || held else { return nil }
        var reasons: [String] = []
        if idle { reasons.append(noActivityReason(idleDays: idleDays, limits: limits, awayDays: awayDays)) }
        if held { reasons.append(maxHoldReason(heldDays: heldDays, limits: limits)) }
        return ReclaimVerdict(cause: idle ? .noActivity : .maxHold, reason: reasons.joined(separator: "; "))
    }

    /// The verdict of every lead of a deactivated rep.
    public static let inactiveRepVerdict = ReclaimVerdict(cause: .inactiveRep, reason: "rep deactivated")

    /// When `lead` will be reclaimed if it sees no activity, under the limits in force at the
    /// context's clock; the reason gives today's figures (`no activity for 12 days (limit 14)`).
    public func forecast(for lead: Lead, ownerActive: Bool, owner: Rep? = nil, in context: ConditionContext) -> ReclaimForecast {
        guard let claimedAt = lead.claimedAt, lead.owner != nil, Self.reclaimableStatuses.contains(lead.status) else {
            return .never
        }
        if !ownerActive { return .due(at: context.now, Self.inactiveRepVerdict) }
        if isExempt(lead, in: context) { return .exempt }
        let limits = limits(for: lead, in: context)
        let idleDue = Self.idleDue(since: lead.idleSince, limitDays: limits.noActivityDays, owner: owner)
        let holdDue = claimedAt.addingTimeInterval(TimeInterval(limits.maxHoldDays) * 86_400)
        let now = context.now
        let idle = Self.idleDays(since: lead.idleSince, at: now, owner: owner)
        let held = lead.heldDays(at: now) ?? 0
        if let verdict = Self.verdict(idleDays: idle.days, heldDays: held, limits: limits, awayDays: idle.awayDays) {
            return .due(at: now, verdict)
        }
        if let idleDue, idleDue <= holdDue {
            return .due(
                at: idleDue,
                ReclaimVerdict(
                    cause: .noActivity,
                    reason: Self.noActivityReason(idleDays: idle.days, limits: limits, awayDays: idle.awayDays)
                )
            )
        }
        return .due(
            at: holdDue,
            ReclaimVerdict(
                cause: .maxHold,
                reason: Self.maxHoldReason(heldDays: held, limits: limits)
            )
        )
    }

    // MARK: - Reasons

    static func noActivityReason(idleDays: Int, limits: Limits, awayDays: Int = 0) -> String {
        "no activity for \(days(idleDays))\(awayDays > 0 ? " not counting \(days(awayDays)) away" : "") (limit \(limits.noActivityDays)\(limits.noActivitySource.map { " when " + $0 } ?? ""))"
    }

    static func maxHoldReason(heldDays: Int, limits: Limits) -> String {
        "held for \(days(heldDays)) (limit \(limits.maxHoldDays)\(limits.maxHoldSource.map { " when " + $0 } ?? ""))"
    }

    private static func days(_ n: Int) -> String { n == 1 ? "1 day" : "\(n) days" }
}
