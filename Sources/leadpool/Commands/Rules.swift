import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadPool {
    struct RulesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Check, apply and show the rules file (ICP, tiers, segments, routing, reclaim).",
            subcommands: [Check.self, Apply.self, Show.self, Example.self])
    }
}

/// A rules file read from disk: its text and the name messages use.
struct RulesFile {
    /// The path as given, so `rules.yaml:12:7` points where the user looks.
    let path: String
    let source: String

    /// The name stored with the version: the file's last path component.
    var storedName: String { URL(fileURLWithPath: path).lastPathComponent }

    init(path: String) throws {
        // Read no more than the limit allows, whatever the file claims to be (a device, a FIFO).
        guard let handle = FileHandle(forReadingAtPath: path),
            let data = try? handle.read(upToCount: Ruleset.maximumFileSize + 1) ?? Data()
        else {
            throw LeadPoolError.notFound("cannot read the rules file \(path)", hint: "check the path; `leadpool rules example > rules.yaml` gives one to start from")
        }
        try? handle.close()
        guard data.count <= Ruleset.maximumFileSize else {
            throw LeadPoolError.badInput(
                "\(path):1:1: the rules file is larger than \(Ruleset.maximumFileSize / 1024) KiB",
                hint: "a rules file holds settings and conditions; put long lists of leads in tags or segments")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw LeadPoolError.badInput("\(path):1:1: the rules file is not UTF-8 text")
        }
        self.path = path
        self.source = source
    }

    /// Parses and validates, and works out the warnings against the reps in the database.
    func check(in session: Session) throws -> (Ruleset, [RulesetIssue], [Rep]) {
        let ruleset = try Ruleset.parse(source, fileName: path)
        let reps = try session.store.repStandings().map(\.rep)
        // The attribute names leads have, read only when the file reads any (a pass over every lead).
        let attributes = ruleset.attributesRead.isEmpty
            ? nil : Set(try session.store.attributeNames(LeadQuery(), now: session.now))
        let warnings = ruleset.warnings(teams: Set(reps.compactMap(\.team)), handles: Set(reps.map(\.handle)), attributes: attributes)
        return (ruleset, warnings, reps)
    }
}

extension LeadPool.RulesCommand {
    struct Check: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a rules file and summarize it; nothing changes.",
            discussion: "Every error is listed with file:line:column (exit 65). Targets naming no known team or rep are warnings.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rules file (YAML).")
        var file: String

        func run(in session: Session) throws {
            let file = try RulesFile(path: file)
            let (ruleset, warnings, reps) = try file.check(in: session)
            // A rep could write any segment or ICP criterion into a file to check and read its
            // count: counts over the live leads would reveal contact fields one guess at a time.
            // Admins see them all, with the scores and tiers the file would give.
            let preview = session.actor.role == .admin ? try session.store.preview(ruleset, now: session.now) : nil
            let summary = RulesetSummary(ruleset: ruleset, reps: reps, preview: preview)
            if session.output.json {
                session.output.print(JSON.object(
                    [("file", .string(file.path)), ("valid", .bool(true))] + summary.jsonFields
                        + [("warnings", .array(warnings.map(\.json)))]))
                return
            }
            session.output.print("\(file.path) is valid.")
            summary.print(to: session.output)
            for warning in warnings { session.output.note("warning: \(warning)") }
            if preview == nil { session.output.note("Live tier and segment counts are for admins; `leadpool segment list` counts the segments in force.") }
        }
    }

    struct Apply: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Store a rules file as the next ruleset version and re-score every lead.",
            discussion: "Validation as `rules check`; a file with errors changes nothing (exit 65).")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rules file (YAML).")
        var file: String

        func run(in session: Session) throws {
            let file = try RulesFile(path: file)
            let (ruleset, warnings, _) = try file.check(in: session)
            for warning in warnings where !session.output.json { session.output.note("warning: \(warning)") }
            let progress = Progress("re-scoring", total: 1000)
            let applied = try session.store.applyRuleset(
                ruleset, source: file.source, fileName: file.storedName, actor: session.actor.handle, at: session.now,
                progress: { progress.update(Int($0 * 1000)) })
            progress.finish()
            let tiers = TierDistribution(ruleset: ruleset, counts: try session.store.tierCounts(LeadQuery(), expected: ruleset.tiers.map(\.name), now: session.now))
            if session.output.json {
                session.output.print(JSON.object([
                    ("version", .int(applied.version)), ("changed", .bool(applied.isNew)), ("file", .string(file.storedName)),
                    ("applied_at", .of(session.now)), ("actor", .string(session.actor.handle)),
                    ("leads", .of(tiers.total)), ("tiers", tiers.json), ("warnings", .array(warnings.map(\.json))),
                ]))
                return
            }
            guard applied.isNew else {
                session.output.print("\(file.path) is identical to ruleset version \(applied.version), which stays in force; nothing changed.")
                return
            }
            session.output.print("Applied \(file.path) as ruleset version \(applied.version); re-scored \(tiers.total) lead(s).\n")
            session.output.print(tiers.table)
        }
    }

    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print the rules file in force (or an earlier version) as applied.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Option(help: "This version instead of the current one.")
        var version: Int64?

        func run(in session: Session) throws {
            let stored: StoredRuleset
            if let version {
                guard let found = try session.store.ruleset(version: version) else {
                    let current = try session.store.currentRuleset()?.version
                    throw LeadPoolError.notFound(
                        "no ruleset version \(version)",
                        hint: current.map { "versions run from 1 to \($0)" } ?? "no ruleset has been applied yet")
                }
                stored = found
            } else {
                stored = try StoredRuleset.requireCurrent(session.store)
            }
            if session.output.json {
                session.output.print(JSON.object([
                    ("version", .int(stored.version)), ("file", .of(stored.fileName)),
                    ("applied_at", .of(stored.appliedAt)), ("actor", .string(stored.appliedBy)),
                    ("source", .string(stored.source)),
                ]))
                return
            }
            session.output.note(
                "# ruleset version \(stored.version) from \(stored.fileName ?? "-"), applied \(Timestamp.string(stored.appliedAt)) by \(stored.appliedBy)")
            session.output.print(stored.source)
        }
    }
}

