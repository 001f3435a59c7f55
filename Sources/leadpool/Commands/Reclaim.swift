import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadPool {
    struct Reclaim: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "reclaim",
            abstract: "Return stale leads to the pool (nightly, from cron), or list those about to go.",
            discussion: """
                Owned open or qualified leads go back to the pool when idle for the rules file's \
                no-activity-days or held for max-hold-days (the first matching override's limits), \
                unless `exempt` holds; every such lead of a deactivated rep goes too. The previous \
                owner may not claim a lead back for cooldown-days. \
                Prints one summary line for cron logs; --quiet prints nothing on success. \
                A second run while one is going refuses with exit 75.
                """)
        static let access = Access.admin
        var writes: Bool { !(dryRun || warn) }

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Show what would be reclaimed now; write nothing.")
        var dryRun = false

        @Flag(help: "List leads that will be reclaimed within warn-days, by owner, for reminder mails; write nothing.")
        var warn = false

        @Flag(help: "Print nothing on success (errors still go to stderr).")
        var quiet = false

        func validate() throws {
            if dryRun, warn { throw ValidationError("--warn writes nothing already: drop --dry-run") }
        }

        func run(in session: Session) throws {
            let ruleset = try session.ruleset()
            if warn { return try printWarnings(try session.store.reclaimWarnings(ruleset, at: session.now), ruleset, in: session) }
            let started = Date()
            let leads: [ReclaimedLead]
            var skipped = 0
            if dryRun {
                leads = try session.store.reclaimCandidates(ruleset, at: session.now)
            } else {
                var bar: Progress?
                let result = try session.store.reclaim(ruleset, at: session.now, runBy: session.actor.handle) { done, total in
                    if bar == nil { bar = Progress("reclaim", total: total) }
                    bar?.update(done, detail: "\(done)/\(total)")
                }
                bar?.finish()
                leads = result.reclaimed
                skipped = result.skipped
            }
            guard !quiet else { return }
            let seconds = Date().timeIntervalSince(started)
            let counts = ReclaimCause.allCases.map { cause in (cause, leads.count { $0.verdict.cause == cause }) }
            if session.output.json {
                session.output.print(JSON.object([
                    ("now", .of(session.now)),
                    ("dry_run", .bool(dryRun)),
                    ("reclaimed", .of(leads.count)),
                    ("by_cause", .object(counts.map { ($0.0.rawValue, .of($0.1)) })),
                    ("skipped", .of(skipped)),
                    ("seconds", .number((seconds * 1000).rounded() / 1000)),
                    ("leads", .array(leads.map { lead in
                        .object([
                            ("id", .int(lead.id)), ("company", .string(lead.company)), ("owner", .string(lead.owner)),
                            ("cause", .string(lead.verdict.cause.rawValue)), ("reason", .string(lead.verdict.reason)),
                        ])
                    })),
                ]))
                return
            }
            let breakdown = counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.label)" }.joined(separator: ", ")
            var line = "reclaim \(Timestamp.string(session.now))\(dryRun ? " (dry run)" : ""): "
            line += "\(leads.count) \(dryRun ? "would be reclaimed" : "reclaimed")"
            if !breakdown.isEmpty { line += " (\(breakdown))" }
            if skipped > 0 { line += ", \(skipped) skipped (changed meanwhile)" }
            line += " in " + String(format: "%.1f s", seconds)
            if dryRun, !leads.isEmpty {
                var table = Table([("ID", .right), ("COMPANY", .left), ("OWNER", .left), ("REASON", .left)])
                for lead in leads {
                    table.add([String(lead.id), LeadPresenter.clip(lead.company, 28), lead.owner, lead.verdict.reason])
                }
                session.output.print(table)
            }
            session.output.print(line)
        }

        private func printWarnings(_ warnings: [ReclaimWarning], _ ruleset: Ruleset, in session: Session) throws {
            guard !quiet else { return }
            var groups: [(owner: String, leads: [ReclaimWarning])] = []
            for warning in warnings {
                if groups.last?.owner == warning.owner { groups[groups.count - 1].leads.append(warning) } else {
                    groups.append((warning.owner, [warning]))
                }
            }
            let reps = try groups.map { try session.store.rep($0.owner) }
            if session.output.json {
                session.output.print(JSON.array(zip(groups, reps).map { group, rep in
                    .object([
                        ("handle", .string(group.owner)), ("name", .of(rep?.name)), ("email", .of(rep?.email)),
                        ("leads", .array(group.leads.map { lead in
                            .object([
                                ("id", .int(lead.id)), ("company", .string(lead.company)),
                                ("reclaim_at", .of(lead.at)), ("reason", .string(lead.verdict.reason)),
                            ])
                        })),
                    ])
                }))
                return
            }
            let horizon = session.now.addingTimeInterval(TimeInterval(ruleset.reclaim.warnDays) * 86_400)
            guard !groups.isEmpty else {
                session.output.print("No lead goes back to the pool by \(Timestamp.string(horizon)) (warn-days \(ruleset.reclaim.warnDays)).")
                return
            }
            var text = "\(warnings.count) lead(s) go back to the pool by \(Timestamp.string(horizon)) unless worked (warn-days \(ruleset.reclaim.warnDays)):\n"
            for (group, rep) in zip(groups, reps) {
                let who = [rep?.name, rep?.email.map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ")
                text += "\n\(group.owner)\(who.isEmpty ? "" : " — " + who): \(group.leads.count) lead(s)\n"
                var table = Table([("ID", .right), ("COMPANY", .left), ("RECLAIM AT", .left), ("REASON", .left)])
                for lead in group.leads {
                    table.add([String(lead.id), LeadPresenter.clip(lead.company, 28), Timestamp.string(lead.at), lead.verdict.reason])
                }
                text += table.render(bold: session.output.styled, width: session.output.width.map { $0 - 2 }).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
            session.output.print(text)
        }
    }

    struct Mine: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "mine",
            abstract: "Your open and qualified leads with idle and held days, and when each would be reclaimed.",
            discussion: "Soonest first; `!` marks leads reclaimed within warn-days unless you log activity (leadpool touch ID).")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        /// One row of `mine`.
        private struct Row {
            var lead: Lead
            var forecast: ReclaimForecast
            var reclaimAt: Date? {
                if case .due(let at, _) = forecast { return at }
                return nil
            }
        }

        func run(in session: Session) throws {
            let ruleset = try session.ruleset()
            let policy = ruleset.reclaim
            let context = ruleset.conditionContext(now: session.now)
            let now = session.now
            let rows = try session.store.leads(LeadQuery(ownership: .ownedBy(session.actor.handle)), now: now)
                .filter { Ruleset.ReclaimPolicy.reclaimableStatuses.contains($0.status) }
                .map { Row(lead: $0, forecast: policy.forecast(for: $0, ownerActive: session.actor.active, in: context)) }
                .sorted { a, b in
                    switch (a.reclaimAt, b.reclaimAt) {
                    case let (x?, y?): x != y ? x < y : a.lead.id < b.lead.id
                    case (.some, nil): true
                    case (nil, .some): false
                    case (nil, nil): a.lead.id < b.lead.id
                    }
                }
            // Whole days left, rounded down like the idle and held days beside them.
            // Bounded first: a rules file's day limits may put a reclaim date beyond what Int holds.
            func daysLeft(_ at: Date) -> Int { Int(min(max(0, (at.timeIntervalSince(now) / 86_400).rounded(.down)), 1e15)) }
            func warned(_ row: Row) -> Bool {
                row.reclaimAt.map { $0.timeIntervalSince(now) <= TimeInterval(policy.warnDays) * 86_400 } ?? false
            }
            if session.output.json {
                session.output.print(JSON.array(rows.map { row in
                    let reason: String? = if case .due(_, let verdict) = row.forecast { verdict.reason } else { nil }
                    return .object([
                        ("id", .int(row.lead.id)), ("company", .string(row.lead.company)), ("score", .of(row.lead.score)),
                        ("tier", .of(row.lead.tier)), ("status", .string(row.lead.status.rawValue)),
                        ("idle_days", .of(row.lead.idleDays(at: now))), ("held_days", .of(row.lead.heldDays(at: now))),
                        ("exempt", .bool(row.forecast == .exempt)), ("reclaim_at", .of(row.reclaimAt)),
                        ("days_left", .of(row.reclaimAt.map(daysLeft))), ("warn", .bool(warned(row))), ("reason", .of(reason)),
                    ])
                }))
                return
            }
            let summary = Self.summary(try session.store.claimBudget(for: session.actor, policy: try session.claimPolicy(), at: now))
            guard !rows.isEmpty else {
                session.output.print("You hold no open or qualified leads.")
                session.output.print(summary)
                return
            }
            var table = Table([
                ("", .left), ("ID", .right), ("COMPANY", .left), ("SCORE", .right), ("TIER", .left), ("STATUS", .left),
                ("IDLE", .right), ("HELD", .right), ("RECLAIM AT", .fixed), ("LEFT", .right), ("WHY", .left),
            ], optional: ["STATUS", "HELD", "TIER"])
            for row in rows {
                let lead = row.lead
                var cells = [
                    warned(row) ? "!" : "", String(lead.id), LeadPresenter.clip(lead.company, 28), String(lead.score),
                    lead.tier ?? "-", lead.status.rawValue, "\(lead.idleDays(at: now))d", lead.heldDays(at: now).map { "\($0)d" } ?? "-",
                ]
                switch row.forecast {
                case .due(let at, let verdict): cells += [Timestamp.string(at), Timestamp.span(at.timeIntervalSince(now)), verdict.reason]
                case .exempt: cells += ["exempt", "-", policy.exemptText.map { "exempt: " + $0 } ?? "exempt"]
                case .never: cells += ["-", "-", ""]
                }
                table.add(cells)
            }
            session.output.print(table)
            session.output.print(summary)
            let soon = rows.filter(warned).count
            if soon > 0 {
                session.output.note("! \(soon) lead(s) go back to the pool within \(policy.warnDays) day(s) unless you log activity (leadpool touch ID)")
            }
        }

        /// "Holding 12 of 40; claimed 3 of 10 today, 7 more possible."
        static func summary(_ budget: ClaimBudget) -> String {
            let holding = "Holding \(budget.held)" + (budget.capacity.map { " of \($0)" } ?? "")
            let today = "claimed \(budget.claimedToday)" + (budget.dailyLimit.map { " of \($0)" } ?? "") + " today"
            let more = budget.room == .max ? "no limit on more" : "\(budget.room) more possible"
            return "\(holding); \(today), \(more)."
        }
    }
}
