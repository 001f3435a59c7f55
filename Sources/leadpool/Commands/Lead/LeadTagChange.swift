import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadPool.LeadCommand {
    struct Tag: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "tag", abstract: "Add tags to a lead.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        @Argument(help: "Tags to add.")
        var tags: [String]

        func validate() throws { try validateTags(tags) }

        func run(in session: Session) throws {
            let changed = try session.store.tag([id], tags, actor: session.actor.handle, at: session.now)
            report(changed: changed, verb: "Tagged", session: session)
        }
    }

    struct Untag: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "untag", abstract: "Remove tags from a lead.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        @Argument(help: "Tags to remove.")
        var tags: [String]

        func validate() throws { try validateTags(tags) }

        func run(in session: Session) throws {
            let changed = try session.store.tag([id], tags, remove: true, actor: session.actor.handle, at: session.now)
            report(changed: changed, verb: "Untagged", session: session)
        }
    }
}

private func validateTags(_ tags: [String]) throws {
    if tags.isEmpty { throw ValidationError("give at least one tag") }
    if let bad = tags.first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.contains(",") || $0.contains(";") }) {
        throw ValidationError("tag '\(bad)' is empty or holds ',' or ';'")
    }
}

private func report(changed: Int, verb: String, session: Session) {
    if session.output.json {
        session.output.print(JSON.object([("changed", .of(changed))]))
    } else {
        session.output.print(changed == 0 ? "Nothing changed." : "\(verb) \(changed) lead(s).")
    }
}
