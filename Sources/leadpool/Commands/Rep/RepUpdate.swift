import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct Update: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Change a rep's fields."
        )
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        @OptionGroup var fields: RepFields

        func validate() throws {
            if fields.changes.isEmpty {
                throw ValidationError(
                    "nothing to change: give at least one of --name, --email, --team, --role, --capacity, --daily-limit, --weight, --territories, --timezone, --working-hours"
                )
            }
        }

        func run(in session: Session) throws {
            try session.store.updateRep(handle, fields.changes)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print("Updated '\(handle)'.")
            }
        }
    }
}
