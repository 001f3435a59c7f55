import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct RepCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rep",
            abstract: "Add, list, show and change reps.",
            subcommands: [Add.self, List.self, Show.self, Update.self, Away.self, Deactivate.self, Activate.self]
        )
    }
}
