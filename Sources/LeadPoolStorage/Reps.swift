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
