import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

// MARK: - Store API

extension Store {
    /// The report sections asked for, computed in SQL from one snapshot (one read transaction),
    /// so the sections agree with each other.
    ///
    /// - Parameters:
    ///   - ruleset: the ruleset in force: its tiers order the tier groups, its segments are the
    ///     segment groups, its defaults give capacities and its reclaim policy the idle threshold.
    ///   - roundLimit: how many recent rounds the rounds section lists.
    public func report(_ sections: [ReportSection], ruleset: Ruleset, now: Date, roundLimit: Int = 10) throws -> Report {
        try read { db in
            var report = Report(now: now)
            for section in sections {
                switch section {
                case .pool: report.pool = try Store.poolReport(db, ruleset: ruleset, now: now)
                case .reps: report.reps = try Store.repsReport(db, ruleset: ruleset, now: now)
                case .conversion: report.conversion = try Store.conversionReport(db, ruleset: ruleset, now: now)
                case .aging: report.aging = try Store.agingReport(db)
                case .rounds: report.rounds = try Store.roundsReport(db, limit: roundLimit)
                case .sla: report.sla = try Store.slaReport(db, ruleset: ruleset, now: now)
                }
            }
            return report
        }
    }
}

// MARK: - Pool

extension Store {
    /// One pass over the pool: leads grouped by (tier, source, age band) with each segment's
    /// membership summed, materialized once; the four breakdowns are sums over those groups.
    /// Sources fold ASCII case as conditions do (`webinar` and `Webinar` are one group, shown
    /// by the spelling that sorts first).
    ///
    /// `NOT INDEXED`: the pool is most of the table, and walking the `leads_pool` index then
    /// fetching each row measured 5× slower over a million leads than reading the table in order.
    ///
    /// Segments beyond ``conditionsPerPass`` take one more pass per slice of that many.
    static func poolReport(_ db: Database, ruleset: Ruleset, now: Date) throws -> PoolReport {
        var tiers: [GroupCount] = []
        var sources: [GroupCount] = []
        var ages: [String: Int] = [:]
        var segments: [Int] = []
        for (first, slice) in segmentSlices(ruleset) {
            let (segmentColumns, segmentArguments) = try segmentFlags(slice, ruleset: ruleset, now: now)
            let pass = try poolPass(db, segmentColumns: segmentColumns, segmentArguments: segmentArguments, now: now)
            if first {
                (tiers, sources, ages) = (pass.tiers, pass.sources, pass.ages)
            }
            segments += pass.segments
        }
        return PoolReport(
            leads: tiers.reduce(0) { $0 + $1.leads },
            byTier: ReportOrder.inTierOrder(tiers, ruleset: ruleset, zero: { GroupCount($0, 0) }) { $0.group },
            bySegment: zip(ruleset.segments, segments).map { GroupCount($0.name, $1) },
            bySource: sources.sorted(by: ReportOrder.mostFirst),
            byAge: AgeBand.allCases.map { GroupCount($0.rawValue, ages[$0.rawValue] ?? 0) },
            byPool: try poolActivity(db, ruleset: ruleset, now: now)
        )
    }

    /// Each pool's leads, held leads, and claims and reclaims over the last
    /// ``RepActivity/recentDays`` days (a claim or reclaim written before pools counts for `main`).
    static func poolActivity(_ db: Database, ruleset: Ruleset, now: Date) throws -> [PoolActivity] {
        let leads = try Row.fetchAll(
            db,
            sql: """
                SELECT pool, sum(owner IS NULL AND status = 'open') AS leads, sum(owner IS NOT NULL AND \(held)) AS held
                FROM leads GROUP BY pool
                """
        ).map { (pool: $0["pool"] as String, leads: $0["leads"] as Int, held: $0["held"] as Int) }
        let since = now.addingTimeInterval(-TimeInterval(RepActivity.recentDays) * 86_400).storedSeconds
        let events = try Row.fetchAll(
            db,
            sql: """
                SELECT coalesce(json_extract(detail, '$.pool'), 'main') AS pool, sum(kind = \(EventKind.claimed.sql)) AS claims,
                       sum(kind = \(EventKind.reclaimed.sql)) AS reclaims
                FROM events WHERE kind IN (\(EventKind.claimed.sql), \(EventKind.reclaimed.sql)) AND at > ? AND at <= ?
                GROUP BY 1
                """,
            arguments: [since, now.storedSeconds]
        ).map { (pool: $0["pool"] as String, claims: $0["claims"] as Int, reclaims: $0["reclaims"] as Int) }
        return PoolActivity.assemble(ruleset: ruleset, leads: leads, events: events)
    }

