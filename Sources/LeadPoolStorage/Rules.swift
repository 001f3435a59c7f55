import Foundation
import LeadPoolCore

/// A ruleset as stored by `rules apply`: the parsed rules and where they came from.
public struct StoredRuleset: Sendable {
    /// 1, 2, …: the highest is the current one.
    public var version: Int64
    public var ruleset: Ruleset
    /// The YAML as applied.
    public var source: String
    /// The file's name as given to `rules apply`.
    public var fileName: String?
    public var appliedAt: Date
    /// The handle of the admin who applied it.
    public var appliedBy: String

    public init(version: Int64, ruleset: Ruleset, source: String, fileName: String?, appliedAt: Date, appliedBy: String) {
        self.version = version
        self.ruleset = ruleset
        self.source = source
        self.fileName = fileName
        self.appliedAt = appliedAt
        self.appliedBy = appliedBy
    }
}

/// What `rules apply` did: the version in force after it, and whether it is a new one.
public struct AppliedRuleset: Sendable, Equatable {
    public var version: Int64
    /// False when the file was identical to the version in force: nothing was stored or re-scored.
    public var isNew: Bool

    public init(version: Int64, isNew: Bool) {
        self.version = version
        self.isNew = isNew
    }
}

/// How many leads hold one tier (nil: never scored).
public struct TierCount: Sendable, Equatable {
    public var tier: String?
    public var count: Int

    public init(tier: String?, count: Int) {
        self.tier = tier
        self.count = count
    }
}

/// What `rules check` previews: the figures applying a ruleset would give, from its own scores.
public struct RulesetPreview: Sendable, Equatable {
    /// Every lead.
    public var leads: Int
    /// One per tier of the ruleset, in its band order (best first); every lead holds one.
    public var tiers: [TierCount]
    /// One per segment of the ruleset, in its order.
    public var segments: [MatchCount]

    public init(leads: Int, tiers: [TierCount], segments: [MatchCount]) {
        self.leads = leads
        self.tiers = tiers
        self.segments = segments
    }
}

/// How many leads match a condition, in all and in the pool.
public struct MatchCount: Sendable, Equatable {
    public var leads: Int
    /// Open and unowned.
    public var pooled: Int

    public init(leads: Int, pooled: Int) {
        self.leads = leads
        self.pooled = pooled
    }
}

// MARK: - What every backend stores

extension StoredRuleset {
    /// A stored version, its source parsed again; a source that no longer validates (a newer
    /// binary's rules file, say) is a configuration error.
    package init(version: Int64, source: String, fileName: String?, appliedAt: Date, appliedBy: String) throws {
        let ruleset: Ruleset
        do {
            ruleset = try Ruleset.parse(source, fileName: fileName ?? "ruleset v\(version)")
        } catch let error as LeadPoolError {
            throw LeadPoolError.configuration(
                "the stored ruleset version \(version) no longer validates:\n\(error.message)",
                hint: "apply a corrected rules file with `leadpool rules apply FILE`"
            )
        }
        self.init(version: version, ruleset: ruleset, source: source, fileName: fileName, appliedAt: appliedAt, appliedBy: appliedBy)
    }
}

extension ClaimPolicy {
    /// The zone as stored beside the limits: nil for UTC.
    package var storedTimeZone: String? {
        defaultClock.isUTC && defaultClock.name == "UTC" ? nil : defaultClock.name
    }
}
