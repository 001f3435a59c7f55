import Foundation

// MARK: - Pools

extension Ruleset {
    /// One pool (公海) of `pools:`: who may see and claim its leads, who keeps it, its claim
    /// limits, how long freshly pooled leads wait, where its reclaimed leads go and which
    /// fields it hides beyond the contact fields.
    ///
    /// The pool `main` always exists: a file without `pools:` (or one that does not list
    /// `main`) has it open to everyone with no limits of its own, as a database with one pool.
    public struct Pool: Sendable, Equatable {
        public var name: String
        /// `members:` — teams and handles that may see and claim; empty = everyone.
        public var members: [Target]
        /// `admins:` — handles that may assign, transfer, move and reclaim within the pool.
        public var admins: [String]
        /// `claim: { capacity }` — most leads of this pool a rep holds at once; nil = no cap.
        public var capacity: Int?
        /// `claim: { daily-limit }` — most claims from this pool a rep makes per local day.
        public var dailyLimit: Int?
        /// `claimable-after:` — seconds a lead waits after entering the pool before a claim.
        public var claimableAfter: TimeInterval?
        /// `reclaim:` — thresholds for this pool's leads (nil: the file's `reclaim:`) and the
        /// pool reclaimed leads go to (nil: this one).
        public var reclaim: Reclaim
        /// `hidden:` — fields hidden from non-owners on this pool's leads, beyond the file's.
        public var hidden: [Condition.Operand]
        public var location: Location?

        public init(
            name: String,
            members: [Target] = [],
            admins: [String] = [],
            capacity: Int? = nil,
            dailyLimit: Int? = nil,
            claimableAfter: TimeInterval? = nil,
            reclaim: Reclaim = Reclaim(),
            hidden: [Condition.Operand] = [],
            location: Location? = nil
        ) {
            self.name = name
            self.members = members
            self.admins = admins
            self.capacity = capacity
            self.dailyLimit = dailyLimit
            self.claimableAfter = claimableAfter
            self.reclaim = reclaim
            self.hidden = hidden
            self.location = location
        }

        /// A pool's `reclaim:` overrides.
        public struct Reclaim: Sendable, Equatable {
            public var noActivityDays: Int?
            public var maxHoldDays: Int?
            /// `to:` — the pool reclaimed leads go to.
            public var to: String?

            public init(noActivityDays: Int? = nil, maxHoldDays: Int? = nil, to: String? = nil) {
                self.noActivityDays = noActivityDays
                self.maxHoldDays = maxHoldDays
                self.to = to
            }
        }
    }

    /// The pool every lead is in unless placed elsewhere; it always exists.
    public static let mainPool = "main"

    /// The pool named `name`: as the file lists it, `main` as it always exists, or nil.
    public func pool(named name: String) -> Pool? { Pool.named(name, in: pools) }

    /// Every pool's name: `main` first unless the file lists it, then the file's in order.
    public var poolNames: [String] { Pool.names(of: pools) }

    /// The pool named `name`.
    ///
    /// - Throws: `LeadPoolError.notFound` (exit 66), suggesting the nearest pool name.
    public func requirePool(_ name: String) throws -> Pool {
        if let pool = pool(named: name) { return pool }
        throw LeadPoolError.notFound(
            "no pool named '\(name)'",
            hint: NameSuggestion.nearest(to: name, among: poolNames).map { "did you mean '\($0)'?" }
                ?? "pools: " + poolNames.joined(separator: ", ")
        )
    }

    /// The pools `rep` may see and claim from, in ``poolNames`` order.
    public func pools(visibleTo rep: Rep) -> [String] { Pool.names(of: pools, visibleTo: rep) }

    /// The reclaim policy with each pool's `reclaim:` thresholds: after the file's overrides
    /// (the first matching override still wins), one override per pool that sets thresholds,
    /// `when: pool = "P"`, so a pool's numbers replace the general ones for its leads.
    public var reclaimPolicy: ReclaimPolicy {
        var policy = reclaim
        for pool in pools where pool.reclaim.noActivityDays != nil || pool.reclaim.maxHoldDays != nil {
            policy.overrides.append(
                .init(
                    when: .comparison(.field(.pool), .equal, .text(pool.name)),
                    text: "pool = \"\(pool.name)\"",
                    noActivityDays: pool.reclaim.noActivityDays,
                    maxHoldDays: pool.reclaim.maxHoldDays
                )
            )
        }
        return policy
    }

    /// Where a lead of `pool` goes when reclaimed: the pool's `reclaim.to`, else the pool itself.
    public func reclaimTarget(of pool: String) -> String {
        self.pool(named: pool)?.reclaim.to ?? pool
    }
}

extension Ruleset.Pool {
    /// The pool named `name` among `pools` (a file's list), `main` as it always exists, or nil.
    public static func named(_ name: String, in pools: [Ruleset.Pool]) -> Ruleset.Pool? {
        pools.first { $0.name == name } ?? (name == Ruleset.mainPool ? Ruleset.Pool(name: Ruleset.mainPool) : nil)
    }

    /// Every pool's name: `main` first unless `pools` lists it, then theirs in order.
    public static func names(of pools: [Ruleset.Pool]) -> [String] {
        let listed = pools.map(\.name)
        return listed.contains(Ruleset.mainPool) ? listed : [Ruleset.mainPool] + listed
    }

    /// The names of the pools `rep` may see and claim from.
    public static func names(of pools: [Ruleset.Pool], visibleTo rep: Rep) -> [String] {
        names(of: pools).filter { named($0, in: pools)?.admits(rep) ?? false }
    }
}

// MARK: - Durations

extension Ruleset {
    /// Seconds in `30m`, `2h`, `1d` or `90s` (one number and one unit), or nil.
    public static func duration(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let amount = Int(trimmed.dropLast()), amount >= 0 else { return nil }
        switch unit {
        case "s": return TimeInterval(amount)
        case "m": return TimeInterval(amount) * 60
        case "h": return TimeInterval(amount) * 3_600
        case "d": return TimeInterval(amount) * 86_400
        default: return nil
        }
    }

    /// `2h`, `30m`, `1d`: the largest whole unit.
    public static func durationText(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds)
        if whole > 0, whole % 86_400 == 0 { return "\(whole / 86_400)d" }
        if whole > 0, whole % 3_600 == 0 { return "\(whole / 3_600)h" }
        if whole > 0, whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}