    /// The ruleset's segments in slices of at most ``conditionsPerPass``, the first flagged;
    /// one empty slice when there are none, so the first pass always runs.
    private static func segmentSlices(_ ruleset: Ruleset) -> [(first: Bool, slice: ArraySlice<Ruleset.Segment>)] {
        let segments = ruleset.segments
        guard !segments.isEmpty else { return [(true, [])] }
        return stride(from: 0, to: segments.count, by: conditionsPerPass).map {
            ($0 == 0, segments[$0..<min($0 + conditionsPerPass, segments.count)])
        }
    }

    private static func poolPass(
        _ db: Database,
        segmentColumns: [String],
        segmentArguments: StatementArguments,
        now: Date
    ) throws -> (tiers: [GroupCount], sources: [GroupCount], ages: [String: Int], segments: [Int]) {
        var arguments = StatementArguments()
        var band = "CASE"
        for age in AgeBand.allCases.reversed() {
            band += " WHEN age >= ? THEN ?"
            arguments += [age.minimumDays, age.rawValue]
        }
        band += " END"
        arguments += [now.storedSeconds]
        arguments += segmentArguments
        let segmentSums = segmentColumns.indices.map { ", sum(s\($0)) AS s\($0)" }.joined()
        let segmentSelects = segmentColumns.indices.map { ", (\(segmentColumns[$0])) AS s\($0)" }.joined()
        let segmentTotals = segmentColumns.indices.map { "UNION ALL SELECT 's', \($0), ifnull(sum(s\($0)), 0) FROM g\n" }.joined()
        let sql = """
            WITH g AS MATERIALIZED (
                SELECT tier, source, \(band) AS band, count(*) AS n\(segmentSums)
                FROM (SELECT tier, source, max(0, (? - created_at) / 86400) AS age\(segmentSelects)
                      FROM leads NOT INDEXED WHERE owner IS NULL AND status = 'open')
                GROUP BY 1, 2, 3)
            SELECT 't' AS dimension, tier AS grp, sum(n) AS n FROM g GROUP BY tier
            UNION ALL SELECT 'o', min(source), sum(n) FROM g GROUP BY source COLLATE NOCASE
            UNION ALL SELECT 'a', band, sum(n) FROM g GROUP BY band
            \(segmentTotals)
            """
        var tiers: [GroupCount] = []
        var sources: [GroupCount] = []
        var ages: [String: Int] = [:]
        var segments = Array(repeating: 0, count: segmentColumns.count)
        for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
            let n: Int = row["n"]
            switch row["dimension"] as String {
            case "t": tiers.append(GroupCount(row["grp"], n))
            case "o": sources.append(GroupCount(row["grp"], n))
            case "a": ages[row["grp"]] = n
            default: segments[row["grp"]] = n
            }
        }
        return (tiers, sources, ages, segments)
    }

    /// Each segment's condition as a 0/1 SQL expression over `leads`, with its arguments in order.
    private static func segmentFlags(
        _ segments: ArraySlice<Ruleset.Segment>,
        ruleset: Ruleset,
        now: Date
    ) throws -> ([String], StatementArguments) {
        let context = ruleset.conditionContext(now: now)
        var arguments = StatementArguments()
        let columns = try segments.map { segment in
            let compiled = try ConditionSQL(.segment(segment.name), in: context)
            arguments += compiled.arguments
            return compiled.sql
        }
        return (columns, arguments)
    }

}

// MARK: - Reps

