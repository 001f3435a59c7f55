import Foundation
import LeadPoolCore

/// A rep with the figures `rep list` and `rep show` print.
public struct RepStanding: Sendable, Equatable {
    public var rep: Rep
    /// Open leads the rep owns now.
    public var held: Int

    public init(rep: Rep, held: Int) {
        self.rep = rep
        self.held = held
    }
}

/// The fields `rep update` may change; nil leaves a field as it is.
public struct RepChanges: Sendable {
    public enum Limit: Sendable, Equatable {
        case value(Int)
        /// Back to the ruleset's default.
        case ruleset
    }

    public var name: String?
    public var email: String?
    public var team: String?
    public var role: Role?
    public var capacity: Limit?
    public var dailyLimit: Limit?
    public var weight: Int?
    public var territories: [String]?
    /// `.some(nil)` goes back to the ruleset's zone.
    public var timeZone: String??
    /// `.some(nil)` goes back to the ruleset's hours.
    public var workingHours: WorkingHours??

    public init(
        name: String? = nil,
        email: String? = nil,
        team: String? = nil,
        role: Role? = nil,
        capacity: Limit? = nil,
        dailyLimit: Limit? = nil,
        weight: Int? = nil,
        territories: [String]? = nil,
        timeZone: String?? = nil,
        workingHours: WorkingHours?? = nil
    ) {
        self.name = name
        self.email = email
        self.team = team
        self.role = role
        self.capacity = capacity
        self.dailyLimit = dailyLimit
        self.weight = weight
        self.territories = territories
        self.timeZone = timeZone
        self.workingHours = workingHours
    }

    public var isEmpty: Bool {
        name == nil && email == nil && team == nil && role == nil && capacity == nil && dailyLimit == nil
            && weight == nil && territories == nil && timeZone == nil && workingHours == nil
    }
}

// MARK: - Checks every backend runs

extension Rep {
    /// Refuses a rep whose fields are malformed or too long before any backend stores it.
    package func validateForAdding() throws {
        try Rep.validateHandle(handle)
        if let timeZone { _ = try TeamClock.named(timeZone, option: "--timezone") }
        try TextLimit.label.check(handle, "the handle")
        try TextLimit.name.check(name, "--name")
        try TextLimit.name.check(email.map { [$0] } ?? [], "--email")
        try TextLimit.label.check(team.map { [$0] } ?? [], "--team")
        try TextLimit.label.check(territories, "a territory")
    }

    /// The refusal of a new rep whose handle `existing` has already, maybe in another case.
    package static func handleTaken(_ handle: String, by existing: String) -> LeadPoolError {
        if existing == handle {
            return LeadPoolError.refused(
                "a rep with handle '\(handle)' already exists",
                hint: "use `leadpool rep update \(handle) …` to change it"
            )
        }
        return LeadPoolError.refused(
            "a rep with handle '\(existing)' already exists; handles are unique regardless of case",
            hint: "choose another handle, or use `leadpool rep update \(existing) …` to change that rep"
        )
    }
}

extension RepChanges {
    /// Refuses changes whose fields are malformed or too long before any backend stores them.
    package func validate() throws {
        try TextLimit.name.check(name.map { [$0] } ?? [], "--name")
        try TextLimit.name.check(email.map { [$0] } ?? [], "--email")
        try TextLimit.label.check(team.map { [$0] } ?? [], "--team")
        try TextLimit.label.check(territories ?? [], "a territory")
        if case .some(.some(let name)) = timeZone { _ = try TeamClock.named(name, option: "--timezone") }
    }
}

extension RepChanges.Limit {
    /// The number to store: nil goes back to the ruleset's default.
    package var number: Int? {
        if case .value(let n) = self { return n }
        return nil
    }
}

/// A rep's own database login, made by `rep add --login`.
public struct DatabaseLogin: Sendable, Equatable {
    /// Its password; nil for none (peer authentication, or one set later by a database admin).
    public var password: String?

    public init(password: String?) {
        self.password = password
    }
}
