import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RulesCommand {
    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the rules file in force (or an earlier version) as applied."
        )
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
                        hint: current.map { "versions run from 1 to \($0)" } ?? "no ruleset has been applied yet"
                    )
                }
                stored = found
            } else {
                stored = try StoredRuleset.requireCurrent(session.store)
            }
            if session.output.json {
                session.output.print(
                    JSON.object([
                        ("version", .int(stored.version)), ("file", .of(stored.fileName)),
                        ("applied_at", .of(stored.appliedAt)), ("actor", .string(stored.appliedBy)),
                        ("source", .string(stored.source)),
                    ])
                )
                return
            }
            session.output.note(
                "# ruleset version \(stored.version) from \(stored.fileName ?? "-"), applied \(session.time(stored.appliedAt)) by \(stored.appliedBy)"
            )
            session.output.print(stored.source)
        }
    }
}
