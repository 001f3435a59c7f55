import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Claim: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "claim",
            abstract: "Take leads from the pool: by id, or the best ones with --next.",
            discussion: "Each lead is claimed or refused on its own with the reason; exit 0 only if all were claimed."
        )
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Lead ids to claim.", valueName: "ids"))
        var runs: [LeadIDRun] = []

        var ids: [Int64] { runs.flatMap(\.ids) }

        @Flag(help: "Claim the best-scoring pool leads you may take instead of given ids.")
        var next = false

        @Option(name: .short, help: "With --next: how many.")
        var n: Int = 1

        @OptionGroup(title: "With --next") var conditions: LeadConditions

        func validate() throws {
            if next == !ids.isEmpty { throw ValidationError("give lead ids or --next, not both and not neither") }
            if n < 1 { throw ValidationError("-n must be 1 or more") }
            if !next, conditions.isSet { throw ValidationError("--where, --segment and --tag go with --next") }
        }

        func run(in session: Session) throws {
            guard next else {
                let outcomes = try session.store.claim(ids, for: session.actor, at: session.now)
                try session.report(outcomes, done: "claimed", leads: try claimedLeads(outcomes.filter(\.succeeded).map(\.leadID), in: session))
                return
            }
            let (claimed, stop) = try session.store.claimNext(
                n,
                matching: try nextQuery(in: session),
                for: session.actor,
                at: session.now
            )
            if claimed.isEmpty { throw LeadPoolError.refused("nothing claimed: \(stop ?? "no pool lead that matches is yours to claim")") }
            try session.report(claimed.map { LeadOutcome(leadID: $0, result: .done) }, done: "claimed", leads: try claimedLeads(claimed, in: session))
            if claimed.count < n, let stop { session.output.note("claimed \(claimed.count) of \(n): stopped by \(stop)") }
        }

        private func nextQuery(in session: Session) throws -> LeadQuery {
            var query = LeadQuery(ownership: .pooled, sort: .score)
            try conditions.narrow(&query, in: session)
            return query
        }

        private func claimedLeads(_ ids: [Int64], in session: Session) throws -> [Int64: Lead] {
            Dictionary(uniqueKeysWithValues: try ids.map { ($0, try session.store.lead($0)) })
        }
    }
}
