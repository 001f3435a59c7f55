import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.LeadCommand {
    struct Move: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "move",
            abstract: "Move leads into another pool of the rules file.",
            discussion: """
                For admins, and for a pool's admins between pools they both keep. Owned leads stay \
                with their owner; the pool decides who may claim them once back in it, and where \
                a reclaim returns them. One moved event per lead.
                """
        )
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @Option(help: ArgumentHelp("The pool the leads go to.", valueName: "pool"))
        var pool: String

        func run(in session: Session) throws {
            let outcomes = try session.store.move(leads.ids, toPool: pool, by: session.actor, at: session.now)
            try session.report(outcomes, done: "moved", pool: pool)
        }
    }
}
