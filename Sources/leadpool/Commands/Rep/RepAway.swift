import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct Away: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "away",
            abstract: "Mark a rep away (no round gives them leads), or end it with --clear.",
            discussion: """
                Dates are the rep's local dates (their time zone, else the ruleset's), inclusive: --until 2026-12-20 \
                means back at 00:00 local time on 2026-12-21. A time with Z or an offset (2026-12-20T14:00:00+08:00) \
                is that instant; a time without one is local. Reps may set their own away window.
                """
        )
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
                if session.output.json {
                    try show(try session.store.repStanding(handle), in: session)
                } else {
                    session.output.print("'\(handle)' is no longer away.")
                }
                return
            }
            let rep = try session.store.repStanding(handle).rep
            let clock = rep.clock(team: try session.store.claimPolicy().defaultClock)
            let start = try from.map { try date($0, option: "--from", clock: clock) } ?? session.now
            var end = try date(until!, option: "--until", clock: clock)
            // A date alone is the whole day: back at the next local midnight.
            if let day = LocalDate(until!) { end = clock.start(of: day.adding(days: 1)) }
            guard start < end else {
                throw LeadPoolError.usage("--until must be after --from (\(clock.time(start)))")
            }
            try session.store.setAway(handle, from: start, until: end)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                let first = clock.isStartOfDay(start) ? clock.date(start) : clock.time(start)
                session.output.print("'\(handle)' is away from \(first) \(clock.until(end)) (\(clock.name)).")
            }
        }

        private func date(_ text: String, option: String, clock: TeamClock) throws -> Date {
            guard let date = clock.parse(text) else {
                throw LeadPoolError.usage("\(option): '\(text)' is not an ISO-8601 date or time", hint: "write e.g. 2026-12-24")
            }
            return date
        }
    }
}
