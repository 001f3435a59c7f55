import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// What `rules check` prints: every section, with the leads per tier and segment under the file's
/// own scores (for admins) and resolved targets.
struct RulesetSummary {
    let ruleset: Ruleset
    let reps: [Rep]
    /// Nil when the viewer gets no counts.
    let preview: RulesetPreview?

    /// One per segment; nil when the viewer gets no counts.
    var segmentCounts: [MatchCount]? { preview?.segments }

    func print(to output: Output) {
        let d = ruleset.defaults
        output.print("\nDefaults: capacity \(d.capacity), daily limit \(d.dailyLimit)")
        output.print("Time zone: \(ruleset.clock.name); working hours: \(ruleset.workingHours?.description ?? "not set (always)")\n")

        let distribution = preview.map { TierDistribution(ruleset: ruleset, counts: $0.tiers) }
        var tiers = Table(
            [("TIER", .left), ("SCORES", .left)] + (distribution == nil ? [] : [("LEADS", .right), ("SHARE", .right)])
        )
        var upper = 100
        for (index, band) in ruleset.tiers.enumerated() {
            let counts = distribution.map { [String($0.rows[index].count), $0.share(of: index)] } ?? []
            tiers.add([band.name + (band.isImplicitFloor ? " (floor)" : ""), "\(band.minimum)–\(upper)"] + counts)
            upper = band.minimum - 1
        }
        output.print(tiers)
        output.print("")
        if !ruleset.hidden.isEmpty {
            output.print("Hidden from reps like contact fields: \(ruleset.hidden.map(\.description).joined(separator: ", "))\n")
        }

        var icp = Table([("CRITERION", .left), ("POINTS", .right), ("WHEN", .left)])
        for criterion in ruleset.icp { icp.add([criterion.name, Self.signed(criterion.points), criterion.text]) }
        if ruleset.icp.isEmpty {
            output.print("ICP: no criteria (every score is 0)\n")
        } else {
            output.print(icp)
            output.print("")
        }

        if ruleset.segments.isEmpty {
            output.print("Segments: none\n")
        } else {
            var segments = Table(
                segmentCounts == nil
                    ? [("SEGMENT", .left), ("CONDITION", .left)]
                    : [("SEGMENT", .left), ("LEADS", .right), ("IN POOL", .right), ("CONDITION", .left)]
            )
            for (index, segment) in ruleset.segments.enumerated() {
                if let count = segmentCounts?[index] {
                    segments.add([segment.name, String(count.leads), String(count.pooled), segment.text])
                } else {
                    segments.add([segment.name, segment.text])
                }
            }
            output.print(segments)
            output.print("")
        }

        if !ruleset.pools.isEmpty {
            var pools = Table([
                ("POOL", .left), ("MEMBERS", .left), ("ADMINS", .left), ("CLAIM LIMITS", .left), ("WAIT", .left), ("RECLAIM", .left),
                ("HIDDEN", .left),
            ])
            for name in ruleset.poolNames {
                guard let pool = ruleset.pool(named: name) else { continue }
                let limits = [pool.dailyLimit.map { "\($0)/day" }, pool.capacity.map { "\($0) held" }].compactMap { $0 }
                let reclaim = [
                    pool.reclaim.noActivityDays.map { "\($0) idle days" }, pool.reclaim.maxHoldDays.map { "\($0) held days" },
                    pool.reclaim.to.map { "to \($0)" },
                ].compactMap { $0 }
                pools.add([
                    name, pool.members.isEmpty ? "everyone" : pool.members.map(\.description).joined(separator: ", "),
                    pool.admins.isEmpty ? "-" : pool.admins.joined(separator: ", "), limits.isEmpty ? "-" : limits.joined(separator: ", "),
                    pool.claimableAfter.map(Ruleset.durationText) ?? "-", reclaim.isEmpty ? "-" : reclaim.joined(separator: ", "),
                    pool.hidden.isEmpty ? "-" : pool.hidden.map(\.description).joined(separator: ", "),
                ])
            }
            output.print(pools)
            output.print("")
        }

        if ruleset.rules.isEmpty {
            output.print("Rules: none (assignment rounds route nothing)\n")
        } else {
            var rules = Table([
                ("RULE", .left), ("TO", .left), ("REPS", .right), ("STRATEGY", .left), ("TERRITORY", .left), ("PACING", .left),
                ("WHEN", .left),
            ])
            for rule in ruleset.rules {
                let pacing = [rule.perRound.map { "\($0)/rep/round" }, rule.workingOnly ? "working hours" : nil].compactMap { $0 }
                rules.add([
                    rule.name, Self.targets(of: rule).joined(separator: ", ") + (rule.pool.map { " (from pool \($0))" } ?? ""),
                    String(rule.handles(among: reps).count),
                    rule.strategy.rawValue, rule.territory ? "yes" : "no", pacing.isEmpty ? "-" : pacing.joined(separator: ", "),
                    rule.text,
                ])
            }
            output.print(rules)
            output.print("")
        }

        let r = ruleset.reclaim
        var reclaim = [
            "Reclaim: after \(r.noActivityDays) idle days or \(r.maxHoldDays) held days; cooldown \(r.cooldownDays) days; warn \(r.warnDays) days ahead",
            "  exempt: \(r.exemptText ?? "nothing")",
        ]
        for o in r.overrides {
            let days = [o.noActivityDays.map { "\($0) idle days" }, o.maxHoldDays.map { "\($0) held days" }].compactMap { $0 }
            reclaim.append("  override: \(o.text) → \(days.joined(separator: ", "))")
        }
        if let f = ruleset.firstTouch {
            reclaim.append(
                "First touch: within \(f.within) of the owner's working hours"
                    + (f.warnBefore.seconds > 0 ? ", announced \(f.warnBefore) before" : "") + "; then \(f.then.rawValue)"
            )
            reclaim.append("  when: \(f.whenText ?? "every lead given to a rep")")
        } else {
            reclaim.append("First touch: no deadline")
        }
        reclaim.append("Notify: from \(ruleset.notify.from ?? "leadpool@ this host") through \(ruleset.notify.sendmail)")
        output.print(reclaim.joined(separator: "\n"))
    }

