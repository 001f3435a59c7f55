import ArgumentParser
import Foundation
import LeadPoolCore

extension LeadPool.RulesCommand {
    struct Example: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "example",
            abstract: "Print a commented example rules file to start from: leadpool rules example > rules.yaml."
        )

        func run() throws {
            try Failure.report(json: false) {
                // The binary carries examples/rules.yaml (EmbedMigrations), so an installed leadpool has it.
                guard let example = embeddedExamples.first(where: { $0.fileName == "rules.yaml" }) else {
                    throw LeadPoolError.bug("this binary was built without examples/rules.yaml")
                }
                Output(json: false).print(example.sql)
            }
        }
    }
}