extension Store {
    /// Per rep: held and idle leads from `leads` (through the owner index), event counts from one
    /// grouped pass over `events`.
    static func repsReport(_ db: Database, ruleset: Ruleset, now: Date) throws -> RepsReport {
        let policy = ruleset.reclaimPolicy
        let context = ruleset.conditionContext(now: now)
        // The idle threshold of each lead: the first override whose condition holds, as reclaim reads it.
        var threshold = "CASE"
        var thresholdArguments = StatementArguments()
        for override in policy.overrides {
            let compiled = try ConditionSQL(override.when, in: context)
            threshold += " WHEN \(compiled.sql) THEN ?"
            thresholdArguments += compiled.arguments
            thresholdArguments += [override.noActivityDays ?? policy.noActivityDays]
        }
        // CASE needs a WHEN: without overrides the threshold is the policy's alone.
        threshold = policy.overrides.isEmpty ? "(? - ?)" : "(" + threshold + " ELSE ? END - ?)"
        thresholdArguments += [policy.noActivityDays, policy.warnDays]
        let nowSeconds = now.storedSeconds
        let window = nowSeconds - Int64(RepActivity.recentDays) * 86_400
        // Placeholders in text order; the idle-days expression is ConditionSQL's `idle_days`.
        var arguments: StatementArguments = [nowSeconds]
        arguments += thresholdArguments
        arguments += [nowSeconds - 7 * 86_400, nowSeconds, window, nowSeconds]
        let touched = EventKind.touched.sql
        let sql = """
            SELECT r.handle, r.name, r.active, r.capacity, r.timezone,
                (SELECT count(*) FROM leads WHERE owner = r.handle AND \(held)) AS held,
                (SELECT count(*) FROM leads WHERE owner = r.handle AND \(held)
                    AND max(0, (? - max(coalesce(last_activity_at, created_at), coalesce(claimed_at, created_at))) / 86400)
                        >= \(threshold)) AS idle,
                ifnull(e.touches, 0) AS touches, ifnull(e.converted, 0) AS converted,
                ifnull(e.disqualified, 0) AS disqualified, ifnull(e.released, 0) AS released,
                ifnull(e.reclaimed, 0) AS reclaimed, ifnull(e.reclaimed_recently, 0) AS reclaimed_recently,
                ifnull(e.exits_recently, 0) AS exits_recently
            FROM reps r
            LEFT JOIN (
                SELECT rep,
                    sum(kind = \(touched) AND at > ? AND at <= ?) AS touches,
                    sum(kind = \(EventKind.converted.sql)) AS converted, sum(kind = \(EventKind.disqualified.sql)) AS disqualified,
                    sum(kind = \(EventKind.released.sql)) AS released, sum(kind = \(EventKind.reclaimed.sql)) AS reclaimed,
                    sum(kind = \(EventKind.reclaimed.sql) AND recent) AS reclaimed_recently,
                    sum(kind <> \(touched) AND recent) AS exits_recently
                FROM (SELECT CASE kind WHEN \(touched) THEN actor ELSE from_owner END AS rep, kind, at,
                             at > ? AND at <= ? AS recent
                      FROM events
                      WHERE kind IN \(EventKind.repOutcomes.sql))
                WHERE rep IS NOT NULL
                GROUP BY rep
            ) e ON e.rep = r.handle
            ORDER BY r.handle
            """
        let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
        let defaultCapacity = ruleset.defaults.capacity
        // Each rep's "today" runs from midnight in their own zone (else the ruleset's).
        let claims = try db.cachedStatement(
            sql: "SELECT count(*) FROM events WHERE kind = \(EventKind.claimed.sql) AND to_owner = ? AND at >= ? AND at < ?"
        )
        func claimedToday(_ row: Row) throws -> Int {
            let zone: String? = row["timezone"]
            let clock = zone.flatMap { $0 == ruleset.clock.name ? ruleset.clock : TeamClock(named: $0) } ?? ruleset.clock
            let day = clock.day(containing: now)
            return try Int.fetchOne(
                claims,
                arguments: [row["handle"] as String, day.lowerBound.storedSeconds, day.upperBound.storedSeconds]
            ) ?? 0
        }
        return RepsReport(
            idleThresholdDays: policy.noActivityDays - policy.warnDays,
            idleThresholdHasOverrides: !policy.overrides.isEmpty,
            reps: try rows.map { row in
                let own: Int? = row["capacity"]
                return RepActivity(
                    handle: row["handle"],
                    name: row["name"],
                    active: row["active"],
                    held: row["held"],
                    capacity: own ?? defaultCapacity,
                    capacityIsDefault: own == nil,
                    claimedToday: try claimedToday(row),
                    touches7d: row["touches"],
                    idle: row["idle"],
                    converted: row["converted"],
                    disqualified: row["disqualified"],
                    released: row["released"],
                    reclaimed: row["reclaimed"],
                    reclaimedRecently: row["reclaimed_recently"],
                    exitsRecently: row["exits_recently"]
                )
            }
        )
    }
}

// MARK: - Conversion

