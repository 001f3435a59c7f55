import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Reopen: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen",
            abstract: "Bring converted or disqualified leads back: open, in the pool or with a rep.",
            discussion: """
                Without --to a lead goes back to the pool; with --to it is open and the rep's (capacity \
                is not enforced, but going above it is reported). Open or qualified leads are refused. \
                No cooldown starts: the rep who closed a lead may claim it again.
                """
        )
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @Option(help: ArgumentHelp("The rep who gets the leads (default: the pool).", valueName: "handle"))
        var to: String?

        func run(in session: Session) throws {
            let outcomes = try session.store.reopen(leads.ids, to: to, actor: session.actor.handle, at: session.now)
            if let to, outcomes.contains(where: \.succeeded) {
                try warnAboveCapacity(to, session: session)
                try warnAway(to, session: session)
            }
            try session.report(outcomes, done: "reopened", owner: .some(to))
        }
    }
}
