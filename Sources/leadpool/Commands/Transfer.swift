import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Transfer: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "transfer",
            abstract: "Give leads to a rep by hand, from the pool or from another rep.",
            discussion: "An admin's decision (a pool's admins for their pool's leads): capacity is not enforced, but a transfer above it is reported."
        )
        // Admins, and a pool's admins for the leads of their pools (the store decides per lead).
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @Option(help: ArgumentHelp("The rep who gets the leads.", valueName: "handle"))
        var to: String

        @Option(help: "Why, kept in the leads' history.")
        var reason: String?

        func run(in session: Session) throws {
            if session.actor.role != .admin, try !session.ruleset().administersAPool(session.actor) {
                throw LeadPoolError.permission(
                    "this command is for admins; '\(session.actor.handle)' is a rep",
                    hint: "ask an admin, or an admin can run `leadpool rep update \(session.actor.handle) --role admin`"
                )
            }
            let outcomes = try session.store.transfer(leads.ids, to: to, reason: reason, actor: session.actor.handle, at: session.now)
            if outcomes.contains(where: \.succeeded) {
                try warnAboveCapacity(to, session: session)
                try warnAway(to, session: session)
            }
            try session.report(outcomes, done: "transferred", owner: .some(to), reason: reason)
        }
    }
}
