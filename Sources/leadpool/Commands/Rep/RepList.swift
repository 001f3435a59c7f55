import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct List: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List reps with their load and state."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only this team.")
        var team: String?

        func run(in session: Session) throws {
            let reps = try session.store.repStandings().filter { team == nil || $0.rep.team == team }
            let teamClock = try session.store.claimPolicy().defaultClock
            if session.output.json {
                session.output.print(JSON.array(reps.map { $0.json(team: teamClock) }))
                return
            }
            var table = Table([
                ("HANDLE", .left), ("NAME", .left), ("TEAM", .left), ("ROLE", .left), ("HELD", .right),
                ("CAPACITY", .right), ("DAILY", .right), ("WEIGHT", .right), ("TERRITORIES", .left), ("STATE", .left),
            ])
            for standing in reps {
                let rep = standing.rep
                table.add([
                    rep.handle, rep.name, rep.team ?? "-", rep.role.rawValue, String(standing.held),
                    rep.capacity.map(String.init) ?? "default", rep.dailyLimit.map(String.init) ?? "default",
                    String(rep.weight), rep.territories.isEmpty ? "-" : rep.territories.joined(separator: ","),
                    standing.state(at: session.now, team: teamClock),
                ])
            }
            session.output.print(table)
        }
    }
}
