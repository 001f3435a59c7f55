import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension Session {
    /// The ruleset in force, or the standard one before any was applied.
    func ruleset() throws -> Ruleset {
        try store.currentRuleset()?.ruleset ?? .standard
    }

    /// Capacity, daily-limit and cooldown defaults from the ruleset in force.
    func claimPolicy() throws -> ClaimPolicy {
        try store.claimPolicy()
    }
}
