import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Transfer: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "transfer",
            abstract: "Give leads to a rep by hand, from the pool or from another rep.",
            discussion: "An admin's decision: capacity is not enforced, but a transfer above it is reported."
        )
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @Option(help: ArgumentHelp("The rep who gets the leads.", valueName: "handle"))
        var to: String

        @Option(help: "Why, kept in the leads' history.")
        var reason: String?

        func run(in session: Session) throws {
            let outcomes = try session.store.transfer(leads.ids, to: to, reason: reason, actor: session.actor.handle, at: session.now)
            if outcomes.contains(where: \.succeeded) {
                try warnAboveCapacity(to, session: session)
                try warnAway(to, session: session)
            }
            try session.report(outcomes, done: "transferred", owner: .some(to), reason: reason)
        }
    }
}
