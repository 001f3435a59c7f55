import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Pool: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "pool",
            abstract: "Open unowned leads, best score first. Contact details show once you own a lead.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var conditions: LeadConditions
        @OptionGroup var order: LeadOrder

        func run(in session: Session) throws {
            var query = LeadQuery(ownership: .pooled, sort: order.sort ?? .score, limit: order.limit ?? 50)
            try conditions.narrow(&query, in: session)
            let leads = try session.store.leads(query, now: session.now)
            let presenter = try session.leadPresenter()
            if session.output.json {
                session.output.print(JSON.array(leads.map(presenter.json)))
                return
            }
            session.output.print(presenter.table(leads))
            let total = try session.store.countLeads(query, now: session.now)
            if total > leads.count { session.output.note("\(leads.count) of \(total) pool leads shown (--limit)") }
        }
    }
}
