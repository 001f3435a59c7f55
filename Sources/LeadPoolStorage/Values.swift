import Foundation
import LeadPoolCore

/// What `rep deactivate` does with the leads the rep holds.
public enum DeactivatedLeads: Sendable, Equatable {
    /// Leave them: the next reclaim returns them to the pool.
    case keep
    /// Release them to the pool now.
    case release
    /// Transfer them to this (active) rep now.
    case transfer(to: String)
}

/// What `rep deactivate` did.
public struct Deactivation: Sendable, Equatable {
    /// Whether the rep was active before.
    public var wasActive: Bool
    /// The leads (open or qualified) it held.
    public var held: [Int64]
    /// What became of each, when they were released or transferred (else empty).
    public var outcomes: [LeadOutcome]

    public init(wasActive: Bool, held: [Int64], outcomes: [LeadOutcome]) {
        self.wasActive = wasActive
        self.held = held
        self.outcomes = outcomes
    }
}

/// An assignment round as `runRound` ran it: what it read, what it planned, what it wrote.
public struct RoundRun: Sendable {
    public var input: RoundInput
    public var plan: RoundPlan
    /// nil for a dry run.
    public var written: WrittenRound?

    public init(input: RoundInput, plan: RoundPlan, written: WrittenRound?) {
        self.input = input
        self.plan = plan
        self.written = written
    }
}
