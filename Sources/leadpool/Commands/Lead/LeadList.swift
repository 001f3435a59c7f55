import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.LeadCommand {
    struct List: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List leads matching filters.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: LeadFilters

        func run(in session: Session) throws {
            let query = try filters.query(defaultSort: .id, in: session)
            let leads = try session.store.leads(query, now: session.now)
            let presenter = try session.leadPresenter()
            if session.output.json {
                session.output.print(JSON.array(leads.map(presenter.json)))
                return
            }
            session.output.print(presenter.table(leads))
            let total = try session.store.countLeads(query, now: session.now)
            if total > leads.count { session.output.note("\(leads.count) of \(total) leads shown (--limit)") }
        }
    }
}
