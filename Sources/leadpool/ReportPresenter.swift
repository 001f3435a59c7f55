import Foundation
import LeadPoolCore

/// Turns a ``Report`` into tables, one JSON document or one section's CSV; ``ReportHTML``
/// builds on its labels.
struct ReportPresenter {
    let report: Report
    let sections: [ReportSection]
    let ruleset: Ruleset
    /// The acting rep's zone: tables and HTML show times in it (CSV and JSON keep UTC).
    var clock: TeamClock = .utc

    /// `(none)` for a missing group value.
    static func label(_ group: String?) -> String { group ?? "(none)" }

    /// Days with one decimal, `–` when nothing was measured.
    static func days(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "–" }

    static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "–" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
    }

    /// `alice 2, bob 3`.
    /// The per-rule table of `report rounds`: one row per round and rule that matched leads.
    static let ruleColumns: [(title: String, numeric: Bool)] = [
        ("ROUND", true), ("RULE", false), ("MATCHED", true), ("ASSIGNED", true), ("NO CAPACITY", true),
        ("PER-ROUND", true), ("MOVED", true), ("REPS", true), ("SPREAD", true), ("STDDEV", true),
    ]

    /// Rows for ``ruleColumns``: rounds newest first, rules in file order; rules that matched
    /// nothing are left out. A summary written before per-rule figures shows "–" for them.
    static func ruleRows(_ rounds: RoundsReport) -> [[String]] {
        rounds.rounds.flatMap { round in
            (round.summary?.rules ?? []).filter { ($0.matched ?? 0) > 0 }.map { rule in
                [String(round.id), rule.rule]
                    + [rule.matched, rule.assigned, rule.noCapacity, rule.perRoundLimited, rule.moved, rule.fairness?.reps].map {
                        $0.map(String.init) ?? "–"
                    }
                    + [decimal(rule.fairness?.spread), decimal(rule.fairness?.stddev)]
            }
        }
    }

    static func given(_ summary: RoundSummary?) -> String {
        guard let summary else { return "–" }
        return summary.reps.map { "\($0.handle) \($0.given)" }.joined(separator: ", ")
    }

    static let agingSteps: [(key: String, title: String, stats: @Sendable (AgingReport) -> DurationStats)] = [
        ("to_first_owner", "import → first owner", \.toFirstOwner),
        ("claim_to_first_touch", "claim → first touch", \.claimToFirstTouch),
        ("claim_to_conversion", "claim → conversion", \.claimToConversion),
    ]

    /// The idle column's title, saying which threshold counts.
    var idleTitle: String {
        guard let reps = report.reps else { return "IDLE" }
        return "IDLE ≥\(reps.idleThresholdDays)D" + (reps.idleThresholdHasOverrides ? "*" : "")
    }

    // MARK: - Table

    func text(styled: Bool, width: Int? = nil) -> String {
        var parts: [String] = []
        func heading(_ title: String) -> String { styled ? "\u{1B}[1m\(title)\u{1B}[0m\n" : title + "\n" }
        for section in sections {
            var out = ""
            switch section {
            case .pool:
                guard let pool = report.pool else { continue }
                out += heading("POOL: \(pool.leads) open unowned lead(s)")
                for (title, groups) in [("TIER", pool.byTier), ("SEGMENT", pool.bySegment), ("SOURCE", pool.bySource), ("AGE (DAYS)", pool.byAge)] {
                    var table = Table([(title, .left), ("LEADS", .right), ("SHARE", .right)])
                    for group in groups { table.add([Self.label(group.group), String(group.leads), Self.percent(group.leads, of: pool.leads)]) }
                    if groups.isEmpty { table.add(title == "SEGMENT" ? ["(the ruleset defines no segments)"] : ["(none)"]) }
                    out += "\n" + table.render(bold: styled, width: width)
                }
                if !pool.bySegment.isEmpty { out += "Segments overlap: a lead counts in each segment it matches.\n" }
                var pools = Table([
                    ("POOL", .left), ("LEADS", .right), ("HELD", .right), ("CLAIMS \(RepActivity.recentDays)D", .right),
                    ("RECLAIMS \(RepActivity.recentDays)D", .right),
                ])
                for pool in pool.byPool {
                    pools.add([pool.pool, String(pool.leads), String(pool.held), String(pool.claimsRecently), String(pool.reclaimsRecently)])
                }
                out += "\n" + pools.render(bold: styled, width: width)
            case .reps:
                guard let reps = report.reps else { continue }
                out += heading("REPS: load vs capacity and activity at \(clock.time(report.now))")
                var table = Table([
                    ("REP", .left), ("HELD/CAP", .right), ("LOAD", .right), ("TODAY", .right), ("TOUCH 7D", .right),
                    (idleTitle, .right), ("CONV", .right), ("DISQ", .right), ("REL", .right),
                    ("RECL", .right), ("RECL 30D", .right), ("FLAG", .left),
                ])
                for rep in reps.reps {
                    var flags: [String] = []
                    if rep.hoarding { flags.append("hoarding") }
                    if rep.held > rep.capacity { flags.append("over capacity") }
                    if !rep.active { flags.append("inactive") }
                    table.add([
                        rep.handle, "\(rep.held)/\(rep.capacity)",
                        Self.percent(rep.held, of: rep.capacity), String(rep.claimedToday), String(rep.touches7d),
                        String(rep.idle), String(rep.converted), String(rep.disqualified), String(rep.released),
                        String(rep.reclaimed), String(rep.reclaimedRecently), flags.joined(separator: ", "),
                    ])
                }
                out += "\n" + table.render(bold: styled, width: width)
                out += hoardingNote(reps) + "\n"
            case .conversion:
                guard let conversion = report.conversion else { continue }
                out += heading("CONVERSION: converted/closed, overall \(conversion.overall.text)")
                for (title, rates) in [
                    ("SOURCE", conversion.bySource), ("SEGMENT", conversion.bySegment), ("TIER", conversion.byTier),
                    ("REP", conversion.byRep),
                ] {
                    var table = Table([(title, .left), ("CONVERTED/CLOSED", .right)])
                    for rate in rates { table.add([Self.label(rate.group), rate.text]) }
                    if rates.isEmpty { table.add(["(none)"]) }
                    out += "\n" + table.render(bold: styled, width: width)
                }
                for (title, counts) in [("DISQUALIFY REASON", conversion.byDisqualifyReason), ("RELEASE REASON", conversion.byReleaseReason)] {
                    var table = Table([(title, .left), ("LEADS", .right)])
                    for count in counts { table.add([Self.label(count.group), String(count.leads)]) }
                    if counts.isEmpty { table.add(["(none)"]) }
                    out += "\n" + table.render(bold: styled, width: width)
                }
            case .aging:
                guard let aging = report.aging else { continue }
                out += heading("AGING: days between steps")
                var table = Table([("STEP", .left), ("LEADS", .right), ("MEDIAN", .right), ("P90", .right)])
                for step in Self.agingSteps {
                    let stats = step.stats(aging)
                    table.add([step.title, String(stats.count), Self.days(stats.medianDays), Self.days(stats.p90Days)])
                }
                out += "\n" + table.render(bold: styled, width: width)
            case .rounds:
                guard let rounds = report.rounds else { continue }
                out += heading("ROUNDS: the last \(rounds.rounds.count) of \(rounds.total)")
                var table = Table([
                    ("ID", .right), ("AT", .fixed), ("ACTOR", .left), ("RULESET", .right), ("ASSIGNED", .right),
                    ("UNROUTED", .right), ("NO CAPACITY", .right), ("PER-ROUND", .right), ("MOVED", .right), ("SKIPPED", .right),
                    ("SPREAD", .right), ("STDDEV", .right), ("GIVEN", .left),
                ])
                for round in rounds.rounds {
                    let fairness = round.summary?.fairness
                    table.add([
                        String(round.id), clock.time(round.clock), round.actor, round.rulesetVersion.map(String.init) ?? "–",
                        String(round.assigned), String(round.unrouted), String(round.noCapacity),
                        round.summary?.perRoundLimited.map(String.init) ?? "–", round.summary?.moved.map(String.init) ?? "–",
                        String(round.skipped),
                        Self.decimal(fairness?.spread), Self.decimal(fairness?.stddev), Self.given(round.summary),
                    ])
                }
                if rounds.rounds.isEmpty { table.add(["", "(no rounds yet)"]) }
                out += "\n" + table.render(bold: styled, width: width)
                let perRule = Self.ruleRows(rounds)
                if !perRule.isEmpty {
                    var rules = Table(Self.ruleColumns.map { ($0.title, $0.numeric ? .right : .left) })
                    for row in perRule { rules.add(row) }
                    out += "\nFairness per rule (over each rule's reps that could take its leads):\n"
                    out += rules.render(bold: styled, width: width)
                }
            case .sla:
                guard let sla = report.sla else { continue }
                out += heading("SPEED TO LEAD: " + Self.slaSubtitle(sla))
                var table = Table(Self.slaColumns.map { ($0.title, $0.numeric ? .right : .left) })
                for row in Self.slaRows(sla) { table.add(row) }
                if sla.reps.isEmpty { table.add(["(no reps)"]) }
                out += "\n" + table.render(bold: styled, width: width)
            }
            parts.append(out)
        }
        return parts.joined(separator: "\n")
    }

    func hoardingNote(_ reps: RepsReport) -> String {
        var note = "TODAY: claimed today. TOUCH 7D: activities logged in 7 days. CONV, DISQ, REL, RECL: leads converted,"
        note += " disqualified, released, reclaimed (RECL 30D: in the last 30 days).\n"
        note += "Idle: held leads (open or qualified) idle \(reps.idleThresholdDays)+ days (no-activity-days − warn-days)"
        if reps.idleThresholdHasOverrides { note += "; * reclaim overrides set other thresholds for some leads" }
        note += ". Capacity: the rep's own, else the ruleset's default."
        note += " Hoarding: \(HoardingRule.minimumIdle)+ idle leads, at least \(Int(HoardingRule.idleShare * 100))% of those held."
        return note
    }

    static func decimal(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "–" }

    // MARK: - JSON

    var json: JSON {
        var fields: [(String, JSON)] = [("now", .of(report.now))]
        for section in sections {
            switch section {
            case .pool: if let pool = report.pool { fields.append(("pool", Self.json(pool))) }
            case .reps: if let reps = report.reps { fields.append(("reps", Self.json(reps))) }
            case .conversion: if let conversion = report.conversion { fields.append(("conversion", Self.json(conversion))) }
            case .aging: if let aging = report.aging { fields.append(("aging", Self.json(aging))) }
            case .rounds: if let rounds = report.rounds { fields.append(("rounds", Self.json(rounds))) }
            case .sla: if let sla = report.sla { fields.append(("sla", Self.json(sla))) }
            }
        }
        return .object(fields)
    }

    static func json(_ pool: PoolReport) -> JSON {
        func groups(_ key: String, _ list: [GroupCount]) -> JSON {
            .array(list.map { .object([(key, .of($0.group)), ("leads", .of($0.leads))]) })
        }
        return .object([
            ("leads", .of(pool.leads)), ("by_tier", groups("tier", pool.byTier)),
            ("by_segment", groups("segment", pool.bySegment)), ("by_source", groups("source", pool.bySource)),
            ("by_age", groups("age_days", pool.byAge)),
            (
                "by_pool",
                .array(
                    pool.byPool.map {
                        .object([
                            ("pool", .string($0.pool)), ("leads", .of($0.leads)), ("held", .of($0.held)),
                            ("claims_30d", .of($0.claimsRecently)), ("reclaims_30d", .of($0.reclaimsRecently)),
                        ])
                    }
                )
            ),
        ])
    }

    static func json(_ reps: RepsReport) -> JSON {
        .object([
            ("idle_threshold_days", .of(reps.idleThresholdDays)),
            ("idle_threshold_overrides", .bool(reps.idleThresholdHasOverrides)),
            ("recent_days", .of(RepActivity.recentDays)),
            (
                "hoarding_rule",
                .object([
                    ("minimum_idle", .of(HoardingRule.minimumIdle)), ("idle_share", .number(HoardingRule.idleShare)),
                ])
            ),
            ("by_rep", .array(reps.reps.map(json))),
        ])
    }

    static let repColumns = [
        "handle", "name", "active", "held", "capacity", "capacity_is_default", "load", "claimed_today", "touches_7d",
        "idle", "converted", "disqualified", "released", "reclaimed", "reclaimed_30d", "exits_30d", "hoarding",
    ]

    static func json(_ rep: RepActivity) -> JSON {
        .object(
            zip(
                repColumns,
                [
                    .string(rep.handle), .string(rep.name), .bool(rep.active), .of(rep.held), .of(rep.capacity),
                    .bool(rep.capacityIsDefault), .of(rep.load), .of(rep.claimedToday), .of(rep.touches7d), .of(rep.idle),
                    .of(rep.converted), .of(rep.disqualified), .of(rep.released), .of(rep.reclaimed), .of(rep.reclaimedRecently),
                    .of(rep.exitsRecently), .bool(rep.hoarding),
                ] as [JSON]
            ).map { ($0, $1) }
        )
    }

    static func json(_ rate: ConversionRate, key: String?) -> JSON {
        var fields: [(String, JSON)] = key.map { [($0, .of(rate.group))] } ?? []
        fields += [("converted", .of(rate.converted)), ("closed", .of(rate.closed)), ("rate", .of(rate.rate))]
        return .object(fields)
    }

    static func json(_ conversion: ConversionReport) -> JSON {
        .object([
            ("overall", json(conversion.overall, key: nil)),
            ("by_source", .array(conversion.bySource.map { json($0, key: "source") })),
            ("by_segment", .array(conversion.bySegment.map { json($0, key: "segment") })),
            ("by_tier", .array(conversion.byTier.map { json($0, key: "tier") })),
            ("by_rep", .array(conversion.byRep.map { json($0, key: "handle") })),
            ("by_disqualify_reason", .array(conversion.byDisqualifyReason.map { .object([("reason", .of($0.group)), ("leads", .of($0.leads))]) })),
            ("by_release_reason", .array(conversion.byReleaseReason.map { .object([("reason", .of($0.group)), ("leads", .of($0.leads))]) })),
        ])
    }

    static func json(_ aging: AgingReport) -> JSON {
        .object(
            agingSteps.map { step in
                let stats = step.stats(aging)
                return (
                    step.key,
                    .object([
                        ("count", .of(stats.count)), ("median_days", .of(stats.medianDays)), ("p90_days", .of(stats.p90Days)),
                    ])
                )
            }
        )
    }

    static func json(_ rounds: RoundsReport) -> JSON {
        .object([("total", .of(rounds.total)), ("recent", .array(rounds.rounds.map(\.json)))])
    }

    static let slaKeys = ["handle", "received", "in_time", "missed", "touched", "in_time_share", "median_hours", "escalated"]

    static func json(_ sla: SLAReport) -> JSON {
        .object([
            ("within", .of(sla.within?.description)),
            (
                "by_rep",
                .array(
                    sla.reps.map { row in
                        .object(
                            zip(
                                slaKeys,
                                [
                                    .string(row.handle), .of(row.received), .of(row.inTime), .of(row.missed), .of(row.touched),
                                    .of(row.inTimeShare), .of(row.medianHours), .of(row.escalated),
                                ] as [JSON]
                            ).map { ($0, $1) }
                        )
                    }
                )
            ),
        ])
    }

    // MARK: - Speed to lead

    static func slaSubtitle(_ sla: SLAReport) -> String {
        sla.within.map { "first touch within \($0) of each rep's working hours" }
            ?? "no first-touch deadline in the rules file: times to first touch only"
    }

    static let slaColumns: [(title: String, numeric: Bool)] = [
        ("REP", false), ("RECEIVED", true), ("IN TIME", true), ("SHARE", true), ("MISSED", true), ("ESCALATED", true),
        ("TOUCHED", true), ("MEDIAN FIRST TOUCH (WORKING H)", true),
    ]

    static func slaRows(_ sla: SLAReport) -> [[String]] {
        sla.reps.map { row in
            [
                row.handle, String(row.received), sla.within == nil ? "–" : String(row.inTime),
                sla.within == nil ? "–" : percent(row.inTime, of: row.inTime + row.missed),
                sla.within == nil ? "–" : String(row.missed), String(row.escalated), String(row.touched),
                row.medianHours.map { String(format: "%.1f", $0) } ?? "–",
            ]
        }
    }

    // MARK: - CSV

    /// One section as CSV: a header, then one row per group (per rep, step or round).
    func csv(_ section: ReportSection) -> String {
        var out = ""
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "" }
        switch section {
        case .pool:
            out += CSVText.line(["dimension", "group", "leads"])
            if let pool = report.pool {
                for (dimension, groups) in [
                    ("tier", pool.byTier), ("segment", pool.bySegment), ("source", pool.bySource), ("age_days", pool.byAge),
                    ("pool", pool.byPoolLeads),
                ] {
                    for group in groups { out += CSVText.line([dimension, group.group ?? "", String(group.leads)]) }
                }
            }
        case .reps:
            out += CSVText.line(Self.repColumns)
            for rep in report.reps?.reps ?? [] {
                out += CSVText.line([
                    rep.handle, rep.name, String(rep.active), String(rep.held), String(rep.capacity),
                    String(rep.capacityIsDefault), number(rep.load), String(rep.claimedToday), String(rep.touches7d),
                    String(rep.idle), String(rep.converted), String(rep.disqualified), String(rep.released),
                    String(rep.reclaimed), String(rep.reclaimedRecently), String(rep.exitsRecently), String(rep.hoarding),
                ])
            }
        case .conversion:
            // Rates fill converted, closed and rate; counts per reason (disqualify_reason,
            // release_reason) fill leads, as the pool's CSV counts them.
            out += CSVText.line(["dimension", "group", "converted", "closed", "rate", "leads"])
            if let conversion = report.conversion {
                let dimensions = [
                    ("overall", [conversion.overall]), ("source", conversion.bySource), ("segment", conversion.bySegment),
                    ("tier", conversion.byTier), ("rep", conversion.byRep),
                ]
                for (dimension, rates) in dimensions {
                    for rate in rates {
                        out += CSVText.line([dimension, rate.group ?? "", String(rate.converted), String(rate.closed), number(rate.rate), ""])
                    }
                }
                for (dimension, counts) in [("disqualify_reason", conversion.byDisqualifyReason), ("release_reason", conversion.byReleaseReason)] {
                    for count in counts { out += CSVText.line([dimension, count.group ?? "", "", "", "", String(count.leads)]) }
                }
            }
        case .aging:
            out += CSVText.line(["step", "count", "median_days", "p90_days"])
            if let aging = report.aging {
                for step in Self.agingSteps {
                    let stats = step.stats(aging)
                    out += CSVText.line([step.key, String(stats.count), number(stats.medianDays), number(stats.p90Days)])
                }
            }
        case .sla:
            out += CSVText.line(Self.slaKeys)
            for row in report.sla?.reps ?? [] {
                out += CSVText.line([
                    row.handle, String(row.received), String(row.inTime), String(row.missed), String(row.touched),
                    number(row.inTimeShare), number(row.medianHours), String(row.escalated),
                ])
            }
        case .rounds:
            // One row per round (rule empty), then one per rule that matched leads in it, with
            // that rule's counts and fairness.
            out += CSVText.line([
                "id", "now", "actor", "ruleset_version", "status", "considered", "assigned", "unrouted", "no_capacity",
                "skipped", "spread", "stddev", "given", "rule", "matched", "per_round_limited", "reps", "moved",
            ])
            func count(_ value: Int?) -> String { value.map(String.init) ?? "" }
            for round in report.rounds?.rounds ?? [] {
                let head = [
                    String(round.id), Timestamp.string(round.clock), round.actor, round.rulesetVersion.map(String.init) ?? "",
                    round.status.rawValue,
                ]
                out += CSVText.line(
                    head + [
                        String(round.considered), String(round.assigned), String(round.unrouted),
                        String(round.noCapacity), String(round.skipped), number(round.summary?.fairness?.spread),
                        number(round.summary?.fairness?.stddev),
                        round.summary?.reps.map { "\($0.handle):\($0.given)" }.joined(separator: ";") ?? "",
                        "", "", count(round.summary?.perRoundLimited), count(round.summary?.fairness?.reps),
                        count(round.summary?.moved),
                    ]
                )
                for rule in round.summary?.rules ?? [] where (rule.matched ?? 0) > 0 {
                    out += CSVText.line(
                        head + [
                            "", count(rule.assigned), "", count(rule.noCapacity), "", number(rule.fairness?.spread),
                            number(rule.fairness?.stddev), "", rule.rule, count(rule.matched), count(rule.perRoundLimited),
                            count(rule.fairness?.reps), count(rule.moved),
                        ]
                    )
                }
            }
        }
        return out
    }
}
