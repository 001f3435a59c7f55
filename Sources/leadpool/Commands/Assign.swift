import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

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
                """)
        static let access = Access.admin
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

        @Option(help: "At most this many leads, best first.")
        var limit: Int?

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
        }

        func run(in session: Session) throws {
            let filter = try LeadConditions.condition(where: condition, segment: segment, in: session)
            let described = [
                condition.map { "--where \($0)" }, segment.map { "--segment \($0)" }, rule.map { "--rule \($0)" },
                limit.map { "--limit \($0)" },
            ].compactMap { $0 }.joined(separator: " ")
            let scope = RoundScope(
                condition: filter?.0, rule: rule, limit: limit, description: described.isEmpty ? nil : described)

            let input = try session.store.roundInput(scope: scope, at: session.now)
            let planner = RoundPlanner(
                rules: input.rules, reps: input.reps, cooldownDays: input.ruleset.ruleset.reclaim.cooldownDays, now: session.now)
            let plan = try planner.plan(input.pool, state: input.state)
            if dryRun {
                RoundReport(plan: plan, input: input, written: nil, scope: scope, actor: session.actor.handle, now: session.now)
                    .print(to: session.output)
                return
            }
            let progress = Progress("assigning", total: plan.assignments.count)
            let written = try session.store.writeRound(
                plan, input: input, scope: scope, actor: session.actor.handle, at: session.now,
                progress: { progress.update($0, detail: "\($0) leads") })
            progress.finish()
            RoundReport(plan: plan, input: input, written: written, scope: scope, actor: session.actor.handle, now: session.now)
                .print(to: session.output)
        }
    }

    struct Transfer: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "transfer",
            abstract: "Give leads to a rep by hand, from the pool or from another rep.",
            discussion: "An admin's decision: capacity is not enforced, but a transfer above it is reported.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @Option(help: ArgumentHelp("The rep who gets the leads.", valueName: "handle"))
        var to: String

        @Option(help: "Why, kept in the leads' history.")
        var reason: String?

        func run(in session: Session) throws {
            let outcomes = try session.store.transfer(leads.ids, to: to, reason: reason, actor: session.actor.handle, at: session.now)
            if outcomes.contains(where: \.succeeded) { try warnAboveCapacity(to, session: session) }
            try session.report(outcomes, done: "transferred", owner: .some(to), reason: reason)
        }
    }

    struct Reopen: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen",
            abstract: "Bring converted or disqualified leads back: open, in the pool or with a rep.",
            discussion: """
                Without --to a lead goes back to the pool; with --to it is open and the rep's (capacity \
                is not enforced, but going above it is reported). Open or qualified leads are refused. \
                No cooldown starts: the rep who closed a lead may claim it again.
                """)
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions
        @OptionGroup var leads: LeadIDs

        @Option(help: ArgumentHelp("The rep who gets the leads (default: the pool).", valueName: "handle"))
        var to: String?

        func run(in session: Session) throws {
            let outcomes = try session.store.reopen(leads.ids, to: to, actor: session.actor.handle, at: session.now)
            if let to, outcomes.contains(where: \.succeeded) { try warnAboveCapacity(to, session: session) }
            try session.report(outcomes, done: "reopened", owner: .some(to))
        }
    }

    struct Rounds: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rounds",
            abstract: "Past assignment rounds.", subcommands: [List.self, Show.self])

        struct List: StoreCommand {
            static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Recent rounds, newest first.")
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
                var table = Table([
                    ("ID", .right), ("AT", .fixed), ("BY", .left), ("RULESET", .right), ("CONSIDERED", .right), ("ASSIGNED", .right),
                    ("UNROUTED", .right), ("NO CAPACITY", .right), ("SKIPPED", .right), ("STATUS", .left), ("SCOPE", .left),
                ], optional: ["SKIPPED", "BY", "UNROUTED"])
                for round in rounds {
                    table.add([
                        String(round.id), Timestamp.string(round.clock), round.actor, round.rulesetVersion.map { "v\($0)" } ?? "-",
                        String(round.considered), String(round.assigned), String(round.unrouted), String(round.noCapacity),
                        String(round.skipped), round.status.rawValue, round.filter ?? "",
                    ])
                }
                session.output.print(table)
            }
        }

        struct Show: StoreCommand {
            static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One round: per rule, per rep, fairness.")
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
                var text = "Round \(round.id) at \(Timestamp.string(round.clock)) by \(round.actor)"
                text += round.rulesetVersion.map { " (ruleset v\($0))" } ?? ""
                text += ": \(round.status.rawValue)\n"
                text += "considered \(round.considered), assigned \(round.assigned), unrouted \(round.unrouted), "
                text += "no capacity \(round.noCapacity), skipped \(round.skipped)"
                if let filter = round.filter { text += "\nscope: \(filter)" }
                if round.status != .complete {
                    text += "\nnot finished (still running, or stopped): \(round.assigned) lead(s) assigned so far; if it stopped, run assign again for the rest"
                }
                session.output.print(text + "\n")
                guard let summary = round.summary else { return }
                session.output.print(summary.ruleTable)
                session.output.print(summary.repTable)
                session.output.print(summary.fairnessLine)
            }
        }
    }
}

/// Notes a rep above capacity after a manual change.
func warnAboveCapacity(_ handle: String, session: Session) throws {
    let standing = try session.store.repStanding(handle)
    if let capacity = try session.claimPolicy().capacity(of: standing.rep), standing.held > capacity {
        session.output.note("note: \(handle) now holds \(standing.held) open or qualified leads, above capacity \(capacity)")
    }
}

// MARK: - Output

extension RoundRecord {
    /// The round as `rounds list/show`, `assign` and `report rounds` print it.
    var json: JSON { .object(jsonFields) }

    var jsonFields: [(String, JSON)] {
        [
            ("id", .int(id)), ("started_at", .of(startedAt)), ("finished_at", .of(finishedAt)), ("now", .of(clock)),
            ("actor", .string(actor)), ("ruleset_version", .of(rulesetVersion)), ("status", .string(status.rawValue)),
            ("scope", .of(filter)), ("considered", .of(considered)), ("assigned", .of(assigned)), ("unrouted", .of(unrouted)),
            ("no_capacity", .of(noCapacity)), ("skipped", .of(skipped)), ("summary", summary?.json ?? .null),
        ]
    }
}

/// A round's summary as `rounds show` and `assign` print it.
extension RoundSummary {
    var json: JSON {
        .object([
            ("rules", .array(rules.map { rule in
                .object([
                    ("rule", .string(rule.rule)), ("matched", .of(rule.matched)), ("assigned", .of(rule.assigned)),
                    ("no_capacity", .of(rule.noCapacity)),
                ])
            })),
            ("reps", .array(reps.map { rep in
                .object([
                    ("handle", .string(rep.handle)), ("before", .of(rep.before)), ("given", .of(rep.given)),
                    ("after", .of(rep.after)), ("capacity", .of(rep.capacity)),
                ])
            })),
            ("fairness", fairness.map { .object([("spread", .of($0.spread)), ("stddev", .of($0.stddev))]) } ?? .null),
        ])
    }

    var ruleTable: Table {
        var table = Table([("RULE", .left), ("MATCHED", .right), ("ASSIGNED", .right), ("NO CAPACITY", .right)])
        for rule in rules {
            table.add([rule.rule] + [rule.matched, rule.assigned, rule.noCapacity].map { $0.map(String.init) ?? "-" })
        }
        return table
    }

    var repTable: Table {
        var table = Table([("REP", .left), ("BEFORE", .right), ("GIVEN", .right), ("AFTER", .right), ("CAPACITY", .right), ("LOAD", .right)])
        for rep in reps where rep.given > 0 || (rep.before ?? 0) > 0 {
            table.add([
                rep.handle, rep.before.map(String.init) ?? "-", String(rep.given), rep.after.map(String.init) ?? "-",
                rep.capacity.map(String.init) ?? "-", RoundReport.percent(rep.after ?? 0, rep.capacity ?? 0),
            ])
        }
        return table
    }

    var fairnessLine: String {
        String(
            format: "Fairness: load spread %.2f, standard deviation %.2f (0 = perfectly even)",
            fairness?.spread ?? 0, fairness?.stddev ?? 0)
    }
}

/// What `assign` prints, for a dry run or a written round.
struct RoundReport {
    let plan: RoundPlan
    let input: RoundInput
    /// nil for a dry run.
    let written: WrittenRound?
    let scope: RoundScope
    let actor: String
    let now: Date

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "-" : "\(Int((Double(part) / Double(whole) * 100).rounded()))%"
    }

    /// The round as written, or as a dry run would write it (no id, times or status: nothing was).
    var round: RoundRecord {
        written?.record
            ?? RoundRecord(
                id: 0, startedAt: now, finishedAt: nil, clock: now, actor: actor, rulesetVersion: input.ruleset.version,
                status: .running, filter: scope.description, considered: input.pool.count, assigned: plan.assignments.count,
                unrouted: plan.unrouted.count, noCapacity: plan.noCapacity.count, skipped: 0,
                summary: RoundSummary(plan: plan, loads: plan.reps))
    }

    func print(to output: Output) {
        let round = round
        let record = written?.record
        if output.json {
            let unwritten: Set<String> = record == nil ? ["id", "started_at", "finished_at", "status"] : []
            let skipped = written?.skipped ?? []
            let assignments = plan.assignments.filter { !skipped.contains($0.leadID) }.map { assignment -> JSON in
                .object([
                    ("id", .int(assignment.leadID)), ("owner", .string(assignment.rep)), ("rule", .string(assignment.rule)),
                    ("reason", .string(assignment.reason.description)),
                ])
            }
            output.print(JSON.object(
                [("dry_run", .bool(record == nil))] + round.jsonFields.map { ($0, unwritten.contains($0) ? .null : $1) }
                    + [("assignments", .array(assignments))]))
            return
        }
        var head = record.map { "Round \($0.id)" } ?? "Dry run (nothing written)"
        head += " at \(Timestamp.string(now)), ruleset v\(input.ruleset.version): \(round.considered) pool lead(s) considered, "
        head += "\(round.assigned) assigned, \(round.unrouted) unrouted, \(round.noCapacity) no capacity"
        if round.skipped > 0 { head += ", \(round.skipped) skipped (claimed meanwhile or rep filled up)" }
        output.print(head + "\n")
        guard let shown = round.summary else { return }
        output.print(shown.ruleTable)
        if !plan.unrouted.isEmpty { output.print("\(plan.unrouted.count) lead(s) matched no rule and stay in the pool.\n") }
        output.print(shown.repTable)
        output.print(shown.fairnessLine)
    }
}
