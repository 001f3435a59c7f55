import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension StoredRuleset {
    /// The ruleset in force; `notFound` (exit 66) before the first `rules apply`.
    static func requireCurrent(_ store: any LeadStorage) throws -> StoredRuleset {
        guard let stored = try store.currentRuleset() else {
            throw LeadPoolError.notFound(
                "no ruleset has been applied yet",
                hint: "an admin applies one with `leadpool rules apply rules.yaml` (`leadpool rules example` prints one to start from)"
            )
        }
        return stored
    }
}
