import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RulesCommand {
    struct Check: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a rules file and summarize it; nothing changes.",
            discussion: "Every error is listed with file:line:column (exit 65). Targets naming no known team or rep are warnings."
        )
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
                session.output.print(
                    JSON.object(
                        [("file", .string(file.path)), ("valid", .bool(true))] + summary.jsonFields
                            + [("warnings", .array(warnings.map(\.json)))]
                    )
                )
                return
            }
            session.output.print("\(file.path) is valid.")
            summary.print(to: session.output)
            for warning in warnings { session.output.note("warning: \(warning)") }
            if preview == nil {
                session.output.note("Live tier and segment counts are for admins; `leadpool segment list` counts the segments in force.")
            }
        }
    }
}
