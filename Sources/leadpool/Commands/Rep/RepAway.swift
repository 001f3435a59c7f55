import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct Away: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "away",
            abstract: "Mark a rep away (no round gives them leads), or end it with --clear.",
            discussion: "A date alone for --until means through that day. Reps may set their own away window.")
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        @Option(help: ArgumentHelp("First away day or time (default: now).", valueName: "date"))
        var from: String?

        @Option(help: ArgumentHelp("Last away day, or the time the rep is back.", valueName: "date"))
        var until: String?

        @Flag(help: "End the away window.")
        var clear = false

        func validate() throws {
            if clear, from != nil || until != nil { throw ValidationError("--clear takes no --from or --until") }
            if !clear, until == nil { throw ValidationError("missing --until: when is the rep back? (or --clear)") }
        }

        func run(in session: Session) throws {
            if handle != session.actor.handle, session.actor.role != .admin {
                throw LeadPoolError.permission("only admins may set someone else's away window")
            }
            if clear {
                try session.store.setAway(handle, from: nil, until: nil)
                if session.output.json { try show(try session.store.repStanding(handle), in: session) } else { session.output.print("'\(handle)' is no longer away.") }
                return
            }
            let start = try from.map { try date($0, option: "--from") } ?? session.now
            var end = try date(until!, option: "--until")
            if Timestamp.isDateOnly(until!) { end = end.addingTimeInterval(86_400) }
            guard start < end else {
                throw LeadPoolError.usage("--until must be after --from (\(Timestamp.string(start)))")
            }
            try session.store.setAway(handle, from: start, until: end)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print("'\(handle)' is away from \(Timestamp.string(start)) \(Timestamp.until(end)).")
            }
        }

        private func date(_ text: String, option: String) throws -> Date {
            guard let date = Timestamp.parse(text) else {
                throw LeadPoolError.usage("\(option): '\(text)' is not an ISO-8601 date or time", hint: "write e.g. 2026-12-24")
            }
            return date
        }
    }
}
