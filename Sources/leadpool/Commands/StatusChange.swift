import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadPool {
    struct Qualify: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "qualify", abstract: "Mark your leads qualified.")
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        func run(in session: Session) throws {
            try session.report(try session.store.perform(.qualify, on: leads.ids, by: session.actor, at: session.now), done: "qualified")
        }
    }

    struct Convert: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert", abstract: "Mark your leads converted (won).")
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        func run(in session: Session) throws {
            try session.report(try session.store.perform(.convert, on: leads.ids, by: session.actor, at: session.now), done: "converted")
        }
    }

    struct Disqualify: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "disqualify", abstract: "Mark your leads disqualified.")
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @OptionGroup var why: RequiredReason

        func run(in session: Session) throws {
            let reason = try Ruleset.reason(why.reason, among: session.ruleset().disqualifyReasons, option: "--reason")
            try session.report(
                try session.store.perform(.disqualify(reason: reason), on: leads.ids, by: session.actor, at: session.now),
                done: "disqualified", reason: reason)
        }
    }
}
