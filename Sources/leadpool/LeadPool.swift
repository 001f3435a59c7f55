import ArgumentParser
import LeadPoolCore
import LeadPoolStore

@main
struct LeadPool: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "A lead pool for sales teams.")
    func run() throws { print(Store.migrationNames) }
}
