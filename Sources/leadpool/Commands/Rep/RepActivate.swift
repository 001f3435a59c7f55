import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct Activate: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "activate",
            abstract: "Activate a rep again."
        )
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        func run(in session: Session) throws {
            let wasActive = try session.store.repStanding(handle).rep.active
            try session.store.setActive(handle, true)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print(wasActive ? "'\(handle)' was already active." : "Activated '\(handle)'.")
            }
        }
    }
}
