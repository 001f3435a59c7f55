import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadPool {
    struct Explain: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Why a lead has its score and tier, its segments, and where a round would route it.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        func run(in session: Session) throws {
            let lead = try session.store.lead(id)
            let stored = try StoredRuleset.requireCurrent(session.store)
            let ruleset = stored.ruleset
            let scorer = LeadScorer(ruleset: ruleset, now: session.now)
            let breakdown = scorer.breakdown(lead)
            let segments = ruleset.segments.filter { $0.condition.matches(lead, in: scorer.context) }.map(\.name)
            let stale = breakdown.score != lead.score || breakdown.tier != lead.tier
            let routing = RoutingExplanation(
                lead: lead, ruleset: ruleset, standings: try session.store.repStandings(), now: session.now)

            if session.output.json {
                session.output.print(JSON.object([
                    ("id", .int(lead.id)), ("company", .string(lead.company)), ("ruleset_version", .int(stored.version)),
                    ("score", .of(breakdown.score)), ("tier", .string(breakdown.tier)), ("points_sum", .of(breakdown.sum)),
                    ("stored_score", .of(lead.score)), ("stored_tier", .of(lead.tier)),
                    ("criteria", .array(breakdown.lines.map { line in
                        .object([
                            ("name", .string(line.criterion.name)), ("when", .string(line.criterion.text)),
                            ("points", .of(line.criterion.points)), ("met", .bool(line.met)), ("earned", .of(line.earned)),
                        ])
                    })),
                    ("segments", .of(segments)),
                    ("routing", routing.json),
                ]))
                return
            }
            session.output.print("Lead \(lead.id) \(lead.company): score \(breakdown.score), tier \(breakdown.tier) (ruleset version \(stored.version))\n")
            if ruleset.icp.isEmpty {
                session.output.print("The ruleset has no ICP criteria: every score is 0.")
            } else {
                var table = Table([("CRITERION", .left), ("MET", .left), ("POINTS", .right), ("EARNED", .right), ("WHEN", .left)])
                for line in breakdown.lines {
                    table.add([
                        line.criterion.name, line.met ? "yes" : "no", RulesetSummary.signed(line.criterion.points),
                        String(line.earned), line.criterion.text,
                    ])
                }
                table.add(["total", "", "", String(breakdown.sum), breakdown.sum == breakdown.score ? "" : "clamped to \(breakdown.score)"])
                session.output.print(table)
            }
            if let index = ruleset.tiers.firstIndex(where: { $0.name == breakdown.tier }) {
                let band = ruleset.tiers[index]
                let top = index == 0 ? 100 : ruleset.tiers[index - 1].minimum - 1
                session.output.print("Tier \(band.name): scores \(band.minimum)–\(top)\(band.isImplicitFloor ? " (below the last band)" : "").")
            }
            session.output.print("Segments: " + (segments.isEmpty ? "none" : segments.joined(separator: ", ")))
            session.output.print(routing.text)
            if stale {
                session.output.note(
                    "note: the stored score is \(lead.score) (tier \(lead.tier ?? "none")); the lead or the clock changed since it was scored. `leadpool rules apply` re-scores.")
            }
        }
    }
}
