import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

extension PostgresBindings {
    /// Compiled values (``CompiledCondition``, ``CompiledLeadQuery``) as PostgresNIO binds them.
    init(_ values: [SQLValue]) {
        self.init(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): append(text)
            case .integer(let n): append(n)
            case .double(let d): append(d)
            }
        }
    }
}

extension PostgresSQL {
    /// `SELECT <select> FROM leads WHERE <query> [ORDER BY <query's order>] [LIMIT] [OFFSET] <tail>`,
    /// every value bound.
    func leadQuery(
        _ select: String,
        _ query: LeadQuery,
        now: Date,
        ordered: Bool = true,
        offset: Int? = nil,
        tail: String = ""
    ) throws
        -> PostgresQuery
    {
        let compiled = try CompiledLeadQuery(query, now: now, dialect: .postgresql)
        var sql = "SELECT \(select) FROM \(Self.leadRows) WHERE \(compiled.whereSQL)"
        if ordered { sql += " ORDER BY \(compiled.order)" }
        var values = compiled.values
        if let limit = query.limit {
            values.append(.integer(Int64(limit)))
            sql += " LIMIT $\(values.count)"
        }
        if let offset {
            values.append(.integer(Int64(offset)))
            sql += " OFFSET $\(values.count)"
        }
        return PostgresQuery(unsafeSQL: sql + tail, binds: PostgresBindings(values))
    }

    func leads(_ query: LeadQuery, now: Date) throws -> [Lead] {
        try rows(try leadQuery(Lead.postgresColumns, query, now: now)).map(Lead.init(postgres:))
    }
}

// MARK: - LeadStorage: lead queries

extension PostgresStore {
    public func leads(_ query: LeadQuery, now: Date) throws -> [Lead] {
        try transaction(readOnly: true) { try $0.leads(query, now: now) }
    }

    /// Pages through the leads in the query's order, a page per statement, so that a large
    /// export never holds every lead at once.
    public func forEachLead(_ query: LeadQuery, now: Date, _ body: (Lead) throws -> Void) throws {
        try transaction(readOnly: true) { sql in
            var remaining = query.limit ?? .max
            var offset = 0
            while remaining > 0 {
                var page = query
                page.limit = min(remaining, Self.exportPage)
                let pageQuery = try sql.leadQuery(Lead.postgresColumns, page, now: now, offset: offset)
                let leads = try sql.rows(pageQuery).map(Lead.init(postgres:))
                for lead in leads { try body(lead) }
                guard leads.count == page.limit else { return }
                offset += leads.count
                remaining -= leads.count
            }
        }
    }

    static let exportPage = 10_000

    public func countLeads(_ query: LeadQuery, now: Date) throws -> Int {
        var query = query
        query.limit = nil
        return try transaction(readOnly: true) { sql in
            try sql.value(try sql.leadQuery("count(*)", query, now: now, ordered: false), as: Int.self) ?? 0
        }
    }

    public func hasAttribute(_ name: String) throws -> Bool {
        try transaction(readOnly: true) { sql in
            try sql.value("SELECT EXISTS (SELECT 1 FROM \(unescaped: PostgresSQL.leadRows) WHERE attrs ->> \(name) IS NOT NULL)", as: Bool.self)
                ?? false
        }
    }

    public func attributeNames(_ query: LeadQuery, now: Date) throws -> [String] {
        var query = query
        query.limit = nil
        return try transaction(readOnly: true) { sql in
            try sql.values(
                try sql.leadQuery("DISTINCT json_object_keys(leads.attrs) AS key", query, now: now, ordered: false, tail: " ORDER BY key"),
                as: String.self
            )
        }
    }