    var jsonFields: [(String, JSON)] {
        let r = ruleset.reclaim
        return [
            ("defaults", .object([("capacity", .of(ruleset.defaults.capacity)), ("daily_limit", .of(ruleset.defaults.dailyLimit))])),
            ("timezone", .string(ruleset.clock.name)), ("working_hours", .of(ruleset.workingHours?.description)),
            (
                "tiers",
                .array(
                    ruleset.tiers.enumerated().map { index, band -> JSON in
                        let head: [(String, JSON)] = [
                            ("tier", .string(band.name)), ("min_score", .of(band.minimum)), ("implicit", .bool(band.isImplicitFloor)),
                        ]
                        let count = preview.map { $0.tiers[index].count }
                        return .object(head + (count.map { [("leads", .of($0)), ("hidden", .array([]))] } ?? [("hidden", .of(["leads"]))]))
                    }
                )
            ),
            (
                "icp",
                .array(
                    ruleset.icp.map {
                        .object([("name", .string($0.name)), ("points", .of($0.points)), ("when", .string($0.text))])
                    }
                )
            ),
            (
                "segments",
                .array(
                    ruleset.segments.enumerated().map { index, segment -> JSON in
                        let head: [(String, JSON)] = [("name", .string(segment.name)), ("condition", .string(segment.text))]
                        let count: MatchCount? = segmentCounts?[index]
                        return .object(head + count.countFields)
                    }
                )
            ),
            ("hidden_fields", .of(ruleset.hidden.map(\.description))),
            (
                "pools",
                .array(
                    ruleset.pools.map { pool in
                        .object([
                            ("name", .string(pool.name)), ("members", .of(pool.members.map(\.description))), ("admins", .of(pool.admins)),
                            ("daily_limit", .of(pool.dailyLimit)), ("capacity", .of(pool.capacity)),
                            ("claimable_after", .of(pool.claimableAfter.map(Ruleset.durationText))),
                            ("no_activity_days", .of(pool.reclaim.noActivityDays)), ("max_hold_days", .of(pool.reclaim.maxHoldDays)),
                            ("reclaim_to", .of(pool.reclaim.to)), ("hidden", .of(pool.hidden.map(\.description))),
                        ])
                    }
                )
            ),
            (
                "rules",
                .array(
                    ruleset.rules.map { rule in
                        .object([
                            ("name", .string(rule.name)), ("when", .string(rule.text)),
                            ("to", .of(Self.targets(of: rule))), ("pool", .of(rule.pool)), ("reps", .of(rule.handles(among: reps))),
                            ("strategy", .string(rule.strategy.rawValue)), ("territory", .bool(rule.territory)),
                            ("per_round", .of(rule.perRound)), ("working_only", .bool(rule.workingOnly)),
                        ])
                    }
                )
            ),
            (
                "reclaim",
                .object([
                    ("no_activity_days", .of(r.noActivityDays)), ("max_hold_days", .of(r.maxHoldDays)),
                    ("cooldown_days", .of(r.cooldownDays)), ("warn_days", .of(r.warnDays)), ("exempt", .of(r.exemptText)),
                    (
                        "overrides",
                        .array(
                            r.overrides.map {
                                .object([
                                    ("when", .string($0.text)), ("no_activity_days", .of($0.noActivityDays)), ("max_hold_days", .of($0.maxHoldDays)),
                                ])
                            }
                        )
                    ),
                ])
            ),
            (
                "first_touch",
                ruleset.firstTouch.map { f in
                    .object([
                        ("within", .string(f.within.description)), ("warn_before", .string(f.warnBefore.description)),
                        ("when", .of(f.whenText)), ("then", .string(f.then.rawValue)),
                    ])
                } ?? .null
            ),
            ("notify", .object([("from", .of(ruleset.notify.from)), ("sendmail", .string(ruleset.notify.sendmail))])),
        ]
    }

    /// A rule's `to:` as written: `team:emea`, `rep:alice`, or `pool:recycle`.
    static func targets(of rule: Ruleset.Rule) -> [String] {
        rule.toPool.map { ["pool:" + $0] } ?? rule.targets.map(\.description)
    }

    static func signed(_ points: Int) -> String { points > 0 ? "+\(points)" : String(points) }
}
