import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Reclaim: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "reclaim",
            abstract: "Return stale leads to the pool and escalate missed first touches (from cron), or list those about to go.",
            discussion: """
                Owned open or qualified leads go back to their pool (or its reclaim.to) when idle for the \
                rules file's no-activity-days or held for max-hold-days (the first matching override's \
                limits, then the pool's own), \
                unless `exempt` holds; every such lead of a deactivated rep goes too. The previous \
                owner may not claim a lead back for cooldown-days. \
                Prints one summary line for cron logs; --quiet prints nothing on success. \
                With the rules file's first-touch, it also escalates each lead given to a rep \
                (by a round, a transfer or an escalation) and not touched within its deadline in \
                the owner's working hours, once: reassign (the routing rule's next candidate, \
                never the rep who missed it), pool or keep. Any activity the owner records \
                (touch, qualify, convert, disqualify) is the first touch. Run it every 15 minutes then. \
                A second run while one is going refuses with exit 75. \
                With --pool, only the leads now in those pools (a deactivated rep's too): a pool's \
                admins reclaim the pools they keep that way.
                """
        )
        // Admins, and a pool's admins for the pools they keep (`--pool`): checked in run.
        static let access = Access.rep
        var writes: Bool { !(dryRun || warn) }

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Show what would be reclaimed now; write nothing.")
        var dryRun = false

        @Flag(help: "List leads that will be reclaimed within warn-days, by owner, for reminder mails; write nothing.")
        var warn = false

        @Flag(help: "Print nothing on success (errors still go to stderr).")
        var quiet = false

        @Option(
            name: .customLong("pool"),
            help: ArgumentHelp("Only leads now in this pool (repeat for several; a pool's admins must give their pools).", valueName: "pool")
        )
        var pools: [String] = []

        func validate() throws {
            if dryRun, warn { throw ValidationError("--warn writes nothing already: drop --dry-run") }
        }

        func run(in session: Session) throws {
            let ruleset = try session.ruleset()
            let scope = try ruleset.administeredPools(pools, by: session.actor, command: "reclaim")
            if warn {
                return try printWarnings(
                    try session.store.reclaimWarnings(ruleset, at: session.now, pools: scope),
                    firstTouch: try session.store.firstTouchStandings(ruleset, at: session.now, pools: scope, owner: nil).filter(\.isAnnounced),
                    ruleset,
                    in: session
                )
            }
            let started = Date()
            let leads: [ReclaimedLead]
            let escalated: [FirstTouchEscalated]
            var skipped = 0
            if dryRun {
                leads = try session.store.reclaimCandidates(ruleset, at: session.now, pools: scope)
                escalated = try session.store.firstTouchEscalations(ruleset, at: session.now, pools: scope)
            } else {
                var bar: Progress?
                let result = try session.store.reclaim(ruleset, at: session.now, pools: scope, runBy: session.actor.handle) { done, total in
                    if bar == nil { bar = Progress("reclaim", total: total) }
                    bar?.update(done, detail: "\(done)/\(total)")
                }
                bar?.finish()
                leads = result.reclaimed
                skipped = result.skipped
                escalated = result.escalated
            }
            guard !quiet else { return }
            let seconds = Date().timeIntervalSince(started)
            let counts = ReclaimCause.allCases.map { cause in (cause, leads.count { $0.verdict.cause == cause }) }
            if session.output.json {
                session.output.print(
                    JSON.object([
                        ("now", .of(session.now)),
                        ("dry_run", .bool(dryRun)),
                        ("reclaimed", .of(leads.count)),
                        ("by_cause", .object(counts.map { ($0.0.rawValue, .of($0.1)) })),
                        ("skipped", .of(skipped)),
                        ("escalated", .of(escalated.count)),
                        ("seconds", .number((seconds * 1000).rounded() / 1000)),
                        (
                            "leads",
                            .array(
                                leads.map { lead in
                                    .object([
                                        ("id", .int(lead.id)), ("company", .string(lead.company)), ("owner", .string(lead.owner)),
                                        ("cause", .string(lead.verdict.cause.rawValue)), ("reason", .string(lead.verdict.reason)),
                                        ("pool", .string(lead.pool)),
                                    ])
                                }
                            )
                        ),
                        (
                            "escalations",
                            .array(
                                escalated.map { lead in
                                    .object([
                                        ("id", .int(lead.id)), ("company", .string(lead.company)), ("owner", .string(lead.owner)),
                                        ("deadline", .of(lead.deadline)), ("action", .string(lead.escalation.action.rawValue)),
                                        ("to", .of(lead.escalation.newOwner)), ("reason", .string(lead.reason)),
                                    ])
                                }
                            )
                        ),
                    ])
                )
                return
            }
            let breakdown = counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.label)" }.joined(separator: ", ")
            var line = "reclaim \(session.time(session.now))"
            if let scope { line += " of pool\(scope.count == 1 ? "" : "s") \(scope.joined(separator: ", "))" }
            line += "\(dryRun ? " (dry run)" : ""): "
            line += "\(leads.count) \(dryRun ? "would be reclaimed" : "reclaimed")"
            if !breakdown.isEmpty { line += " (\(breakdown))" }
            if !escalated.isEmpty { line += ", \(escalated.count) first-touch \(dryRun ? "escalation(s) due" : "escalation(s)")" }
            if skipped > 0 { line += ", \(skipped) skipped (changed meanwhile)" }
            line += " in " + String(format: "%.1f s", seconds)
            if dryRun, !leads.isEmpty {
                var table = Table([("ID", .right), ("COMPANY", .left), ("OWNER", .left), ("REASON", .left)])
                for lead in leads {
                    table.add([String(lead.id), Terminal.clip(lead.company, to: 28), lead.owner, lead.verdict.reason])
                }
                session.output.print(table)
            }
            if dryRun, !escalated.isEmpty {
                var table = Table([("ID", .right), ("COMPANY", .left), ("OWNER", .left), ("DEADLINE", .left), ("ESCALATION", .left)])
                for lead in escalated {
                    let clock = try session.store.rep(lead.owner).map { ruleset.clock(of: $0) } ?? ruleset.clock
                    table.add([String(lead.id), Terminal.clip(lead.company, to: 28), lead.owner, clock.time(lead.deadline), lead.reason])
                }
                session.output.print(table)
            }
            session.output.print(line)
        }

        private func printWarnings(
            _ warnings: [ReclaimWarning],
            firstTouch: [FirstTouchStanding],
            _ ruleset: Ruleset,
            in session: Session
        ) throws {
            guard !quiet else { return }
            let owners = Set(warnings.map(\.owner)).union(firstTouch.map(\.owner)).sorted()
            let groups = owners.map { owner in
                (owner: owner, leads: warnings.filter { $0.owner == owner }, firstTouch: firstTouch.filter { $0.owner == owner })
            }
            let reps = try groups.map { try session.store.rep($0.owner) }
            if session.output.json {
                session.output.print(
                    JSON.array(
                        zip(groups, reps).map { group, rep in
                            .object([
                                ("handle", .string(group.owner)), ("name", .of(rep?.name)), ("email", .of(rep?.email)),
                                (
                                    "leads",
                                    .array(
                                        group.leads.map { lead in
                                            .object([
                                                ("id", .int(lead.id)), ("company", .string(lead.company)),
                                                ("reclaim_at", .of(lead.at)), ("reason", .string(lead.verdict.reason)),
                                            ])
                                        }
                                    )
                                ),
                                (
                                    "first_touch",
                                    .array(
                                        group.firstTouch.map { lead in
                                            .object([
                                                ("id", .int(lead.id)), ("company", .string(lead.company)),
                                                ("given_at", .of(lead.givenAt)), ("deadline", .of(lead.deadline)),
                                                ("missed", .bool(lead.isMissed)),
                                            ])
                                        }
                                    )
                                ),
                            ])
                        }
                    )
                )
                return
            }
            let horizon = session.now.addingTimeInterval(TimeInterval(ruleset.reclaim.warnDays) * 86_400)
            guard !groups.isEmpty else {
                session.output.print("No lead goes back to the pool by \(session.time(horizon)) (warn-days \(ruleset.reclaim.warnDays)).")
                return
            }
            var text =
                "\(warnings.count) lead(s) go back to the pool by \(session.time(horizon)) unless worked (warn-days \(ruleset.reclaim.warnDays))"
            if let policy = ruleset.firstTouch {
                text += "; \(firstTouch.count) first touch(es) due within \(policy.warnBefore) or missed (within \(policy.within))"
            }
            text += ":\n"
            for (group, rep) in zip(groups, reps) {
                let who = [rep?.name, rep?.email.map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ")
                text += "\n\(group.owner)\(who.isEmpty ? "" : " — " + who): \(group.leads.count + group.firstTouch.count) lead(s)\n"
                var table = Table([("ID", .right), ("COMPANY", .left), ("RECLAIM AT", .left), ("REASON", .left)])
                for lead in group.leads {
                    table.add([String(lead.id), Terminal.clip(lead.company, to: 28), session.time(lead.at), lead.verdict.reason])
                }
                let clock = rep.map { ruleset.clock(of: $0) } ?? ruleset.clock
                for lead in group.firstTouch {
                    let deadline = lead.deadline.map { clock.time($0) } ?? "-"
                    table.add([
                        String(lead.id), Terminal.clip(lead.company, to: 28), deadline,
                        lead.isMissed ? "first touch missed (escalated by the next reclaim)" : "first touch due",
                    ])
                }
                text +=
                    table.render(bold: session.output.styled, width: session.output.width.map { $0 - 2 }).split(separator: "\n").map { "  " + $0 }
                    .joined(separator: "\n") + "\n"
            }
            session.output.print(text)
        }
    }
}
