import Foundation

/// The limits a claim is checked against, resolved from the current ruleset.
public struct ClaimPolicy: Sendable, Equatable {
    /// Capacity for reps without their own; nil means unlimited.
    public var defaultCapacity: Int?
    /// Daily self-claim limit for reps without their own; nil means unlimited.
    public var defaultDailyLimit: Int?
    /// Days a previous owner may not take a released or reclaimed lead back.
    public var cooldownDays: Int
    /// The ruleset's zone, for reps without their own: their days start at its midnight.
    public var defaultClock: TeamClock
    /// The rules file's `pools:` (empty: one pool `main`, open to everyone).
    public var pools: [Ruleset.Pool]

    public init(
        defaultCapacity: Int? = nil,
        defaultDailyLimit: Int? = nil,
        cooldownDays: Int = 0,
        defaultClock: TeamClock = .utc,
        pools: [Ruleset.Pool] = []
    ) {
        self.defaultCapacity = defaultCapacity
        self.defaultDailyLimit = defaultDailyLimit
        self.cooldownDays = cooldownDays
        self.defaultClock = defaultClock
        self.pools = pools
    }

    public func capacity(of rep: Rep) -> Int? { rep.capacity ?? defaultCapacity }
    public func dailyLimit(of rep: Rep) -> Int? { rep.dailyLimit ?? defaultDailyLimit }

    /// When `rep` may take `lead` again, if it is still cooling down at `now`.
    public func cooldownEnd(for lead: Lead, rep: String, at now: Date) -> Date? {
        guard cooldownDays > 0, lead.previousOwner == rep, let releasedAt = lead.releasedAt else { return nil }
        let end = releasedAt.addingTimeInterval(TimeInterval(cooldownDays) * 86_400)
        return now < end ? end : nil
    }

    /// The clock `rep` counts days by: their own zone, else the ruleset's.
    public func clock(of rep: Rep) -> TeamClock { rep.clock(team: defaultClock) }

    /// `rep`'s local day of `now`, from their local midnight to the next (23 or 25 hours on a
    /// daylight-saving switch): daily limits count the rep's claims inside it, those dated after
    /// `now` too, so a claim dated back into a day sees the whole day.
    public func day(of now: Date, for rep: Rep) -> Range<Date> {
        clock(of: rep).day(containing: now)
    }

    /// The UTC day of `now`, midnight to midnight (see ``day(of:for:)`` for a rep's own day).
    public static func day(of now: Date) -> Range<Date> {
        let start = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        return start..<start.addingTimeInterval(86_400)
    }
}

/// A rep's standing against its claim limits: what it holds and claimed today, and the
/// effective capacity and daily limit (its own, else the ruleset's; nil = unlimited).
public struct ClaimBudget: Sendable, Equatable {
    public var held: Int
    public var claimedToday: Int
    public let capacity: Int?
    public let dailyLimit: Int?
    /// The rep's local date that `claimedToday` counts (nil: not said, the UTC date).
    public var day: LocalDate?

    public init(held: Int, claimedToday: Int, capacity: Int?, dailyLimit: Int?, day: LocalDate? = nil) {
        self.held = held
        self.claimedToday = claimedToday
        self.capacity = capacity
        self.dailyLimit = dailyLimit
        self.day = day
    }

    /// Why one more claim is refused, or nil.
    public var refusal: String? {
        if let capacity, held >= capacity { return "capacity: you hold \(held) of \(capacity) open or qualified leads" }
        if let dailyLimit, claimedToday >= dailyLimit { return "daily limit: you claimed \(claimedToday) of \(dailyLimit) today" }
        return nil
    }

    /// How many more claims fit (never below 0; `Int.max` when nothing limits).
    public var room: Int {
        max(0, min(capacity.map { $0 - held } ?? .max, dailyLimit.map { $0 - claimedToday } ?? .max))
    }
}

/// What happened to one lead of a `claim`, `release` or other workflow command.
public struct LeadOutcome: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        case done
        /// A business rule said no (exit 1): the reason says which.
        case refused(String)
        /// The actor may not act on the lead (exit 77), e.g. a pool it is not a member of.
        case denied(String)
        /// No such lead (exit 66).
        case notFound
    }

    public var leadID: Int64
    public var result: Result

    public init(leadID: Int64, result: Result) {
        self.leadID = leadID
        self.result = result
    }

    public var succeeded: Bool { result == .done }
}

extension Ruleset {
    /// The claim limits this ruleset sets.
    public var claimPolicy: ClaimPolicy {
        ClaimPolicy(
            defaultCapacity: defaults.capacity,
            defaultDailyLimit: defaults.dailyLimit,
            cooldownDays: reclaim.cooldownDays,
            defaultClock: clock,
            pools: pools
        )
    }
}
