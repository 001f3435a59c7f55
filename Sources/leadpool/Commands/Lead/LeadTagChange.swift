import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// Adding or removing a lead's tags: `lead tag`, `lead untag`.
protocol TagChangeKind {
    static var configuration: CommandConfiguration { get }
    /// The help of the tags argument: "Tags to add."
    static var tagsHelp: String { get }
    /// Whether the tags go (`untag`) rather than come.
    static var remove: Bool { get }
    /// The word the result starts with: "Tagged".
    static var done: String { get }
}

extension LeadPool.LeadCommand {
    /// Tag or untag a lead: one command, its name, help and direction from `Change`.
    struct TagChange<Change: TagChangeKind>: StoreCommand {
        static var configuration: CommandConfiguration { Change.configuration }
        static var access: Access { .admin }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        @Argument(help: ArgumentHelp(Change.tagsHelp))
        var tags: [String]

        func validate() throws {
            if tags.isEmpty { throw ValidationError("give at least one tag") }
            if let bad = tags.first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.contains(",") || $0.contains(";") }) {
                throw ValidationError("tag '\(bad)' is empty or holds ',' or ';'")
            }
        }

        func run(in session: Session) throws {
            let changed = try session.store.tag([id], tags, remove: Change.remove, actor: session.actor.handle, at: session.now)
            if session.output.json {
                session.output.print(JSON.object([("changed", .of(changed))]))
            } else {
                session.output.print(changed == 0 ? "Nothing changed." : "\(Change.done) \(changed) lead(s).")
            }
        }
    }

    enum Tag: TagChangeKind {
        static let configuration = CommandConfiguration(
            commandName: "tag",
            abstract: "Add tags to a lead."
        )
        static let tagsHelp = "Tags to add."
        static let remove = false
        static let done = "Tagged"
    }

    enum Untag: TagChangeKind {
        static let configuration = CommandConfiguration(
            commandName: "untag",
            abstract: "Remove tags from a lead."
        )
        static let tagsHelp = "Tags to remove."
        static let remove = true
        static let done = "Untagged"
    }
}
