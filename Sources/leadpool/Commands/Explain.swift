import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Explain: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Why a lead has its score and tier, its segments, and where a round would route it."
        )
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
            // Whether a condition holds on a lead tells what the fields it reads hold: on a lead
            // the rep does not own, outcomes of conditions on contact fields are not shown.
            let visibility = ruleset.visibility
            func hides(_ condition: Condition) -> Bool {
                visibility.firstHiddenRead(in: condition, segments: ruleset.segmentConditions, viewer: session.actor, on: lead) != nil
            }
            let hiddenSegments = ruleset.segments.filter { hides($0.condition) }.map(\.name)
            let segments = ruleset.segments
                .filter { !hiddenSegments.contains($0.name) && $0.condition.matches(lead, in: scorer.context) }.map(\.name)
            let hiddenCriteria = Set(breakdown.lines.filter { hides($0.criterion.when) }.map(\.criterion.name))
            let stale = breakdown.score != lead.score || breakdown.tier != lead.tier
            let routing = RoutingExplanation(
                lead: lead,
                ruleset: ruleset,
                standings: try session.store.repStandings(),
                now: session.now,
                viewer: session.actor
            )

            // The lead's pool, and whether the viewer may claim from it.
            let pool = ruleset.pool(named: lead.pool)
            let poolDenial =
                pool.map { $0.denial(to: session.actor) }
                ?? (session.actor.role == .admin ? nil : "pool \(lead.pool) is not in the rules file; only admins may take its leads")

            if session.output.json {
                var criteria: [JSON] = []
                for line in breakdown.lines {
                    var fields: [(String, JSON)] = [
                        ("name", .string(line.criterion.name)), ("when", .string(line.criterion.text)),
                        ("points", .of(line.criterion.points)),
                    ]
                    if hiddenCriteria.contains(line.criterion.name) {
                        fields.append(("hidden", .of(["met", "earned"])))
                    } else {
                        fields += [("met", .bool(line.met)), ("earned", .of(line.earned)), ("hidden", .array([]))]
                    }
                    criteria.append(.object(fields))
                }
                var fields: [(String, JSON)] = [
                    ("id", .int(lead.id)), ("company", .string(lead.company)), ("ruleset_version", .int(stored.version)),
                    ("score", .of(breakdown.score)), ("tier", .string(breakdown.tier)),
                ]
                if hiddenCriteria.isEmpty { fields.append(("points_sum", .of(breakdown.sum))) }
                fields += [
                    ("stored_score", .of(lead.score)), ("stored_tier", .of(lead.tier)), ("criteria", .array(criteria)),
                    ("segments", .of(segments)),
                    ("pool", .object([("name", .string(lead.pool)), ("member", .bool(poolDenial == nil)), ("why_not", .of(poolDenial))])),
                    ("routing", routing.json),
                ]
                let hidden: [String] = (hiddenCriteria.isEmpty ? [] : ["points_sum"]) + hiddenSegments.map { "segments." + $0 }
                fields.append(("hidden", .of(hidden)))
                session.output.print(JSON.object(fields))
                return
            }
            session.output.print(
                "Lead \(lead.id) \(lead.company): score \(breakdown.score), tier \(breakdown.tier) (ruleset version \(stored.version))\n"
            )
            if ruleset.icp.isEmpty {
                session.output.print("The ruleset has no ICP criteria: every score is 0.")
            } else {
                var table = Table([("CRITERION", .left), ("MET", .left), ("POINTS", .right), ("EARNED", .right), ("WHEN", .left)])
                for line in breakdown.lines {
                    let hidden = hiddenCriteria.contains(line.criterion.name)
                    table.add([
                        line.criterion.name, hidden ? "hidden" : line.met ? "yes" : "no", RulesetSummary.signed(line.criterion.points),
                        hidden ? "hidden" : String(line.earned), line.criterion.text,
                    ])
                }
                if hiddenCriteria.isEmpty {
                    table.add(["total", "", "", String(breakdown.sum), breakdown.sum == breakdown.score ? "" : "clamped to \(breakdown.score)"])
                } else {
                    table.add(["score", "", "", String(breakdown.score), ""])
                }
                session.output.print(table)
                if !hiddenCriteria.isEmpty {
                    session.output.print("Criteria marked hidden read contact fields, hidden until you own the lead.")
                }
            }
            if let index = ruleset.tiers.firstIndex(where: { $0.name == breakdown.tier }) {
                let band = ruleset.tiers[index]
                let top = index == 0 ? 100 : ruleset.tiers[index - 1].minimum - 1
                session.output.print("Tier \(band.name): scores \(band.minimum)–\(top)\(band.isImplicitFloor ? " (below the last band)" : "").")
            }
            session.output.print(
                "Segments: " + (segments.isEmpty ? "none" : segments.joined(separator: ", "))
                    + (hiddenSegments.isEmpty
                        ? ""
                        : " (not shown whether it is in \(hiddenSegments.joined(separator: ", ")): \(hiddenSegments.count == 1 ? "it reads" : "they read") contact fields)")
            )
            session.output.print(
                "Pool: \(lead.pool)" + (pool == nil ? " (not in the rules file)" : "") + (poolDenial.map { "; \($0)" } ?? "")
            )
            session.output.print(routing.text)
            if stale {
                session.output.note(
                    "note: the stored score is \(lead.score) (tier \(lead.tier ?? "none")); the lead or the clock changed since it was scored. `leadpool rules apply` re-scores."
                )
            }
        }
    }
}
