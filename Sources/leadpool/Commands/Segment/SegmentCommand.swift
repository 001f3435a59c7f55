import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct SegmentCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "segment",
            abstract: "The ruleset's segments, with live counts.",
            subcommands: [List.self, Show.self]
        )
    }
}
