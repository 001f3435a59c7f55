import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.LeadCommand {
    struct List: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List leads matching filters."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: LeadFilters

        func run(in session: Session) throws {
            let query = try filters.query(defaultSort: .id, in: session)
            try session.printLeads(query, counting: "leads")
        }
    }
}