extension StoredRuleset {
    /// The ruleset in force; `notFound` (exit 66) before the first `rules apply`.
    static func requireCurrent(_ store: Store) throws -> StoredRuleset {
        guard let stored = try store.currentRuleset() else {
            throw LeadPoolError.notFound(
                "no ruleset has been applied yet",
                hint: "an admin applies one with `leadpool rules apply rules.yaml` (`leadpool rules example` prints one to start from)")
        }
        return stored
    }
}

// MARK: - Output

extension RulesetIssue {
    var json: JSON {
        .object([
            ("file", .string(location.file)), ("line", .of(location.line)), ("column", .of(location.column)),
            ("message", .string(message)), ("hint", .of(hint)),
        ])
    }
}

/// Leads per tier in the ruleset's band order (never-scored leads last).
struct TierDistribution {
    let rows: [(tier: String?, count: Int)]

    init(ruleset: Ruleset, counts: [TierCount]) {
        var rows = ruleset.tiers.map { band in (tier: Optional(band.name), count: counts.first { $0.tier == band.name }?.count ?? 0) }
        for extra in counts where !ruleset.tiers.contains(where: { $0.name == extra.tier }) {
            rows.append((extra.tier, extra.count))
        }
        self.rows = rows
    }

    var total: Int { rows.reduce(0) { $0 + $1.count } }

    var table: Table {
        var table = Table([("TIER", .left), ("LEADS", .right), ("SHARE", .right)])
        for (index, row) in rows.enumerated() { table.add([row.tier ?? "(none)", String(row.count), share(of: index)]) }
        return table
    }

    /// The row's share of all leads, as `12.5%`.
    func share(of index: Int) -> String {
        String(format: "%.1f%%", total == 0 ? 0 : Double(rows[index].count) * 100 / Double(total))
    }

