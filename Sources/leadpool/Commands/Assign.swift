import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Assign: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign",
            abstract: "Run an assignment round: hand pool leads to reps by the ruleset's rules.",
            discussion: """
                Leads go best score first (then oldest, then id); the first rule whose condition holds \
                routes a lead, and its strategy picks among the candidates: active, not away, below \
                capacity, not the previous owner within the cooldown, covering the lead when the rule \
                is territorial. Same database, ruleset and --now give the same plan.
                """
        )
        // Admins, and a pool's admins for a round over their pool (`--pool`): checked in run.
        static let access = Access.rep
        var writes: Bool { !dryRun }

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print the plan; write nothing.")
        var dryRun = false

        @Option(name: .customLong("where"), help: ArgumentHelp("Only pool leads matching this condition.", valueName: "expr"))
        var condition: String?

        @Option(help: ArgumentHelp("Only pool leads in this segment.", valueName: "name"))
        var segment: String?

        @Option(help: ArgumentHelp("Only leads this rule routes.", valueName: "name"))
        var rule: String?

        @Option(help: ArgumentHelp("Only leads of this pool (a pool's admins must give their pool).", valueName: "pool"))
        var pool: String?

        @Option(help: "At most this many leads, best first.")
        var limit: Int?

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
        }

        func run(in session: Session) throws {
            _ = try session.ruleset().administeredPools(pool.map { [$0] } ?? [], by: session.actor, command: "assign")
            let filter = try LeadConditions.condition(where: condition, segment: segment, in: session)
            let described = [
                condition.map { "--where \($0)" }, segment.map { "--segment \($0)" }, rule.map { "--rule \($0)" },
                pool.map { "--pool \($0)" }, limit.map { "--limit \($0)" },
            ].compactMap { $0 }.joined(separator: " ")
            let scope = RoundScope(
                condition: filter?.0,
                rule: rule,
                limit: limit,
                pool: pool,
                description: described.isEmpty ? nil : described
            )

            var progress: Progress?
            let round = try session.store.runRound(scope: scope, dryRun: dryRun, actor: session.actor.handle, at: session.now) {
                done,
                total in
                if progress == nil { progress = Progress("assigning", total: total) }
                progress?.update(done, detail: "\(done) leads")
            }
            progress?.finish()
            RoundReport(run: round, scope: scope, actor: session.actor.handle, now: session.now)
                .print(to: session.output, clock: session.clock)
        }
    }
}
