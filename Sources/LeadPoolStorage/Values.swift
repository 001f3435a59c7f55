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

extension LeadEdit {
    /// The `updated` event's detail: each change as `"field": [old, new]`.
    package static func eventDetail(_ changes: [(name: String, old: String?, new: String?)]) -> String {
        var detail = "{"
        for (index, change) in changes.enumerated() {
            if index > 0 { detail += "," }
            JSONText.quote(change.name, into: &detail)
            detail += ":["
            if let old = change.old { JSONText.quote(old, into: &detail) } else { detail += "null" }
            detail += ","
            if let new = change.new { JSONText.quote(new, into: &detail) } else { detail += "null" }
            detail += "]"
        }
        return detail + "}"
    }

    /// Refuses a field too long for the lead before any backend stores it.
    package func checkText(at now: Date) throws {
        for (field, value) in applied(to: Lead(company: draft.company, createdAt: now)).textFields {
            try TextLimit.name.check(value, "--field \(field)")
        }
    }
}

/// How every backend's report orders its groups.
package enum ReportOrder {
    /// Most leads first, then by group (no group last).
    package static func mostFirst(_ a: GroupCount, _ b: GroupCount) -> Bool {
        a.leads != b.leads ? a.leads > b.leads : (a.group ?? "\u{10FFFF}") < (b.group ?? "\u{10FFFF}")
    }

    /// Most closed first, then by group (no group last).
    package static func mostClosedFirst(_ a: ConversionRate, _ b: ConversionRate) -> Bool {
        a.closed != b.closed ? a.closed > b.closed : (a.group ?? "\u{10FFFF}") < (b.group ?? "\u{10FFFF}")
    }

    /// `items` in the ruleset's tier order, every tier of it present (`zero` fills the empty
    /// ones), then tiers it no longer names, then unscored (nil).
    package static func inTierOrder<T>(_ items: [T], ruleset: Ruleset, zero: (String) -> T, tier: (T) -> String?) -> [T] {
        func rank(_ name: String?) -> (Int, String) {
            guard let name else { return (Int.max, "") }
            return (ruleset.tiers.firstIndex { $0.name == name } ?? ruleset.tiers.count, name)
        }
        let present = Set(items.compactMap(tier))
        let filled = items + ruleset.tiers.map(\.name).filter { !present.contains($0) }.map(zero)
        return filled.sorted { rank(tier($0)) < rank(tier($1)) }
    }
}

extension PoolActivity {
    /// Each pool's activity from what a backend counted: every pool of the rules file (in its
    /// order, empty ones too), then any other pool a lead or event names, by name.
    package static func assemble(
        ruleset: Ruleset,
        leads: [(pool: String, leads: Int, held: Int)],
        events: [(pool: String, claims: Int, reclaims: Int)]
    ) -> [PoolActivity] {
        var activity: [String: PoolActivity] = [:]
        func entry(_ name: String) -> PoolActivity {
            activity[name] ?? PoolActivity(pool: name, leads: 0, held: 0, claimsRecently: 0, reclaimsRecently: 0)
        }
        for name in ruleset.poolNames { activity[name] = entry(name) }
        for row in leads {
            var pool = entry(row.pool)
            pool.leads = row.leads
            pool.held = row.held
            activity[row.pool] = pool
        }
        for row in events {
            var pool = entry(row.pool)
            pool.claimsRecently = row.claims
            pool.reclaimsRecently = row.reclaims
            activity[row.pool] = pool
        }
        let listed = ruleset.poolNames
        let others = activity.keys.filter { !listed.contains($0) }.sorted()
        return (listed + others).compactMap { activity[$0] }
    }
}
