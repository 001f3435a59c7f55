import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.LeadCommand {
    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one lead, every field."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        func run(in session: Session) throws {
            let lead = try session.store.lead(id)
            let presenter = try session.leadPresenter()
            if session.output.json {
                session.output.print(presenter.json(lead))
            } else {
                session.output.print(fields: presenter.fields(lead))
            }
        }
    }
}
