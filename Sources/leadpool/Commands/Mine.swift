import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Mine: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "mine",
            abstract: "Your open and qualified leads with idle and held days, and when each would be reclaimed.",
            discussion: """
                Soonest first; `!` marks leads reclaimed within warn-days unless you log activity \
                (leadpool touch ID). With the rules file's first-touch, the leads given to you and not \
                touched yet are listed with their deadline in your working hours.
                """
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        func run(in session: Session) throws {
            let now = session.now
            let held = try session.store.heldLeads(of: session.actor, at: now)
            let policy = held.policy
            let rows = held.leads
            // Whole days left, rounded down like the idle and held days beside them.
            // Bounded first: a rules file's day limits may put a reclaim date beyond what Int holds.
            func daysLeft(_ at: Date) -> Int { Int(min(max(0, (at.timeIntervalSince(now) / 86_400).rounded(.down)), 1e15)) }
            func warned(_ row: HeldLeadForecast) -> Bool { row.warned(by: policy, at: now) }
            let firstTouches = try session.store.firstTouchStandings(try session.ruleset(), at: now, pools: nil, owner: session.actor.handle)
                .filter { $0.deadline != nil }
            let firstTouchBy = Dictionary(firstTouches.map { ($0.id, $0.deadline) }) { a, _ in a }
            if session.output.json {
                session.output.print(
                    JSON.array(
                        rows.map { row in
                            let reason: String? = if case .due(_, let verdict) = row.forecast { verdict.reason } else { nil }
                            return .object([
                                ("id", .int(row.lead.id)), ("company", .string(row.lead.company)), ("score", .of(row.lead.score)),
                                ("tier", .of(row.lead.tier)), ("status", .string(row.lead.status.rawValue)),
                                ("idle_days", .of(row.lead.idleDays(at: now))), ("held_days", .of(row.lead.heldDays(at: now))),
                                ("exempt", .bool(row.forecast == .exempt)), ("reclaim_at", .of(row.reclaimAt)),
                                ("days_left", .of(row.reclaimAt.map(daysLeft))), ("warn", .bool(warned(row))), ("reason", .of(reason)),
                                ("first_touch_by", .of(firstTouchBy[row.lead.id] ?? nil)),
                            ])
                        }
                    )
                )
                return
            }
            let summary = ([Self.summary(held.budget)] + held.pools.map { "Pool \($0.pool): " + Self.summary($0) }).joined(separator: "\n")
            guard !rows.isEmpty else {
                session.output.print("You hold no open or qualified leads.")
                session.output.print(summary)
                return
            }
            var table = Table(
                [
                    ("", .left), ("ID", .right), ("COMPANY", .left), ("SCORE", .right), ("TIER", .left), ("STATUS", .left),
                    ("IDLE", .right), ("HELD", .right), ("RECLAIM AT", .fixed), ("LEFT", .right), ("WHY", .left),
                ],
                optional: ["STATUS", "HELD", "TIER"]
            )
            for row in rows {
                let lead = row.lead
                var cells = [
                    warned(row) ? "!" : "", String(lead.id), Terminal.clip(lead.company, to: 28), String(lead.score),
                    lead.tier ?? "-", lead.status.rawValue, "\(lead.idleDays(at: now))d", lead.heldDays(at: now).map { "\($0)d" } ?? "-",
                ]
                switch row.forecast {
                case .due(let at, let verdict): cells += [session.time(at), Timestamp.span(at.timeIntervalSince(now)), verdict.reason]
                case .exempt: cells += ["exempt", "-", policy.exemptText.map { "exempt: " + $0 } ?? "exempt"]
                case .never: cells += ["-", "-", ""]
                }
                table.add(cells)
            }
            session.output.print(table)
            session.output.print(summary)
            for standing in firstTouches {
                guard let deadline = standing.deadline else { continue }
                let when =
                    switch standing.status {
                    case .missed: "was due \(session.time(deadline)) (missed)"
                    case .close: "by \(session.time(deadline)) (soon)"
                    default: "by \(session.time(deadline))"
                    }
                session.output.print("First touch: \(standing.id) \(Terminal.clip(standing.company, to: 28)) \(when)")
            }
            let soon = rows.filter(warned).count
            if soon > 0 {
                session.output.note(
                    "! \(soon) lead(s) go back to the pool within \(policy.warnDays) day(s) unless you log activity (leadpool touch ID)"
                )
            }
        }

        /// "Holding 12 of 40; claimed 3 of 10 today, 7 more possible."
        static func summary(_ budget: ClaimBudget) -> String {
            summary(held: budget.held, capacity: budget.capacity, claimed: budget.claimedToday, dailyLimit: budget.dailyLimit, room: budget.room)
        }

        /// "holding 2 of 3; claimed 1 of 2 today, 1 more possible." for one pool's claim limits.
        static func summary(_ budget: PoolBudget) -> String {
            let text = summary(
                held: budget.held,
                capacity: budget.capacity,
                claimed: budget.claimedToday,
                dailyLimit: budget.dailyLimit,
                room: budget.room
            )
            return text.prefix(1).lowercased() + text.dropFirst()
        }

        private static func summary(held: Int, capacity: Int?, claimed: Int, dailyLimit: Int?, room: Int) -> String {
            let holding = "Holding \(held)" + (capacity.map { " of \($0)" } ?? "")
            let today = "claimed \(claimed)" + (dailyLimit.map { " of \($0)" } ?? "") + " today"
            let more = room == .max ? "no limit on more" : "\(room) more possible"
            return "\(holding); \(today), \(more)."
        }
    }
}
