import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

/// Builds one statement's SQL and its values side by side, numbering the placeholders.
struct PostgresStatement {
    var sql = ""
    var values: [SQLValue] = []

    /// `$n` for `value`, appended to the values.
    mutating func bind(_ value: SQLValue) -> String {
        values.append(value)
        return "$\(values.count)"
    }

    /// A condition's SQL, its placeholders numbered after the values so far.
    mutating func condition(_ condition: Condition, in context: ConditionContext) throws -> String {
        let compiled = try CompiledCondition(condition, in: context, dialect: .postgresql, firstParameter: values.count + 1)
        values += compiled.values
        return compiled.sql
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: PostgresBindings(values)) }
}

extension PostgresSQL {
    /// Text grouped as conditions compare it (ASCII letters folded), shown by the spelling that sorts first.
    static func folded(_ column: String) -> String {
        "translate(\(column), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    /// How many of `leads` (a WHERE clause) fall in each segment, and how many of those `also` holds on.
    func segmentCounts(_ ruleset: Ruleset, now: Date, where leads: String, also: String? = nil) throws -> [(all: Int, also: Int)] {
        try countPairs(
            ruleset.segments.map { .segment($0.name) },
            in: ruleset.conditionContext(now: now),
            from: "\(PostgresSQL.leadRows) WHERE \(leads)"
        ) {
            condition in
            ("count(*) FILTER (WHERE \(condition))", also.map { "count(*) FILTER (WHERE (\(condition)) AND \($0))" } ?? "0")
        }.map { (all: $0.0, also: $0.1) }
    }

    func poolReport(_ ruleset: Ruleset, now: Date) throws -> PoolReport {
        let pool = "owner IS NULL AND status = 'open'"
        let tiers = try rows(PostgresQuery(unsafeSQL: "SELECT tier AS grp, count(*) AS n FROM \(PostgresSQL.leadRows) WHERE \(pool) GROUP BY tier"))
            .map { GroupCount(try $0["grp"], try $0["n"]) }
        let sources = try rows(
            PostgresQuery(
                unsafeSQL:
                    "SELECT min(source COLLATE \"C\") AS grp, count(*) AS n FROM \(PostgresSQL.leadRows) WHERE \(pool) GROUP BY \(Self.folded("source"))"
            )
        ).map { GroupCount(try $0["grp"], try $0["n"]) }
        var band = PostgresStatement()
        let age = "GREATEST(0, (\(band.bind(.integer(now.storedSeconds))) - created_at) / 86400)"
        var cases = "CASE"
        for ageBand in AgeBand.allCases.reversed() {
            cases += " WHEN \(age) >= \(band.bind(.integer(Int64(ageBand.minimumDays)))) THEN \(band.bind(.text(ageBand.rawValue)))"
        }
        band.sql = "SELECT \(cases) END AS grp, count(*) AS n FROM \(PostgresSQL.leadRows) WHERE \(pool) GROUP BY 1"
        var ages: [String: Int] = [:]
        for row in try rows(band.query) { ages[try row["grp"]] = try row["n"] }
        let segments = try segmentCounts(ruleset, now: now, where: pool)
        return PoolReport(
            leads: tiers.reduce(0) { $0 + $1.leads },
            byTier: ReportOrder.inTierOrder(tiers, ruleset: ruleset, zero: { GroupCount($0, 0) }) { $0.group },
            bySegment: zip(ruleset.segments, segments).map { GroupCount($0.name, $1.all) },
            bySource: sources.sorted(by: ReportOrder.mostFirst),
            byAge: AgeBand.allCases.map { GroupCount($0.rawValue, ages[$0.rawValue] ?? 0) },
            byPool: try poolActivity(ruleset, now: now)
        )
    }

    /// Each pool's leads, held leads, and claims and reclaims over the last
    /// ``RepActivity/recentDays`` days (a claim or reclaim written before pools counts for `main`).
    func poolActivity(_ ruleset: Ruleset, now: Date) throws -> [PoolActivity] {
        let leads = try rows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT pool, count(*) FILTER (WHERE owner IS NULL AND status = 'open') AS leads,
                           count(*) FILTER (WHERE owner IS NOT NULL AND \(Self.held)) AS held
                    FROM \(PostgresSQL.leadRows) GROUP BY pool
                    """
            )
        ).map { (pool: try $0["pool", as: String.self], leads: try $0["leads", as: Int.self], held: try $0["held", as: Int.self]) }
        let since = now.addingTimeInterval(-TimeInterval(RepActivity.recentDays) * 86_400).storedSeconds
        let events = try rows(
            """
            SELECT coalesce(detail ->> 'pool', 'main') AS pool, count(*) FILTER (WHERE kind = 'claimed') AS claims,
                   count(*) FILTER (WHERE kind = 'reclaimed') AS reclaims
            FROM events WHERE kind IN ('claimed', 'reclaimed') AND at > \(since) AND at <= \(now.storedSeconds)
            GROUP BY 1
            """
        ).map { (pool: try $0["pool", as: String.self], claims: try $0["claims", as: Int.self], reclaims: try $0["reclaims", as: Int.self]) }
        return PoolActivity.assemble(ruleset: ruleset, leads: leads, events: events)
    }

    func repsReport(_ ruleset: Ruleset, now: Date) throws -> RepsReport {
        let policy = ruleset.reclaimPolicy
        let context = ruleset.conditionContext(now: now)
        let nowSeconds = now.storedSeconds
        var statement = PostgresStatement()
        let idleDays =
            "GREATEST(0, (\(statement.bind(.integer(nowSeconds))) - GREATEST(coalesce(last_activity_at, created_at), coalesce(claimed_at, created_at))) / 86400)"
        // The idle threshold of each lead: the first override whose condition holds, as reclaim reads it.
        var threshold = "CASE"
        for override in policy.overrides {
            let condition = try statement.condition(override.when, in: context)
            threshold += " WHEN \(condition) THEN \(statement.bind(.integer(Int64(override.noActivityDays ?? policy.noActivityDays))))"
        }
        let general = statement.bind(.integer(Int64(policy.noActivityDays)))
        threshold = policy.overrides.isEmpty ? general : threshold + " ELSE \(general) END"
        let warn = statement.bind(.integer(Int64(policy.warnDays)))
        let weekStart = statement.bind(.integer(nowSeconds - 7 * 86_400))
        let windowStart = statement.bind(.integer(nowSeconds - Int64(RepActivity.recentDays) * 86_400))
        let end = statement.bind(.integer(nowSeconds))
        statement.sql = """
            SELECT r.handle, r.name, r.active, r.capacity, r.timezone,
                (SELECT count(*) FROM \(PostgresSQL.leadRows) WHERE owner = r.handle AND \(Self.held)) AS held,
                (SELECT count(*) FROM \(PostgresSQL.leadRows) WHERE owner = r.handle AND \(Self.held) AND \(idleDays) >= (\(threshold)) - \(warn)) AS idle,
                coalesce(e.touches, 0) AS touches, coalesce(e.converted, 0) AS converted,
                coalesce(e.disqualified, 0) AS disqualified, coalesce(e.released, 0) AS released,
                coalesce(e.reclaimed, 0) AS reclaimed, coalesce(e.reclaimed_recently, 0) AS reclaimed_recently,
                coalesce(e.exits_recently, 0) AS exits_recently
            FROM reps r
            LEFT JOIN (
                SELECT rep,
                    count(*) FILTER (WHERE kind = 'touched' AND at > \(weekStart) AND at <= \(end)) AS touches,
                    count(*) FILTER (WHERE kind = 'converted') AS converted, count(*) FILTER (WHERE kind = 'disqualified') AS disqualified,
                    count(*) FILTER (WHERE kind = 'released') AS released, count(*) FILTER (WHERE kind = 'reclaimed') AS reclaimed,
                    count(*) FILTER (WHERE kind = 'reclaimed' AND recent) AS reclaimed_recently,
                    count(*) FILTER (WHERE kind <> 'touched' AND recent) AS exits_recently
                FROM (SELECT CASE kind WHEN 'touched' THEN actor ELSE from_owner END AS rep, kind, at,
                             at > \(windowStart) AND at <= \(end) AS recent
                      FROM events
                      WHERE kind IN (\(EventKind.repOutcomes.map { "'\($0.rawValue)'" }.joined(separator: ", ")))) AS outcomes
                WHERE rep IS NOT NULL
                GROUP BY rep
            ) e ON e.rep = r.handle
            ORDER BY r.handle
            """
        let defaultCapacity = ruleset.defaults.capacity
        return RepsReport(
            idleThresholdDays: policy.noActivityDays - policy.warnDays,
            idleThresholdHasOverrides: !policy.overrides.isEmpty,
            reps: try rows(statement.query).map { row in
                let own: Int? = try row["capacity"]
                let handle: String = try row["handle"]
                let zone: String? = try row["timezone"]
                let clock = zone.flatMap { $0 == ruleset.clock.name ? ruleset.clock : TeamClock(named: $0) } ?? ruleset.clock
                let day = clock.day(containing: now)
                let claimedToday =
                    try value(
                        """
                        SELECT count(*) FROM events WHERE kind = 'claimed' AND to_owner = \(handle)
                        AND at >= \(day.lowerBound.storedSeconds) AND at < \(day.upperBound.storedSeconds)
                        """,
                        as: Int.self
                    ) ?? 0
                return RepActivity(
                    handle: handle,
                    name: try row["name"],
                    active: try row["active"],
                    held: try row["held"],
                    capacity: own ?? defaultCapacity,
                    capacityIsDefault: own == nil,
                    claimedToday: claimedToday,
                    touches7d: try row["touches"],
                    idle: try row["idle"],
                    converted: try row["converted"],
                    disqualified: try row["disqualified"],
                    released: try row["released"],
                    reclaimed: try row["reclaimed"],
                    reclaimedRecently: try row["reclaimed_recently"],
                    exitsRecently: try row["exits_recently"]
                )
            }
        )
    }

    func conversionReport(_ ruleset: Ruleset, now: Date) throws -> ConversionReport {
        let closed = "status IN ('converted', 'disqualified')"
        let won = "count(*) FILTER (WHERE status = 'converted') AS won, count(*) AS n"
        func rates(_ group: String, by key: String) throws -> [ConversionRate] {
            try rows(PostgresQuery(unsafeSQL: "SELECT \(group) AS grp, \(won) FROM \(PostgresSQL.leadRows) WHERE \(closed) GROUP BY \(key)"))
                .map { ConversionRate(try $0["grp"], converted: try $0["won"], closed: try $0["n"]) }
        }
        let overall =
            try rows(PostgresQuery(unsafeSQL: "SELECT \(won) FROM \(PostgresSQL.leadRows) WHERE \(closed)")).first
            .map { ConversionRate(nil, converted: try $0["won"], closed: try $0["n"]) } ?? ConversionRate(nil, converted: 0, closed: 0)
        let segments = try segmentCounts(ruleset, now: now, where: closed, also: "status = 'converted'")
        return ConversionReport(
            overall: overall,
            bySource: try rates("min(source COLLATE \"C\")", by: Self.folded("source")).sorted(by: ReportOrder.mostClosedFirst),
            bySegment: zip(ruleset.segments, segments).map { ConversionRate($0.name, converted: $1.also, closed: $1.all) },
            byTier: ReportOrder.inTierOrder(
                try rates("tier", by: "tier"),
                ruleset: ruleset,
                zero: { ConversionRate($0, converted: 0, closed: 0) }
            ) { $0.group },
            byRep: try rates("owner", by: "owner").sorted { ($0.group ?? "\u{10FFFF}") < ($1.group ?? "\u{10FFFF}") },
            byDisqualifyReason: try reasonCounts(.disqualified),
            byReleaseReason: try reasonCounts(.released)
        )
    }

    /// How often each reason was given for `kind` events, folding ASCII case as conditions do.
    func reasonCounts(_ kind: EventKind) throws -> [GroupCount] {
        try rows(
            """
            SELECT min(reason COLLATE "C") AS reason, count(*) AS n FROM events WHERE kind = \(kind.rawValue)
            GROUP BY \(unescaped: Self.folded("reason")) ORDER BY n DESC, 1 NULLS FIRST
            """
        ).map { GroupCount(try $0["reason"], try $0["n"]) }
    }

    func agingReport() throws -> AgingReport {
        let starts = EventKind.ownershipStarts.map(\.rawValue)
        let toFirstOwner: PostgresQuery = """
            SELECT GREATEST(0, min(e.at) - l.created_at) AS v
            FROM events e JOIN leads l ON l.id = e.lead_id
            WHERE e.kind = ANY(\(starts))
            GROUP BY e.lead_id, l.created_at
            """
        func sinceOwnership(_ kind: EventKind) -> PostgresQuery {
            """
            SELECT GREATEST(0, x.at - (SELECT o.at FROM events o
                                      WHERE o.lead_id = x.lead_id AND o.id < x.id AND o.kind = ANY(\(starts))
                                      ORDER BY o.id DESC LIMIT 1)) AS v
            FROM events x
            WHERE x.id IN (SELECT min(id) FROM events WHERE kind = \(kind.rawValue) GROUP BY lead_id)
            """
        }
        return AgingReport(
            toFirstOwner: try durationStats(toFirstOwner),
            claimToFirstTouch: try durationStats(sinceOwnership(.touched)),
            claimToConversion: try durationStats(sinceOwnership(.converted))
        )
    }

    /// Count, median and 90th percentile (in days) of the durations (seconds) `query` yields,
    /// NULLs left out: `percentile_cont`, which interpolates between ranks ⌊(n−1)p⌋ and the
    /// next as SQLite's store computes by hand.
    func durationStats(_ query: PostgresQuery) throws -> DurationStats {
        var wrapped = query
        wrapped.sql = """
            SELECT count(v) AS n,
                (percentile_cont(0.5) WITHIN GROUP (ORDER BY v)) / 86400.0 AS p50,
                (percentile_cont(0.9) WITHIN GROUP (ORDER BY v)) / 86400.0 AS p90
            FROM (\(query.sql)) AS d WHERE v IS NOT NULL
            """
        guard let row = try rows(wrapped).first else { return DurationStats(count: 0, medianDays: nil, p90Days: nil) }
        return DurationStats(count: try row["n"], medianDays: try row["p50"], p90Days: try row["p90"])
    }
}

extension PostgresSQL {
    /// `report sla`: the leads given to each rep and their first touches (``CompiledSLA``),
    /// counted in the reps' working hours by the core.
    func slaReport(_ ruleset: Ruleset, now: Date) throws -> SLAReport {
        let compiled = try CompiledSLA(ruleset, at: now, dialect: .postgresql)
        let receipts = try rows(PostgresQuery(unsafeSQL: compiled.receipts, binds: PostgresBindings(compiled.values))).map { row in
            FirstTouchReceipt(
                rep: try row["to_owner"],
                givenAt: Date(storedSeconds: try row["at"]),
                firstTouchAt: (try row["first_touch", as: Int64?.self]).map(Date.init(storedSeconds:)),
                applies: try row["applies"]
            )
        }
        var escalated: [String: Int] = [:]
        for row in try rows(PostgresQuery(unsafeSQL: CompiledSLA.escalations)) {
            escalated[try row["from_owner"]] = try row["count"]
        }
        let reps = try rows(PostgresQuery(unsafeSQL: Rep.postgresSelection)).map(Rep.init(postgres:))
        return SLAReport.compute(receipts: receipts, escalated: escalated, reps: reps, ruleset: ruleset, now: now)
    }
}

// MARK: - LeadStorage: report

extension PostgresStore {
    /// The report's sections, read in one snapshot (REPEATABLE READ), so they agree.
    public func report(_ sections: [ReportSection], ruleset: Ruleset, now: Date, roundLimit: Int) throws -> Report {
        try transaction(readOnly: true) { sql in
            var report = Report(now: now)
            for section in sections {
                switch section {
                case .pool: report.pool = try sql.poolReport(ruleset, now: now)
                case .reps: report.reps = try sql.repsReport(ruleset, now: now)
                case .conversion: report.conversion = try sql.conversionReport(ruleset, now: now)
                case .aging: report.aging = try sql.agingReport()
                case .sla: report.sla = try sql.slaReport(ruleset, now: now)
                case .rounds:
                    report.rounds = RoundsReport(
                        rounds: try sql.rows(
                            PostgresQuery(
                                unsafeSQL: "SELECT \(PostgresSQL.roundColumns) FROM rounds ORDER BY id DESC LIMIT $1",
                                binds: sql.binds(Int64(roundLimit))
                            )
                        ).map(RoundRecord.init(postgres:)),
                        total: try sql.value("SELECT count(*) FROM rounds", as: Int.self) ?? 0
                    )
                }
            }
            return report
        }
    }
}
