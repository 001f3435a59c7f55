import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RulesCommand {
    struct Apply: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Store a rules file as the next ruleset version and re-score every lead.",
            discussion: "Validation as `rules check`; a file with errors changes nothing (exit 65)."
        )
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
                ruleset,
                source: file.source,
                fileName: file.storedName,
                actor: session.actor.handle,
                at: session.now,
                progress: { progress.update(Int($0 * 1000)) }
            )
            progress.finish()
            let tiers = TierDistribution(
                ruleset: ruleset,
                counts: try session.store.tierCounts(LeadQuery(), expected: ruleset.tiers.map(\.name), now: session.now)
            )
            if session.output.json {
                session.output.print(
                    JSON.object([
                        ("version", .int(applied.version)), ("changed", .bool(applied.isNew)), ("file", .string(file.storedName)),
                        ("applied_at", .of(session.now)), ("actor", .string(session.actor.handle)),
                        ("leads", .of(tiers.total)), ("tiers", tiers.json), ("warnings", .array(warnings.map(\.json))),
                    ])
                )
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
}
