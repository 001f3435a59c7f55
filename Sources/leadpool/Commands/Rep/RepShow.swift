import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one rep."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        func run(in session: Session) throws {
            try show(try session.store.repStanding(handle), in: session)
        }
    }
}
