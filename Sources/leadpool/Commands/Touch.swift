import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Touch: StoreCommand {
        enum Kind: String, ExpressibleByArgument, CaseIterable { case call, email, meeting, note }

        static let configuration = CommandConfiguration(commandName: "touch", abstract: "Log activity on a lead (resets its idle days).")
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        @Option(help: "call, email, meeting or note.")
        var kind: Kind = .note

        @Option(help: "What happened.")
        var note: String?

        func run(in session: Session) throws {
            try session.report(
                try session.store.perform(.touch(kind: kind.rawValue, note: note), on: [id], by: session.actor, at: session.now),
                done: "touched"
            )
        }
    }
}