extension Store {
    /// Closed leads (converted or disqualified) grouped by source, tier and owner in one
    /// materialized pass, each segment's membership summed alongside.
    static func conversionReport(_ db: Database, ruleset: Ruleset, now: Date) throws -> ConversionReport {
        var overall = ConversionRate(nil, converted: 0, closed: 0)
        var sources: [ConversionRate] = []
        var tiers: [ConversionRate] = []
        var reps: [ConversionRate] = []
        var segments: [ConversionRate] = []
        for (first, slice) in segmentSlices(ruleset) {
            let (segmentColumns, segmentArguments) = try segmentFlags(slice, ruleset: ruleset, now: now)
            let pass = try conversionPass(
                db,
                segments: slice.map { ConversionRate($0.name, converted: 0, closed: 0) },
                segmentColumns: segmentColumns,
                segmentArguments: segmentArguments
            )
            if first {
                (overall, sources, tiers, reps) = (pass.overall, pass.sources, pass.tiers, pass.reps)
            }
            segments += pass.segments
        }
        return ConversionReport(
            overall: overall,
            bySource: sources.sorted(by: ReportOrder.mostClosedFirst),
            bySegment: segments,
            byTier: ReportOrder.inTierOrder(tiers, ruleset: ruleset, zero: { ConversionRate($0, converted: 0, closed: 0) }) { $0.group },
            byRep: reps.sorted { ($0.group ?? "\u{10FFFF}") < ($1.group ?? "\u{10FFFF}") },
            byDisqualifyReason: try reasonCounts(db, kind: .disqualified),
            byReleaseReason: try reasonCounts(db, kind: .released)
        )
    }

