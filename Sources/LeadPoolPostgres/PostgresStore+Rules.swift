import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

extension PostgresSQL {
    /// One stored version (nil: the one in force), or nil when there is none.
    func ruleset(version: Int64?) throws -> StoredRuleset? {
        let select = "SELECT version, source, file_name, applied_at, applied_by FROM rulesets"
        let query: PostgresQuery =
            if let version { "\(unescaped: select) WHERE version = \(version)" } else { "\(unescaped: select) ORDER BY version DESC LIMIT 1" }
        guard let row = try rows(query).first else { return nil }
        return try StoredRuleset(
            version: try row["version"],
            source: try row["source"],
            fileName: try row["file_name"],
            appliedAt: Date(storedSeconds: try row["applied_at"]),
            appliedBy: try row["applied_by"]
        )
    }

    func currentRuleset() throws -> StoredRuleset? { try ruleset(version: nil) }

    /// The claim limits of the ruleset in force, from the numbers and zone stored at apply time
    /// (unless it lists pools, whose policies only the file holds).
    func claimPolicy() throws -> ClaimPolicy {
        guard
            let row = try rows(
                "SELECT default_capacity, default_daily_limit, cooldown_days, timezone, pools FROM rulesets ORDER BY version DESC LIMIT 1"
            )
            .first
        else { return Ruleset.standard.claimPolicy }
        guard let cooldown = try row["cooldown_days", as: Int?.self], try row["pools", as: Int.self] == 0 else {
            return try currentRuleset()?.ruleset.claimPolicy ?? Ruleset.standard.claimPolicy
        }
        return ClaimPolicy(
            defaultCapacity: try row["default_capacity"],
            defaultDailyLimit: try row["default_daily_limit"],
            cooldownDays: cooldown,
            defaultClock: try row["timezone", as: String?.self].flatMap { TeamClock(named: $0) } ?? .utc
        )
    }

    /// Scores every lead under `ruleset` with the core's scorer, a page of leads at a time, and
    /// writes each page's scores and tiers with one UPDATE.
    /// `fromID` narrows it to the leads from that id on (the ones an import added).
    func rescoreAll(_ ruleset: Ruleset, now: Date, fromID: Int64 = 1, progress: (Double) -> Void = { _ in }) throws {
        let scorer = LeadScorer(ruleset: ruleset, now: now)
        let total = max(1, try value("SELECT count(*) FROM leads WHERE id >= \(fromID)", as: Int.self) ?? 0)
        var after: Int64 = fromID - 1
        var done = 0
        while true {
            let page = try rows(
                "SELECT \(unescaped: Lead.postgresColumns) FROM \(unescaped: Self.leadRows) WHERE id > \(after) ORDER BY id LIMIT \(Self.rescorePage)"
            ).map(Lead.init(postgres:))
            guard let last = page.last else { return }
            let scored = page.map { scorer.score($0) }
            try execute(
                """
                UPDATE leads SET score = u.score, tier = NULLIF(u.tier, '')
                FROM unnest(\(page.map(\.id)), \(scored.map(\.score)), \(scored.map(\.tier))) AS u(id, score, tier)
                WHERE leads.id = u.id
                """
            )
            after = last.id
            done += page.count
            progress(Double(done) / Double(total))
        }
    }

    /// Stores beside version `version` what the database enforces of `ruleset` itself (migration
    /// 0009): each pool's admins, and the `hidden:` lists (the file's with pool NULL).
    func writeRights(of ruleset: Ruleset, version: Int64) throws {
        let admins = ruleset.pools.flatMap { pool in pool.admins.map { (pool: pool.name, handle: $0) } }
        if !admins.isEmpty {
            try execute(
                """
                INSERT INTO ruleset_pool_admins (version, pool, handle)
                SELECT DISTINCT \(version)::BIGINT, a.pool, a.handle FROM unnest(\(admins.map(\.pool)), \(admins.map(\.handle))) AS a(pool, handle)
                """
            )
        }
        let hidden =
            ruleset.hidden.map { (pool: "", name: $0.description) }
            + ruleset.pools.flatMap { pool in pool.hidden.map { (pool: pool.name, name: $0.description) } }
        if !hidden.isEmpty {
            try execute(
                """
                INSERT INTO ruleset_hidden (version, pool, name)
                SELECT \(version)::BIGINT, NULLIF(h.pool, ''), h.name FROM unnest(\(hidden.map(\.pool)), \(hidden.map(\.name))) AS h(pool, name)
                """
            )
        }
    }

    /// Leads scored per page by ``rescoreAll(_:now:progress:)``.
    static let rescorePage = 5_000
}

// MARK: - LeadStorage: rules

extension PostgresStore {
    public func applyRuleset(
        _ ruleset: Ruleset,
        source: String,
        fileName: String?,
        actor: String,
        at now: Date,
        progress: (Double) -> Void
    ) throws -> AppliedRuleset {
        try transaction { sql in
            // One apply at a time: the second waits, then sees the first's version.
            try sql.execute("LOCK TABLE rulesets IN EXCLUSIVE MODE")
            if let current = try sql.rows("SELECT version, source FROM rulesets ORDER BY version DESC LIMIT 1").first,
                try current["source", as: String.self] == source
            {
                return AppliedRuleset(version: try current["version"], isNew: false)
            }
            let limits = ruleset.claimPolicy
            let version =
                try sql.value(
                    """
                    INSERT INTO rulesets (version, applied_at, applied_by, file_name, source, default_capacity, default_daily_limit, cooldown_days,
                                          timezone, pools)
                    SELECT coalesce(max(version), 0) + 1, \(now.storedSeconds), \(actor), \(fileName), \(source), \(limits.defaultCapacity),
                           \(limits.defaultDailyLimit), \(limits.cooldownDays), \(limits.storedTimeZone), \(ruleset.pools.count)
                    FROM rulesets
                    RETURNING version
                    """,
                    as: Int64.self
                ) ?? 0
            try sql.writeRights(of: ruleset, version: version)
            try sql.rescoreAll(ruleset, now: now, progress: progress)
            return AppliedRuleset(version: version, isNew: true)
        }
    }

    public func currentRuleset() throws -> StoredRuleset? {
        try transaction(readOnly: true) { try $0.currentRuleset() }
    }

    public func ruleset(version: Int64) throws -> StoredRuleset? {
        try transaction(readOnly: true) { try $0.ruleset(version: version) }
    }

    public func claimPolicy() throws -> ClaimPolicy {
        try transaction(readOnly: true) { try $0.claimPolicy() }
    }
}
