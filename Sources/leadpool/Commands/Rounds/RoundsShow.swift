import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.Rounds {
    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "One round: per rule, per rep, fairness."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The round's id.")
        var id: Int64

        func run(in session: Session) throws {
            let round = try session.store.round(id)
            if session.output.json {
                session.output.print(round.json)
                return
            }
            var text = "Round \(round.id) at \(session.time(round.clock)) by \(round.actor)"
            text += round.rulesetVersion.map { " (ruleset v\($0))" } ?? ""
            text += ": \(round.status.rawValue)\n"
            text += "considered \(round.considered), assigned \(round.assigned), unrouted \(round.unrouted), "
            text += "no capacity \(round.noCapacity), "
            if let limited = round.summary?.perRoundLimited { text += "per-round limit \(limited), " }
            if let moved = round.summary?.moved { text += "moved \(moved), " }
            text += "skipped \(round.skipped)"
            if let filter = round.filter { text += "\nscope: \(filter)" }
            if round.status != .complete {
                text +=
                    "\nnot finished (still running, or stopped): \(round.assigned) lead(s) assigned so far; if it stopped, run assign again for the rest"
            }
            session.output.print(text + "\n")
            guard let summary = round.summary else { return }
            session.output.print(summary.ruleTable)
            session.output.print(summary.repTable)
            session.output.print(summary.fairnessLine)
        }
    }
}
