import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// One way a rep closes out or advances their leads: `qualify`, `convert`, `disqualify`.
protocol StatusChangeKind {
    /// The options after the lead ids: ``RequiredReason`` or ``NoReason``.
    associatedtype Why: ParsableArguments
    static var configuration: CommandConfiguration { get }
    /// The word a lead done reports: `qualified`.
    static var done: String { get }
    /// What the store does to each lead, and the reason it keeps in their history.
    static func action(_ why: Why, in session: Session) throws -> (LeadAction, reason: String?)
}

/// No options beyond the lead ids.
struct NoReason: ParsableArguments {}

extension LeadPool {
    /// Qualify, convert or disqualify leads: one command, its name, help and action from `Change`.
    struct StatusChange<Change: StatusChangeKind>: StoreCommand {
        static var configuration: CommandConfiguration { Change.configuration }
        static var access: Access { .rep }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @OptionGroup var why: Change.Why

        func run(in session: Session) throws {
            let (action, reason) = try Change.action(why, in: session)
            try session.report(
                try session.store.perform(action, on: leads.ids, by: session.actor, at: session.now),
                done: Change.done,
                reason: reason
            )
        }
    }

    enum Qualify: StatusChangeKind {
        static let configuration = CommandConfiguration(
            commandName: "qualify",
            abstract: "Mark your leads qualified."
        )
        static let done = "qualified"

        static func action(_ why: NoReason, in session: Session) throws -> (LeadAction, reason: String?) {
            (.qualify, nil)
        }
    }

    enum Convert: StatusChangeKind {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Mark your leads converted (won)."
        )
        static let done = "converted"

        static func action(_ why: NoReason, in session: Session) throws -> (LeadAction, reason: String?) {
            (.convert, nil)
        }
    }

    enum Disqualify: StatusChangeKind {
        static let configuration = CommandConfiguration(
            commandName: "disqualify",
            abstract: "Mark your leads disqualified."
        )
        static let done = "disqualified"

        static func action(_ why: RequiredReason, in session: Session) throws -> (LeadAction, reason: String?) {
            let reason = try Ruleset.reason(why.reason, among: session.ruleset().disqualifyReasons, option: "--reason")
            return (.disqualify(reason: reason), reason)
        }
    }
}
