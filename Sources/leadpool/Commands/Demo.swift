import ArgumentParser
import Foundation
import LeadPoolCore

extension LeadPool {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a demo database (reps, leads, the example rules), run one round and show what happened.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Where to put the demo database (default: a new temporary directory).")
        var dir: String?

        @Option(help: "How many sample leads.")
        var leads = 3000

        func run() throws {
            print("leadpool demo: coming soon — it needs lead intake, rules and assignment rounds, which have not landed yet.")
            print("Meanwhile: leadpool init, then leadpool rep add alice --name \"Alice\" --team emea --territories DE,FR")
        }
    }
}
