import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Release: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Give leads back to the pool (you may not re-claim them during the cooldown)."
        )
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @OptionGroup var why: RequiredReason

        func run(in session: Session) throws {
            let reason = try Ruleset.reason(why.reason, among: session.ruleset().releaseReasons, option: "--reason")
            try session.report(
                try session.store.perform(.release(reason: reason), on: leads.ids, by: session.actor, at: session.now),
                done: "released",
                reason: reason
            )
        }
    }
}