    var json: JSON {
        .array(rows.map { .object([("tier", .of($0.tier)), ("leads", .of($0.count))]) })
    }
}

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
        output.print("\nDefaults: capacity \(d.capacity), daily limit \(d.dailyLimit)\n")

        let distribution = preview.map { TierDistribution(ruleset: ruleset, counts: $0.tiers) }
        var tiers = Table(
            [("TIER", .left), ("SCORES", .left)] + (distribution == nil ? [] : [("LEADS", .right), ("SHARE", .right)]))
        var upper = 100
        for (index, band) in ruleset.tiers.enumerated() {
            let counts = distribution.map { [String($0.rows[index].count), $0.share(of: index)] } ?? []
            tiers.add([band.name + (band.isImplicitFloor ? " (floor)" : ""), "\(band.minimum)–\(upper)"] + counts)
            upper = band.minimum - 1
        }
        output.print(tiers); output.print("")
        if !ruleset.hidden.isEmpty {
            output.print("Hidden from reps like contact fields: \(ruleset.hidden.map(\.description).joined(separator: ", "))\n")
        }

        var icp = Table([("CRITERION", .left), ("POINTS", .right), ("WHEN", .left)])
        for criterion in ruleset.icp { icp.add([criterion.name, Self.signed(criterion.points), criterion.text]) }
        if ruleset.icp.isEmpty { output.print("ICP: no criteria (every score is 0)\n") } else { output.print(icp); output.print("") }

        if ruleset.segments.isEmpty {
            output.print("Segments: none\n")
        } else {
            var segments = Table(
                segmentCounts == nil
                    ? [("SEGMENT", .left), ("CONDITION", .left)]
                    : [("SEGMENT", .left), ("LEADS", .right), ("IN POOL", .right), ("CONDITION", .left)])
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

        if ruleset.rules.isEmpty {
            output.print("Rules: none (assignment rounds route nothing)\n")
        } else {
            var rules = Table([("RULE", .left), ("TO", .left), ("REPS", .right), ("STRATEGY", .left), ("TERRITORY", .left), ("WHEN", .left)])
            for rule in ruleset.rules {
                rules.add([
                    rule.name, rule.targets.map(\.description).joined(separator: ", "), String(rule.handles(among: reps).count),
                    rule.strategy.rawValue, rule.territory ? "yes" : "no", rule.text,
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
        output.print(reclaim.joined(separator: "\n"))
    }

    var jsonFields: [(String, JSON)] {
        let r = ruleset.reclaim
        return [
            ("defaults", .object([("capacity", .of(ruleset.defaults.capacity)), ("daily_limit", .of(ruleset.defaults.dailyLimit))])),
            ("tiers", .array(ruleset.tiers.enumerated().map { index, band -> JSON in
                let head: [(String, JSON)] = [
                    ("tier", .string(band.name)), ("min_score", .of(band.minimum)), ("implicit", .bool(band.isImplicitFloor)),
                ]
                let count = preview.map { $0.tiers[index].count }
                return .object(head + (count.map { [("leads", .of($0)), ("hidden", .array([]))] } ?? [("hidden", .of(["leads"]))]))
            })),
            ("icp", .array(ruleset.icp.map {
                .object([("name", .string($0.name)), ("points", .of($0.points)), ("when", .string($0.text))])
            })),
            ("segments", .array(ruleset.segments.enumerated().map { index, segment -> JSON in
                let head: [(String, JSON)] = [("name", .string(segment.name)), ("condition", .string(segment.text))]
                let count: MatchCount? = segmentCounts?[index]
                return .object(head + count.countFields)
            })),
            ("hidden_fields", .of(ruleset.hidden.map(\.description))),
            ("rules", .array(ruleset.rules.map { rule in
                .object([
                    ("name", .string(rule.name)), ("when", .string(rule.text)),
                    ("to", .of(rule.targets.map(\.description))), ("reps", .of(rule.handles(among: reps))),
                    ("strategy", .string(rule.strategy.rawValue)), ("territory", .bool(rule.territory)),
                ])
            })),
            ("reclaim", .object([
                ("no_activity_days", .of(r.noActivityDays)), ("max_hold_days", .of(r.maxHoldDays)),
                ("cooldown_days", .of(r.cooldownDays)), ("warn_days", .of(r.warnDays)), ("exempt", .of(r.exemptText)),
                ("overrides", .array(r.overrides.map {
                    .object([("when", .string($0.text)), ("no_activity_days", .of($0.noActivityDays)), ("max_hold_days", .of($0.maxHoldDays))])
                })),
            ])),
        ]
    }

    static func signed(_ points: Int) -> String { points > 0 ? "+\(points)" : String(points) }
}
