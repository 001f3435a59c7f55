import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct RulesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Check, apply and show the rules file (ICP, tiers, segments, routing, reclaim).",
            subcommands: [Check.self, Apply.self, Show.self, Example.self]
        )
    }
}
