import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct LeadCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lead",
            abstract: "Show, list, tag and move leads.",
            subcommands: [Add.self, Update.self, Show.self, List.self, Move.self, TagChange<Tag>.self, TagChange<Untag>.self]
        )
    }
}
