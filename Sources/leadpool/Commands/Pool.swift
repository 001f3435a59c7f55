import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Pool: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "pool",
            abstract: "Open unowned leads, best score first. Contact details show once you own a lead."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var conditions: LeadConditions
        @OptionGroup var order: LeadOrder

        func run(in session: Session) throws {
            var query = LeadQuery(ownership: .pooled, sort: order.sort ?? .score, limit: order.limit ?? 50)
            try conditions.narrow(&query, in: session)
            try session.printLeads(query, counting: "pool leads")
        }
    }
}
