import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Rounds: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rounds",
            abstract: "Past assignment rounds.",
            subcommands: [List.self, Show.self]
        )
    }
}
