import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension RoundRecord {
    /// The round as `rounds list/show`, `assign` and `report rounds` print it.
    var json: JSON { .object(jsonFields) }

    var jsonFields: [(String, JSON)] {
        [
            ("id", .int(id)), ("started_at", .of(startedAt)), ("finished_at", .of(finishedAt)), ("now", .of(clock)),
            ("actor", .string(actor)), ("ruleset_version", .of(rulesetVersion)), ("status", .string(status.rawValue)),
            ("scope", .of(filter)), ("considered", .of(considered)), ("assigned", .of(assigned)), ("unrouted", .of(unrouted)),
            ("no_capacity", .of(noCapacity)), ("per_round_limited", .of(summary?.perRoundLimited)),
            ("moved", .of(summary?.moved)),
            ("skipped", .of(skipped)), ("summary", summary?.json ?? .null),
        ]
    }
}
