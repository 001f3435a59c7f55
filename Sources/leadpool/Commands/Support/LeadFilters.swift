import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// Filters shared by `lead list`, `export` and `pool`.
/// Which leads, by condition: `--where`, `--segment`, `--tag`. Every command that picks leads
/// takes these; the options around them depend on the command (help lists only those it takes).
struct LeadConditions: ParsableArguments {
    @Option(
        name: .customLong("where"),
        help: ArgumentHelp("Only leads matching this condition, e.g. 'country = \"DE\" and score >= 60'.", valueName: "expr")
    )
    var condition: String?

    @Option(help: ArgumentHelp("Only leads in this segment of the current ruleset.", valueName: "name"))
    var segment: String?

    @Option(help: ArgumentHelp("Only leads with this tag (repeatable: all must match).", valueName: "tag"))
    var tag: [String] = []

    @Option(help: ArgumentHelp("Only leads of this pool (repeatable).", valueName: "pool"))
    var pool: [String] = []

    /// Whether any was given.
    var isSet: Bool { condition != nil || segment != nil || !tag.isEmpty || !pool.isEmpty }
}

/// How many leads, in which order: `--sort`, `--limit`.
struct LeadOrder: ParsableArguments {
    @Option(help: "Order: score (best first), age (oldest first), idle (longest idle first), id.")
    var sort: LeadQuery.Sort?

    @Option(help: "At most this many leads.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }
}

/// `lead list` and `export`: conditions, whose leads (`--owner`, `--pooled`), order and count.
struct LeadFilters: ParsableArguments {
    @OptionGroup var conditions: LeadConditions

    @Option(help: ArgumentHelp("Only leads this rep owns.", valueName: "handle"))
    var owner: String?

    @Flag(help: "Only pool leads: open and unowned.")
    var pooled = false

    @OptionGroup var order: LeadOrder

    func validate() throws {
        if owner != nil, pooled { throw ValidationError("--owner and --pooled exclude each other") }
    }

    /// The query with `--where`/`--segment` resolved against the ruleset in force.
    func query(defaultSort: LeadQuery.Sort, in session: Session) throws -> LeadQuery {
        var query = LeadQuery(
            ownership: pooled ? .pooled : owner.map(LeadQuery.Ownership.ownedBy) ?? .any,
            sort: order.sort ?? defaultSort,
            limit: order.limit
        )
        try conditions.narrow(&query, in: session)
        return query
    }
}

extension LeadQuery.Sort: ExpressibleByArgument {}
