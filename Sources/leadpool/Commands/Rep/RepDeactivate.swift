import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct Deactivate: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "deactivate",
            abstract: "Deactivate a rep: no more rounds or claims; the nightly reclaim returns their leads.",
            discussion: "--release returns their leads to the pool now; --transfer-to hands them to another rep now."
        )
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        @Flag(help: "Return the rep's open leads to the pool now.")
        var release = false

        @Option(help: ArgumentHelp("Give the rep's open leads to this rep now.", valueName: "handle"))
        var transferTo: String?

        func validate() throws {
            if release, transferTo != nil { throw ValidationError("--release and --transfer-to exclude each other") }
            if transferTo == handle { throw ValidationError("--transfer-to must name another rep") }
        }

        func run(in session: Session) throws {
            let leads: DeactivatedLeads = release ? .release : transferTo.map { .transfer(to: $0) } ?? .keep
            let done = try session.store.deactivate(handle, leads: leads, by: session.actor, at: session.now)
            let (wasActive, held, outcomes) = (done.wasActive, done.held, done.outcomes)
            if let transferTo, outcomes.contains(where: \.succeeded) { try warnAboveCapacity(transferTo, session: session) }
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
                return
            }
            let moved = outcomes.filter(\.succeeded).count
            var text = wasActive ? "Deactivated '\(handle)'." : "'\(handle)' was already deactivated."
            if release { text += " Released \(moved) lead(s) to the pool." }
            if let transferTo { text += " Transferred \(moved) lead(s) to \(transferTo)." }
            if !release, transferTo == nil, !held.isEmpty {
                text += " They hold \(held.count) lead(s); the next reclaim returns them to the pool."
            }
            session.output.print(text)
        }
    }
}
