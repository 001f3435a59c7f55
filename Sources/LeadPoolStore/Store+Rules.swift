import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

// MARK: - Store API

extension Store {
    /// Stores `ruleset` as the next version and re-scores every lead, in one transaction. A
    /// source identical to the version in force changes nothing: applying a file twice makes one
    /// version.
    ///
    /// `progress` is told, as the leads are scored in id order, how far through the id range
    /// the scoring is (a fraction from 0 to 1).
    @discardableResult
    public func applyRuleset(
        _ ruleset: Ruleset,
        source: String,
        fileName: String?,
        actor: String,
        at now: Date,
        progress: (Double) -> Void = { _ in }
    ) throws -> AppliedRuleset {
        try write { db in
            if let current = try Row.fetchOne(db, sql: "SELECT version, source FROM rulesets ORDER BY version DESC LIMIT 1"),
                current["source"] as String == source
            {
                return AppliedRuleset(version: current["version"], isNew: false)
            }
            let limits = ruleset.claimPolicy
            try db.execute(
                sql: """
                    INSERT INTO rulesets (applied_at, applied_by, file_name, source, default_capacity, default_daily_limit, cooldown_days,
                                          timezone, pools)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    now.storedSeconds, actor, fileName, source, limits.defaultCapacity, limits.defaultDailyLimit,
                    limits.cooldownDays, limits.storedTimeZone, ruleset.pools.count,
                ]
            )
            let version = db.lastInsertedRowID
            try Store.rescore(db, ruleset: ruleset, now: now, leadIDsFrom: nil, progress: progress)
            return AppliedRuleset(version: version, isNew: true)
        }
    }

    /// The ruleset in force (the highest version), or nil before the first `rules apply`.
    public func currentRuleset() throws -> StoredRuleset? {
        try read { try Store.fetchRuleset($0, version: nil) }
    }

    /// The claim limits of the ruleset in force (the standard ones before the first apply),
    /// read from the numbers and the zone stored at apply time without parsing the rules file
    /// (unless it lists pools, whose policies only the file holds).
    public func claimPolicy() throws -> ClaimPolicy {
        try read { try Store.claimPolicy($0) }
    }

    static func claimPolicy(_ db: Database) throws -> ClaimPolicy {
        let row = try Row.fetchOne(
            db,
            sql: "SELECT default_capacity, default_daily_limit, cooldown_days, timezone, pools FROM rulesets ORDER BY version DESC LIMIT 1"
        )
        guard let row else { return Ruleset.standard.claimPolicy }
        guard let cooldown = row["cooldown_days"] as Int?, row["pools"] as Int == 0 else {
            return try Store.fetchRuleset(db, version: nil)?.ruleset.claimPolicy ?? Ruleset.standard.claimPolicy
        }
        return ClaimPolicy(
            defaultCapacity: row["default_capacity"],
            defaultDailyLimit: row["default_daily_limit"],
            cooldownDays: cooldown,
            defaultClock: (row["timezone"] as String?).flatMap { TeamClock(named: $0) } ?? .utc
        )
    }

    /// One stored version, or nil when there is no such version.
    public func ruleset(version: Int64) throws -> StoredRuleset? {
        try read { try Store.fetchRuleset($0, version: version) }
    }

    /// Leads per tier among those matching `query`, most common first (tiers with none left out).
    ///
    /// `expected` names the tiers to count in one pass without grouping (a GROUP BY sorts
    /// every lead first: 0.6 s instead of 0.24 s over a million); only when some lead has
    /// another tier (or none) are they grouped after all.
    public func tierCounts(_ query: LeadQuery, expected: [String], now: Date) throws -> [TierCount] {
        let (clause, _, arguments) = try Store.sql(for: query, now: now)
        return try read { db in
            let sums = expected.map { _ in ", sum(tier = ?)" }.joined()
            let row = try Row.fetchOne(
                db,
                sql: "SELECT count(*)\(sums) FROM leads WHERE \(clause)",
                arguments: StatementArguments(expected) + arguments
            )
            let counts = expected.indices.map { TierCount(tier: expected[$0], count: row?[$0 + 1] ?? 0) }
            guard counts.reduce(0, { $0 + $1.count }) < row?[0] ?? 0 else {
                return counts.filter { $0.count > 0 }.sorted { ($0.count, $1.tier ?? "") > ($1.count, $0.tier ?? "") }
            }
            return try Row.fetchAll(
                db,
                sql: "SELECT tier, count(*) AS n FROM leads WHERE \(clause) GROUP BY tier ORDER BY n DESC, tier",
                arguments: arguments
            ).map { TierCount(tier: $0["tier"], count: $0["n"]) }
        }
    }

    /// How many leads match each condition, counted in one pass over the leads.
    ///
    /// - Parameter segments: the definitions `segment("x")` resolves through.
    public func countMatching(_ conditions: [Condition], segments: [String: Condition], now: Date) throws -> [MatchCount] {
        guard !conditions.isEmpty else { return [] }
        let context = ConditionContext(now: now, segments: segments)
        return try read { db in
            // SQLite allows 2,000 result columns: many conditions take one pass per slice of them.
            try stride(from: 0, to: conditions.count, by: Store.conditionsPerPass).flatMap { start in
                let slice = conditions[start..<min(start + Store.conditionsPerPass, conditions.count)]
                return try Store.countPass(db, from: "leads", [], tiers: [], conditions: slice, context: context).matches
            }
        }
    }

    /// What applying `ruleset` would give, computed without writing anything: every lead scored
    /// and tiered by its ICP and tiers (the SQL `rules apply` runs), then the leads per tier and
    /// the leads matching each of its segments, where `score` and `tier` are the new ones.
    ///
    /// The tiers and the first ``conditionsPerPass`` segments take one pass over the leads, each
    /// further slice of segments another.
    public func preview(_ ruleset: Ruleset, now: Date) throws -> RulesetPreview {
        try read { try Store.preview($0, ruleset: ruleset, now: now) }
    }

    static func preview(_ db: Database, ruleset: Ruleset, now: Date) throws -> RulesetPreview {
        let context = ruleset.conditionContext(now: now)
        let segments = ruleset.segments.map { Condition.segment($0.name) }
        let tiers = ruleset.tiers.map(\.name)
        let (source, arguments) = try rescoredLeadsSQL(db, ruleset: ruleset, now: now)
        var preview = RulesetPreview(leads: 0, tiers: [], segments: [])
        for start in stride(from: 0, through: max(0, segments.count - 1), by: conditionsPerPass) {
            let slice = segments[min(start, segments.count)..<min(start + conditionsPerPass, segments.count)]
            let pass = try countPass(db, from: source, arguments, tiers: start == 0 ? tiers : [], conditions: slice, context: context)
            if start == 0 {
                preview.leads = pass.leads
                preview.tiers = zip(tiers, pass.tiers).map { TierCount(tier: $0, count: $1) }
            }
            preview.segments += pass.matches
        }
        return preview
    }

    /// One pass over `source` (a FROM clause whose table is named `leads`): how many leads it
    /// holds, how many hold each of `tiers`, and how many match each condition, in all and in
    /// the pool. Each condition is evaluated once per lead in the inner query; the outer one sums.
    static func countPass(
        _ db: Database,
        from source: String,
        _ sourceArguments: StatementArguments,
        tiers: [String],
        conditions: ArraySlice<Condition>,
        context: ConditionContext
    ) throws -> (leads: Int, tiers: [Int], matches: [MatchCount]) {
        var inner: [String] = []
        var outer = ["count(*) AS total"]
        var innerArguments = StatementArguments()
        for i in tiers.indices { outer.append("ifnull(sum(tier = ?), 0) AS t\(i)") }
        for (i, condition) in zip(0..., conditions) {
            let compiled = try ConditionSQL(condition, in: context)
            inner.append("(\(compiled.sql)) AS m\(i)")
            innerArguments += compiled.arguments
            outer.append("ifnull(sum(m\(i)), 0) AS n\(i), ifnull(sum(m\(i) AND pooled), 0) AS p\(i)")
        }
        inner.append("owner IS NULL AND status = 'open' AS pooled")
        inner.append("tier")
        // LIMIT -1 keeps the inner query from being flattened into the aggregate, which would
        // evaluate a condition (or the score it reads) once per sum that names it.
        let sql = "SELECT \(outer.joined(separator: ", ")) FROM (SELECT \(inner.joined(separator: ", ")) FROM \(source) LIMIT -1)"
        guard let row = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(tiers) + innerArguments + sourceArguments)
        else { return (0, tiers.map { _ in 0 }, conditions.map { _ in MatchCount(leads: 0, pooled: 0) }) }
        return (
            row["total"], tiers.indices.map { row["t\($0)"] },
            conditions.indices.map { MatchCount(leads: row["n\($0 - conditions.startIndex)"], pooled: row["p\($0 - conditions.startIndex)"]) }
        )
    }
}

extension Store {
    /// The most conditions (segments) one statement evaluates side by side: each is a column or
    /// two, SQLite allows 2,000 columns and 500 terms in a UNION, and preparing a statement
    /// grows with the square of its columns (GRDB's authorizer tracks every column read): a
    /// report over 1,000 segments took 18 s in 400s, 5.6 s in 100s (debug build, 300 leads).
    static let conditionsPerPass = 100
}

// MARK: - Scoring in SQL

extension Store {
    /// Sets the score and tier of every lead with `id >= leadIDsFrom` (all leads when nil) from
    /// the ruleset's ICP with one set-based UPDATE; call it inside a write transaction.
    ///
    /// The same figures as ``LeadScorer``: the points of each criterion met, summed, clamped to
    /// 0–100, and the first band whose minimum the score reaches. Criteria reading the clock
    /// (`age_days`…) see `now`.
    ///
    /// Scoring every lead moves each one in the pool index, so that index is dropped for it and
    /// built again after (4.9 s instead of 5.4–6.6 s over a million leads).
    ///
    /// All leads are scored ``rescoreStep`` ids per UPDATE, so that `progress` can follow
    /// (a fraction of the id range); the same statement over a range of the primary key
    /// costs nothing extra.
    static func rescore(
        _ db: Database,
        ruleset: Ruleset,
        now: Date,
        leadIDsFrom: Int64?,
        progress: (Double) -> Void = { _ in }
    ) throws {
        guard let leadIDsFrom else {
            return try withoutIndexes(db, [poolIndex]) {
                guard let row = try Row.fetchOne(db, sql: "SELECT min(id), max(id) FROM leads"),
                    let low: Int64 = row[0], let high: Int64 = row[1]
                else { return }
                for start in stride(from: low, through: high, by: rescoreStep) {
                    let end = start + Int64(rescoreStep)
                    try rescore(db, ruleset: ruleset, now: now, where: " WHERE id >= ? AND id < ?", [start, end])
                    progress(Double(min(end, high + 1) - low) / Double(high + 1 - low))
                }
            }
        }
        try rescore(db, ruleset: ruleset, now: now, where: " WHERE id >= ?", [leadIDsFrom])
    }

    /// Lead ids per UPDATE when every lead is scored.
    static let rescoreStep = 50_000

    /// Re-scores the given leads only (after a change to their tags, say), 500 ids per UPDATE
    /// (SQLite allows 32,766 parameters); call it inside a write transaction.
    static func rescore(_ db: Database, ruleset: Ruleset, now: Date, leadIDs: [Int64]) throws {
        for start in stride(from: 0, to: leadIDs.count, by: 500) {
            let chunk = leadIDs[start..<min(start + 500, leadIDs.count)]
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            try rescore(db, ruleset: ruleset, now: now, where: " WHERE id IN (\(placeholders))", StatementArguments(chunk))
        }
    }

    private static func rescore(
        _ db: Database,
        ruleset: Ruleset,
        now: Date,
        where range: String,
        _ rangeArguments: StatementArguments
    ) throws {
        let (sql, arguments) = try rescoreSQL(ruleset, now: now)
        try db.execute(sql: sql + range, arguments: arguments + rangeArguments)
    }

    /// The UPDATE that sets every lead's score and tier under `ruleset` (add a WHERE clause to
    /// narrow it). One pass: the score is computed once, in a subquery, and the tier read from
    /// it. Over a million leads this took 5.1 s where a score pass and then a tier pass took
    /// 6.0 s (each pass rewrites every row); joining a scoring subquery back (UPDATE … FROM)
    /// was slower still.
    package static func rescoreSQL(_ ruleset: Ruleset, now: Date) throws -> (sql: String, arguments: StatementArguments) {
        let (score, arguments) = try scoreSQL(ruleset, now: now)
        let (tier, tierArguments) = tierSQL(ruleset, score: "s")
        return (
            "UPDATE leads SET (score, tier) = (SELECT s, \(tier) FROM (SELECT \(score) AS s))",
            tierArguments + arguments
        )
    }

    /// Every lead with the score and tier `ruleset` would give it, as a FROM clause whose table
    /// is named `leads`, so that conditions compiled by ``ConditionSQL`` read the new `score` and
    /// `tier` where they would read the stored ones. Nothing is written.
    ///
    /// The score is computed once per lead, in the innermost query (LIMIT -1 keeps SQLite from
    /// flattening it into the next, which would compute it again for each tier band).
    static func rescoredLeadsSQL(_ db: Database, ruleset: Ruleset, now: Date) throws -> (String, StatementArguments) {
        let kept = try db.columns(in: "leads").map(\.name).filter { $0 != "score" && $0 != "tier" }
            .map { "leads." + $0.quotedDatabaseIdentifier }.joined(separator: ", ")
        let (score, scoreArguments) = try scoreSQL(ruleset, now: now)
        let (tier, tierArguments) = tierSQL(ruleset, score: "leads.score")
        return (
            """
            (SELECT \(kept), leads.score AS score, \(tier) AS tier
             FROM (SELECT \(kept), \(score) AS score FROM leads LIMIT -1) AS leads LIMIT -1) AS leads
            """,
            tierArguments + scoreArguments
        )
    }

    /// A lead's score under the ruleset's ICP, as SQL over `leads`: the points of the criteria
    /// it meets, summed and clamped to 0–100 (as ``LeadScorer/clamp(_:)``).
    static func scoreSQL(_ ruleset: Ruleset, now: Date) throws -> (String, StatementArguments) {
        let (sum, arguments) = try pointsSQL(ruleset.icp, in: ruleset.conditionContext(now: now))
        return ("max(0, min(100, \(sum)))", arguments)
    }

    /// The sum of the points of the `criteria` a lead meets, as SQL over `leads` (unclamped).
    ///
    /// The terms are added as a balanced tree: SQLite parses `a + b + c …` into a chain as deep
    /// as it is long and refuses expressions deeper than 1,000 levels.
    static func pointsSQL(_ criteria: [Ruleset.Criterion], in context: ConditionContext) throws -> (String, StatementArguments) {
        var terms: [String] = []
        var arguments = StatementArguments()
        for criterion in criteria where criterion.points != 0 {
            let compiled = try ConditionSQL(criterion.when, in: context)
            terms.append("CASE WHEN \(compiled.sql) THEN ? ELSE 0 END")
            arguments += compiled.arguments
            arguments += [criterion.points]
        }
        func sum(_ terms: ArraySlice<String>) -> String {
            guard terms.count > 1 else { return terms.first ?? "0" }
            let middle = terms.startIndex + terms.count / 2
            return "(\(sum(terms[..<middle])) + \(sum(terms[middle...])))"
        }
        return (sum(terms[...]), arguments)
    }

    /// The tier of the score the SQL expression `score` gives: the first band whose minimum it
    /// reaches, else the last band.
    static func tierSQL(_ ruleset: Ruleset, score: String) -> (String, StatementArguments) {
        var tier = "CASE"
        var arguments = StatementArguments()
        for band in ruleset.tiers.dropLast() {
            tier += " WHEN \(score) >= ? THEN ?"
            arguments += [band.minimum, band.name]
        }
        tier += " ELSE ? END"
        arguments += [ruleset.tiers.last?.name ?? Ruleset.TierBand.implicitFloorName]
        return (tier, arguments)
    }

    static func fetchRuleset(_ db: Database, version: Int64?) throws -> StoredRuleset? {
        let row =
            try version.map {
                try Row.fetchOne(db, sql: "SELECT * FROM rulesets WHERE version = ?", arguments: [$0])
            } ?? Row.fetchOne(db, sql: "SELECT * FROM rulesets ORDER BY version DESC LIMIT 1")
        guard let row else { return nil }
        return try StoredRuleset(
            version: row["version"],
            source: row["source"],
            fileName: row["file_name"],
            appliedAt: Date(storedSeconds: row["applied_at"]),
            appliedBy: row["applied_by"]
        )
    }
}
