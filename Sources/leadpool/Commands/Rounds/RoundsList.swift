import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.Rounds {
    struct List: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Recent rounds, newest first."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Option(help: "How many.")
        var limit = 20

        func run(in session: Session) throws {
            let rounds = try session.store.rounds(limit: limit)
            if session.output.json {
                session.output.print(JSON.array(rounds.map(\.json)))
                return
            }
            var table = Table(
                [
                    ("ID", .right), ("AT", .fixed), ("BY", .left), ("RULESET", .right), ("CONSIDERED", .right), ("ASSIGNED", .right),
                    ("UNROUTED", .right), ("NO CAPACITY", .right), ("SKIPPED", .right), ("STATUS", .left), ("SCOPE", .left),
                ],
                optional: ["SKIPPED", "BY", "UNROUTED"]
            )
            for round in rounds {
                table.add([
                    String(round.id), session.time(round.clock), round.actor, round.rulesetVersion.map { "v\($0)" } ?? "-",
                    String(round.considered), String(round.assigned), String(round.unrouted), String(round.noCapacity),
                    String(round.skipped), round.status.rawValue, round.filter ?? "",
                ])
            }
            session.output.print(table)
        }
    }
}
