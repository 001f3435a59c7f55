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