    /// How often each reason was given for `kind` events, folding ASCII case as conditions do.
    private static func reasonCounts(_ db: Database, kind: EventKind) throws -> [GroupCount] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT min(reason) AS reason, count(*) AS n FROM events WHERE kind = ?
                GROUP BY reason COLLATE NOCASE ORDER BY n DESC, 1
                """,
            arguments: [kind.rawValue]
        ).map { GroupCount($0["reason"], $0["n"]) }
    }

    private static func conversionPass(
        _ db: Database,
        segments: [ConversionRate],
        segmentColumns: [String],
        segmentArguments: StatementArguments
    ) throws -> (
        overall: ConversionRate, sources: [ConversionRate], tiers: [ConversionRate], reps: [ConversionRate],
        segments: [ConversionRate]
    ) {
        var segments = segments
        let segmentSums = segmentColumns.indices.map { ", sum(s\($0)) AS s\($0), sum(s\($0) AND won) AS w\($0)" }.joined()
        let segmentSelects = segmentColumns.indices.map { ", (\(segmentColumns[$0])) AS s\($0)" }.joined()
        let segmentTotals = segmentColumns.indices.map {
            "UNION ALL SELECT 's', \($0), ifnull(sum(w\($0)), 0), ifnull(sum(s\($0)), 0) FROM g\n"
        }.joined()
        let sql = """
            WITH g AS MATERIALIZED (
                SELECT source, tier, owner, sum(won) AS won, count(*) AS n\(segmentSums)
                FROM (SELECT source, tier, owner, status = 'converted' AS won\(segmentSelects)
                      FROM leads WHERE status IN ('converted', 'disqualified'))
                GROUP BY 1, 2, 3)
            SELECT 'all' AS dimension, NULL AS grp, ifnull(sum(won), 0) AS won, ifnull(sum(n), 0) AS n FROM g
            UNION ALL SELECT 'o', min(source), sum(won), sum(n) FROM g GROUP BY source COLLATE NOCASE
            UNION ALL SELECT 't', tier, sum(won), sum(n) FROM g GROUP BY tier
            UNION ALL SELECT 'r', owner, sum(won), sum(n) FROM g GROUP BY owner
            \(segmentTotals)
            """
        var overall = ConversionRate(nil, converted: 0, closed: 0)
        var sources: [ConversionRate] = []
        var tiers: [ConversionRate] = []
        var reps: [ConversionRate] = []
        for row in try Row.fetchAll(db, sql: sql, arguments: segmentArguments) {
            let won: Int = row["won"]
            let n: Int = row["n"]
            switch row["dimension"] as String {
            case "all": overall = ConversionRate(nil, converted: won, closed: n)
            case "o": sources.append(ConversionRate(row["grp"], converted: won, closed: n))
            case "t": tiers.append(ConversionRate(row["grp"], converted: won, closed: n))
            case "r": reps.append(ConversionRate(row["grp"], converted: won, closed: n))
            default:
                let i: Int = row["grp"]
                segments[i].converted = won
                segments[i].closed = n
            }
        }
        return (overall, sources, tiers, reps, segments)
    }
}

// MARK: - Aging

extension Store {
    static func agingReport(_ db: Database) throws -> AgingReport {
        // Per lead: its first ownership event, against its creation.
        let toFirstOwner = """
            SELECT max(0, min(e.at) - l.created_at)
            FROM events e JOIN leads l ON l.id = e.lead_id
            WHERE e.kind IN \(EventKind.ownershipStarts.sql)
            GROUP BY e.lead_id, l.created_at
            """
        // Per lead: the first event of `kind`, against the ownership event in force just before it.
        func sinceOwnership(_ kind: EventKind) -> String {
            """
            SELECT max(0, x.at - (SELECT o.at FROM events o
                                  WHERE o.lead_id = x.lead_id AND o.id < x.id AND o.kind IN \(EventKind.ownershipStarts.sql)
                                  ORDER BY o.id DESC LIMIT 1))
            FROM events x
            WHERE x.id IN (SELECT min(id) FROM events WHERE kind = \(kind.sql) GROUP BY lead_id)
            """
        }
        return AgingReport(
            toFirstOwner: try durationStats(db, seconds: toFirstOwner),
            claimToFirstTouch: try durationStats(db, seconds: sinceOwnership(.touched)),
            claimToConversion: try durationStats(db, seconds: sinceOwnership(.converted))
        )
    }

    /// Count, median and 90th percentile (in days) of the durations (seconds, one column) the
    /// query yields, NULLs left out.
    ///
    /// SQLite has no percentile function: the durations are ranked with `row_number()`, and the
    /// p-quantile interpolates linearly between ranks ⌊(n−1)p⌋ and the next, as most
    /// statistics tools do by default.
    static func durationStats(_ db: Database, seconds query: String) throws -> DurationStats {
        func low(_ p: Double) -> String { "CAST((n - 1) * \(p) AS INTEGER)" }
        func at(_ p: Double, _ name: String) -> String {
            "max(CASE WHEN i = \(low(p)) THEN v END) AS \(name)_a, max(CASE WHEN i = \(low(p)) + 1 THEN v END) AS \(name)_b"
        }
        func interpolated(_ p: Double, _ name: String) -> String {
            "(\(name)_a + ((n - 1) * \(p) - \(low(p))) * (coalesce(\(name)_b, \(name)_a) - \(name)_a)) / 86400.0 AS \(name)"
        }
        let sql = """
            WITH d(v) AS (\(query)),
            r AS (SELECT v, row_number() OVER (ORDER BY v) - 1 AS i, count(*) OVER () AS n FROM d WHERE v IS NOT NULL),
            k AS (SELECT max(n) AS n, \(at(0.5, "p50")), \(at(0.9, "p90"))
                  FROM r WHERE i IN (\(low(0.5)), \(low(0.5)) + 1, \(low(0.9)), \(low(0.9)) + 1))
            SELECT ifnull(n, 0) AS n, \(interpolated(0.5, "p50")), \(interpolated(0.9, "p90")) FROM k
            """
        guard let row = try Row.fetchOne(db, sql: sql) else { return DurationStats(count: 0, medianDays: nil, p90Days: nil) }
        return DurationStats(count: row["n"], medianDays: row["p50"], p90Days: row["p90"])
    }
}

// MARK: - Rounds

extension Store {
    static func roundsReport(_ db: Database, limit: Int) throws -> RoundsReport {
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM rounds") ?? 0
        let rows = try Row.fetchAll(db, sql: "SELECT \(roundColumns) FROM rounds ORDER BY id DESC LIMIT ?", arguments: [limit])
        return RoundsReport(
            rounds: rows.map(RoundRecord.init(row:)),
            total: total
        )
    }
}

// MARK: - Speed to lead

extension Store {
    /// Every lead given to a rep (the events that give one: ``EventKind/givings``) with the
    /// first activity the rep recorded on it before it left them, and whether first-touch's
    /// `when` holds for it; the core counts them in each rep's working hours.
    static func slaReport(_ db: Database, ruleset: Ruleset, now: Date) throws -> SLAReport {
        let compiled = try CompiledSLA(ruleset, at: now, dialect: .sqlite)
        var receipts: [FirstTouchReceipt] = []
        let rows = try Row.fetchCursor(db, sql: compiled.receipts, arguments: StatementArguments(compiled.values))
        while let row = try rows.next() {
            receipts.append(
                FirstTouchReceipt(
                    rep: row[0],
                    givenAt: Date(storedSeconds: row[1]),
                    firstTouchAt: (row[3] as Int64?).map(Date.init(storedSeconds:)),
                    applies: row[2] as Bool
                )
            )
        }
        var escalated: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: CompiledSLA.escalations) {
            escalated[row[0]] = row[1]
        }
        let reps = try Row.fetchAll(db, sql: Rep.selection).map(Rep.init(row:))
        return SLAReport.compute(receipts: receipts, escalated: escalated, reps: reps, ruleset: ruleset, now: now)
    }
}