    /// Claims the best-scoring pool leads matching `query` that `rep` may take. Candidates are
    /// read a page at a time and locked `FOR UPDATE SKIP LOCKED`: a lead another claimer is
    /// taking is passed over, not waited for, so claimers do not queue behind one row. Leads
    /// still waiting to open, or of a pool whose limits are reached, are passed over
    /// (``NextClaims``), and the next page read while too few are left.
    public func claimNext(_ count: Int, matching query: LeadQuery, for rep: Rep, at now: Date) throws -> (claimed: [Int64], stop: String?) {
        try transaction { sql in
            try sql.lockBudget(of: rep)
            let policy = try sql.claimPolicy()
            var budget = try sql.budget(of: rep, policy: policy, now: now)
            if let refusal = budget.refusal { return ([], refusal) }
            let query = NextClaims.query(query, for: rep, policy: policy)
            let want = min(count, budget.room)
            let page = max(2 * want, Self.claimPage)
            let floor = policy.cooldownFloor(at: now)?.storedSeconds ?? Int64.max
            let compiled = try CompiledLeadQuery(query, now: now, dialect: .postgresql)
            let n = compiled.values.count
            var next = NextClaims(policy: policy, rep: rep, now: now, want: want)
            var offset = 0
            while !next.isComplete {
                let values = compiled.values + [.text(rep.handle), .integer(floor), .integer(Int64(page)), .integer(Int64(offset))]
                let leads = try sql.rows(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT \(Lead.postgresColumns) FROM \(PostgresSQL.leadRows) WHERE \(compiled.whereSQL)
                            AND NOT (previous_owner IS NOT DISTINCT FROM $\(n + 1) AND released_at > $\(n + 2))
                            ORDER BY \(compiled.order) LIMIT $\(n + 3) OFFSET $\(n + 4)
                            FOR UPDATE SKIP LOCKED
                            """,
                        binds: PostgresBindings(values)
                    )
                ).map(Lead.init(postgres:))
                for lead in leads {
                    try next.consider(lead) { try sql.poolBudget(of: rep, in: $0, policy: policy, now: now) }
                }
                guard leads.count == page else { break }
                offset += page
            }
            var claimed: [Int64] = []
            for lead in next.candidates {
                let limit = policy.pool(named: lead.pool)?.dailyLimit
                guard try sql.take(lead.id, pool: lead.pool, poolDailyLimit: limit, for: rep.handle, budget: budget, now: now, login: login)
                else { continue }
                claimed.append(lead.id)
                budget.take()
            }
            guard claimed.count < count else { return (claimed, nil) }
            return (claimed, next.stop(after: budget))
        }
    }

    /// Pool leads `claim --next` reads per statement (at least twice what it wants).
    static let claimPage = 50

    public func heldLeads(of rep: Rep, at now: Date) throws -> HeldLeads {
        try transaction(readOnly: true) { sql in
            let ruleset = try sql.currentRuleset()?.ruleset ?? .standard
            let leads = try sql.leads(LeadQuery(ownership: .ownedBy(rep.handle)), now: now)
            let policy = ruleset.reclaimPolicy
            let claims = try sql.claimPolicy()
            return HeldLeads(
                leads: policy.forecasts(for: leads, ownerActive: rep.active, owner: rep, in: ruleset.conditionContext(now: now)),
                budget: try sql.budget(of: rep, policy: claims, now: now),
                policy: policy,
                pools: try sql.poolBudgets(of: rep, policy: claims, now: now)
            )
        }
    }

    public func tag(_ ids: [Int64], _ tags: [String], remove: Bool, actor: String, at now: Date) throws -> Int {
        try transaction { sql in
            var changed = 0
            for id in ids {
                _ = try sql.requireLead(id)
                var touched: [String] = []
                if remove {
                    for tag in tags where try sql.execute("DELETE FROM lead_tags WHERE lead_id = \(id) AND lower(tag) = lower(\(tag))") > 0 {
                        touched.append(tag)
                    }
                } else {
                    touched = try sql.addTags(leadID: id, tags)
                }
                guard !touched.isEmpty else { continue }
                changed += 1
                let event = LeadEvent(
                    leadID: id,
                    at: now,
                    actor: actor,
                    kind: remove ? .untagged : .tagged,
                    detail: "{\"tags\":\(JSONText.array(touched))}"
                )
                try sql.record(event, by: login)
                // ICP criteria may read tags: the changed lead's score follows them.
                try sql.rescore(id, now: now)
            }
            return changed
        }
    }
}

// MARK: - LeadStorage: counts

extension PostgresStore {
    /// Leads per tier among those `query` selects, most common first (tiers with none left out).
    public func tierCounts(_ query: LeadQuery, expected: [String], now: Date) throws -> [TierCount] {
        var query = query
        query.limit = nil
        return try transaction(readOnly: true) { sql in
            try sql.rows(
                try sql.leadQuery(
                    "tier, count(*) AS n",
                    query,
                    now: now,
                    ordered: false,
                    tail: " GROUP BY tier ORDER BY n DESC, tier COLLATE \"C\" NULLS FIRST"
                )
            )
            .map { TierCount(tier: try $0["tier"], count: try $0["n"]) }
        }
    }

    /// How many leads match each condition, in all and in the pool: one pass over the leads.
    public func countMatching(_ conditions: [Condition], segments: [String: Condition], now: Date) throws -> [MatchCount] {
        try transaction(readOnly: true) { try $0.countMatching(conditions, in: ConditionContext(now: now, segments: segments)) }
    }

    /// What applying `ruleset` would give: the leads this session may read copied into a
    /// temporary table that stands in for `leads` in this session, and a temporary view over it
    /// for `lead_rows` (`pg_temp` comes first on the search path), scored there by the core's
    /// scorer, counted, and dropped with the transaction, which rolls back. The real leads are
    /// neither written nor locked.
    public func preview(_ ruleset: Ruleset, now: Date) throws -> RulesetPreview {
        try transaction { sql -> (result: RulesetPreview, commit: Bool) in
            try sql.execute(PostgresQuery(unsafeSQL: "CREATE TEMPORARY TABLE leads ON COMMIT DROP AS SELECT * FROM \(location.schema).lead_rows"))
            try sql.execute("CREATE INDEX ON pg_temp.leads (id)")
            try sql.execute("CREATE TEMPORARY VIEW lead_rows AS SELECT * FROM pg_temp.leads")
            try sql.rescoreAll(ruleset, now: now)
            var statement = PostgresStatement()
            let tiers = ruleset.tiers.map(\.name)
            let columns = ["count(*)"] + tiers.map { "count(*) FILTER (WHERE tier = \(statement.bind(.text($0))))" }
            statement.sql = "SELECT \(columns.joined(separator: ", ")) FROM leads"
            guard let row = try sql.rows(statement.query).first else { throw LeadPoolError.bug("SELECT count(*) returned no row") }
            let preview = RulesetPreview(
                leads: try row[0].decode(Int.self),
                tiers: try tiers.indices.map { TierCount(tier: tiers[$0], count: try row[$0 + 1].decode(Int.self)) },
                segments: try sql.countMatching(ruleset.segments.map { .segment($0.name) }, in: ruleset.conditionContext(now: now))
            )
            return (preview, false)
        }
    }
}

extension PostgresSQL {
    /// How many leads match each condition, in all and in the pool: one pass over `leads`.
    func countMatching(_ conditions: [Condition], in context: ConditionContext) throws -> [MatchCount] {
        try countPairs(conditions, in: context, from: Self.leadRows) {
            ("count(*) FILTER (WHERE \($0))", "count(*) FILTER (WHERE owner IS NULL AND status = 'open' AND \($0))")
        }.map { MatchCount(leads: $0.0, pooled: $0.1) }
    }

    /// Conditions counted per statement: two columns each, well under the 1,664 columns
    /// PostgreSQL allows in a select list.
    static let conditionsPerPass = 200

    /// Two counts per condition (the aggregates `pair` makes of its compiled SQL) over `source`,
    /// in one pass per ``conditionsPerPass`` conditions.
    func countPairs(
        _ conditions: [Condition],
        in context: ConditionContext,
        from source: String,
        _ pair: (String) -> (String, String)
    ) throws -> [(Int, Int)] {
        var counts: [(Int, Int)] = []
        for start in stride(from: 0, to: conditions.count, by: Self.conditionsPerPass) {
            var statement = PostgresStatement()
            var columns: [String] = []
            for condition in conditions[start..<min(start + Self.conditionsPerPass, conditions.count)] {
                let (first, second) = pair(try statement.condition(condition, in: context))
                columns += [first, second]
            }
            statement.sql = "SELECT \(columns.joined(separator: ", ")) FROM \(source)"
            guard let row = try rows(statement.query).first else { return [] }
            for index in 0..<(columns.count / 2) {
                counts.append((try row[2 * index].decode(Int.self), try row[2 * index + 1].decode(Int.self)))
            }
        }
        return counts
    }
}
