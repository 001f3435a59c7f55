import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension Session {
    /// The ruleset in force, or the standard one before any was applied.
    func ruleset() throws -> Ruleset {
        try store.currentRuleset()?.ruleset ?? .standard
    }

    /// Capacity, daily-limit and cooldown defaults from the ruleset in force.
    func claimPolicy() throws -> ClaimPolicy {
        try store.claimPolicy()
    }

    /// Prints each lead's outcome; fails with exit 1 when any was refused (66 when the only
    /// failures are unknown ids), so scripts can tell a partial success. `leads` adds company,
    /// score and tier to the leads done (claims show what was taken); `owner` (`.some(nil)`: the
    /// pool) says where the leads done went, when the command chose it (`transfer`, `reopen`).
    /// In JSON, `reason` is the one the command was given (kept in history) and `refusal` why a
    /// lead was not done.
    func report(
        _ outcomes: [LeadOutcome], done verb: String, leads: [Int64: Lead] = [:], owner: String?? = nil, reason: String? = nil
    ) throws {
        if output.json {
            output.print(JSON.array(outcomes.map { outcome in
                var fields: [(String, JSON)] = [("id", .int(outcome.leadID))]
                switch outcome.result {
                case .done:
                    fields.append(("result", .string(verb)))
                    if let lead = leads[outcome.leadID] {
                        fields += [("company", .string(lead.company)), ("score", .of(lead.score)), ("tier", .of(lead.tier))]
                    }
                    if let owner { fields.append(("owner", .of(owner))) }
                    return .object(fields + [("reason", .of(reason)), ("refusal", .null)])
                case .refused(let refusal):
                    return .object(fields + [("result", .string("refused")), ("reason", .of(reason)), ("refusal", .string(refusal))])
                case .notFound:
                    return .object(fields + [("result", .string("not_found")), ("reason", .of(reason)), ("refusal", .string("no such lead"))])
                }
            }))
        } else {
            output.print(outcomes.map { outcome in
                switch outcome.result {
                case .done:
                    let what = leads[outcome.leadID].map { "  \($0.company)  score \($0.score)\($0.tier.map { " (\($0))" } ?? "")" }
                    let to = owner.map { "  to \($0 ?? "the pool")" }
                    return "\(verb)  \(outcome.leadID)\(what ?? "")\(to ?? "")"
                case .refused(let reason): return "refused  \(outcome.leadID): \(reason)"
                case .notFound: return "refused  \(outcome.leadID): no such lead"
                }
            }.joined(separator: "\n"))
        }
        let failed = outcomes.filter { !$0.succeeded }
        guard !failed.isEmpty else { return }
        let summary = "\(failed.count) of \(outcomes.count) lead(s) not \(verb)"
        if failed.allSatisfy({ $0.result == .notFound }) { throw LeadPoolError.notFound(summary) }
        throw LeadPoolError.refused(summary)
    }
}

/// `--reason TEXT`, required and not blank: it is kept in the leads' history.
struct RequiredReason: ParsableArguments {
    @Option(help: "Why (required): it is kept in the lead's history.")
    var reason: String

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must not be empty") }
    }
}

/// One or more lead ids.
struct LeadIDs: ParsableArguments {
    @Argument(help: ArgumentHelp("Lead ids.", valueName: "ids"))
    var runs: [LeadIDRun] = []

    var ids: [Int64] { runs.flatMap(\.ids) }

    func validate() throws {
        if ids.isEmpty { throw ValidationError("give at least one lead id") }
    }
}

extension LeadPool {
    struct Claim: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "claim",
            abstract: "Take leads from the pool: by id, or the best ones with --next.",
            discussion: "Each lead is claimed or refused on its own with the reason; exit 0 only if all were claimed.")
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
            let policy = try session.claimPolicy()
            guard next else {
                let outcomes = try session.store.claim(ids, for: session.actor, policy: policy, at: session.now)
                try session.report(outcomes, done: "claimed", leads: try claimedLeads(outcomes.filter(\.succeeded).map(\.leadID), in: session))
                return
            }
            let (claimed, stop) = try session.store.claimNext(
                n, matching: try nextQuery(in: session), for: session.actor, policy: policy, at: session.now)
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

    struct Release: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Give leads back to the pool (you may not re-claim them during the cooldown).")
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @OptionGroup var why: RequiredReason

        func run(in session: Session) throws {
            let reason = try Ruleset.reason(why.reason, among: session.ruleset().releaseReasons, option: "--reason")
            try session.report(
                try session.store.perform(.release(reason: reason), on: leads.ids, by: session.actor, at: session.now),
                done: "released", reason: reason)
        }
    }

    struct Touch: StoreCommand {
        enum Kind: String, ExpressibleByArgument, CaseIterable { case call, email, meeting, note }

        static let configuration = CommandConfiguration(commandName: "touch", abstract: "Log activity on a lead (resets its idle days).")
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        @Option(help: "call, email, meeting or note.")
        var kind: Kind = .note

        @Option(help: "What happened.")
        var note: String?

        func run(in session: Session) throws {
            try session.report(
                try session.store.perform(.touch(kind: kind.rawValue, note: note), on: [id], by: session.actor, at: session.now),
                done: "touched")
        }
    }

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

    struct Pool: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "pool",
            abstract: "Open unowned leads, best score first. Contact details show once you own a lead.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var conditions: LeadConditions
        @OptionGroup var order: LeadOrder

        func run(in session: Session) throws {
            var query = LeadQuery(ownership: .pooled, sort: order.sort ?? .score, limit: order.limit ?? 50)
            try conditions.narrow(&query, in: session)
            let leads = try session.store.leads(query, now: session.now)
            let presenter = try session.leadPresenter()
            if session.output.json {
                session.output.print(JSON.array(leads.map(presenter.json)))
                return
            }
            session.output.print(presenter.table(leads))
            let total = try session.store.countLeads(query, now: session.now)
            if total > leads.count { session.output.note("\(leads.count) of \(total) pool leads shown (--limit)") }
        }
    }
}
