import Foundation

/// What a rep may do: `admin`s keep the pool, `rep`s work it.
public enum Role: String, Sendable, Codable, CaseIterable {
    case rep, admin
}

/// A sales rep who can hold leads.
public struct Rep: Sendable, Equatable, Codable {
    public var handle: String
    public var name: String
    public var email: String?
    public var team: String?
    public var role: Role
    /// Most open and qualified leads held at once; nil means the ruleset's default.
    public var capacity: Int?
    /// Most self-claims per day; nil means the ruleset's default.
    public var dailyLimit: Int?
    /// Share for the weighted strategy.
    public var weight: Int
    /// Country or region codes, upper-cased, sorted.
    public var territories: [String]
    public var active: Bool
    /// Away window: [awayFrom, awayUntil). Either end may be open.
    public var awayFrom: Date?
    public var awayUntil: Date?
    /// The rep's own IANA time zone; nil means the ruleset's.
    public var timeZone: String?
    /// The rep's own working hours; nil means the ruleset's.
    public var workingHours: WorkingHours?
    public var createdAt: Date

    public init(
        handle: String,
        name: String,
        email: String? = nil,
        team: String? = nil,
        role: Role = .rep,
        capacity: Int? = nil,
        dailyLimit: Int? = nil,
        weight: Int = 1,
        territories: [String] = [],
        active: Bool = true,
        awayFrom: Date? = nil,
        awayUntil: Date? = nil,
        timeZone: String? = nil,
        workingHours: WorkingHours? = nil,
        createdAt: Date
    ) {
        self.handle = handle
        self.name = name
        self.email = email
        self.team = team
        self.role = role
        self.capacity = capacity
        self.dailyLimit = dailyLimit
        self.weight = weight
        self.territories = territories
        self.active = active
        self.awayFrom = awayFrom
        self.awayUntil = awayUntil
        self.createdAt = createdAt
        self.timeZone = timeZone
        self.workingHours = workingHours
    }

    /// Away at `now`: inside [awayFrom, awayUntil) with either end open.
    public func isAway(at now: Date) -> Bool {
        Rep.isAway(at: now, from: awayFrom, until: awayUntil)
    }

    /// The one definition of an away window: [from, until), either end open, none = never away.
    public static func isAway(at now: Date, from: Date?, until: Date?) -> Bool {
        guard from != nil || until != nil else { return false }
        if let from, now < from { return false }
        if let until, now >= until { return false }
        return true
    }

    /// The actor of what leadpool does by itself (reclaims): no rep's handle, in any case.
    public static let systemHandle = "system"

    /// A handle is 1–64 characters of letters, digits, `.`, `_` and `-`, like a login name,
    /// and not ``systemHandle`` in any case.
    public static func validateHandle(_ handle: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard (1...64).contains(handle.count), handle.allSatisfy(allowed.contains) else {
            throw LeadPoolError.usage(
                "invalid handle '\(handle)': use 1 to 64 letters, digits, '.', '_' or '-'"
            )
        }
        if handle.lowercased() == systemHandle {
            throw LeadPoolError.usage(
                "the handle '\(handle)' is reserved: reclaims act as '\(systemHandle)'",
                hint: "choose another handle"
            )
        }
    }
}
