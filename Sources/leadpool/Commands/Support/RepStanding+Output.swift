import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension RepStanding {
    /// The rep as JSON; away dates are the rep's local dates (`team`: the ruleset's zone, for a
    /// rep without their own), other times UTC.
    func json(team: TeamClock) -> JSON {
        let clock = rep.clock(team: team)
        return .object([
            ("handle", .string(rep.handle)),
            ("name", .string(rep.name)),
            ("email", .of(rep.email)),
            ("team", .of(rep.team)),
            ("role", .string(rep.role.rawValue)),
            ("capacity", .of(rep.capacity)),
            ("daily_limit", .of(rep.dailyLimit)),
            ("weight", .of(rep.weight)),
            ("territories", .of(rep.territories)),
            ("timezone", .of(rep.timeZone)),
            ("working_hours", .of(rep.workingHours?.description)),
            ("active", .bool(rep.active)),
            ("away_from", .of(rep.awayFrom.map(clock.firstDay))),
            ("away_until", .of(rep.awayUntil.map(clock.lastDay))),
            ("created_at", .of(rep.createdAt)),
            ("held", .of(held)),
        ])
    }

    /// "active", "inactive", or "away through 2026-12-01" (the rep's local dates).
    func state(at now: Date, team: TeamClock) -> String {
        let clock = rep.clock(team: team)
        if !rep.active { return "inactive" }
        if rep.isAway(at: now) { return rep.awayUntil.map { "away \(clock.until($0))" } ?? "away" }
        if let from = rep.awayFrom, from > now { return "away from \(clock.isStartOfDay(from) ? clock.date(from) : clock.time(from))" }
        return "active"
    }
}

func show(_ standing: RepStanding, in session: Session) throws {
    let rep = standing.rep
    let ruleset = try session.ruleset()
    let budget = try session.store.claimBudget(for: rep, at: session.now)
    let pools = try session.store.poolBudgets(for: rep, at: session.now)
    let clock = ruleset.clock(of: rep)
    let hours = ruleset.workingHours(of: rep)
    if session.output.json {
        guard case .object(let fields) = standing.json(team: ruleset.clock) else { return }
        session.output.print(
            JSON.object(
                fields + [
                    ("effective_capacity", .of(budget.capacity)), ("effective_daily_limit", .of(budget.dailyLimit)),
                    ("claimed_today", .of(budget.claimedToday)), ("can_claim", .of(budget.room == .max ? nil : budget.room)),
                    ("effective_timezone", .string(clock.name)), ("effective_working_hours", .of(hours.isAlways ? nil : hours.description)),
                    ("working_now", .bool(hours.contains(session.now, on: clock))),
                    (
                        "pool_limits",
                        .array(
                            pools.map { pool in
                                .object([
                                    ("pool", .string(pool.pool)), ("held", .of(pool.held)), ("capacity", .of(pool.capacity)),
                                    ("claimed_today", .of(pool.claimedToday)), ("daily_limit", .of(pool.dailyLimit)),
                                    ("can_claim", .of(pool.room == .max ? nil : pool.room)),
                                ])
                            }
                        )
                    ),
                ]
            )
        )
        return
    }
    func limit(_ own: Int?, _ effective: Int?) -> String {
        let value = effective.map(String.init) ?? "unlimited"
        return own == nil ? "\(value) (the ruleset's default)" : value
    }
    let hoursText = hours.isAlways ? "always (none set)" : hours.description
    let head: [(String, String)] = [
        ("handle", rep.handle),
        ("name", rep.name),
        ("email", rep.email ?? "-"),
        ("team", rep.team ?? "-"),
        ("role", rep.role.rawValue),
        ("state", standing.state(at: session.now, team: ruleset.clock)),
        ("held", "\(standing.held) open or qualified"),
        ("capacity", limit(rep.capacity, budget.capacity)),
        ("daily limit", limit(rep.dailyLimit, budget.dailyLimit)),
        ("claimed today", "\(budget.claimedToday) (\(clock.name) day of \(clock.date(session.now)))"),
        ("can claim", budget.room == .max ? "no limit" : "\(budget.room) more \(budget.refusal.map { "(\($0))" } ?? "now")"),
    ]
    let poolLines: [(String, String)] = pools.map { ("pool \($0.pool)", LeadPool.Mine.summary($0)) }
    let tail: [(String, String)] = [
        ("weight", String(rep.weight)),
        ("territories", rep.territories.isEmpty ? "-" : rep.territories.joined(separator: ",")),
        ("time zone", "\(clock.name) (\(clock.offset(at: session.now)))" + (rep.timeZone == nil ? " (the ruleset's)" : "")),
        (
            "working hours",
            hoursText + (rep.workingHours == nil && !hours.isAlways ? " (the ruleset's)" : "")
                + (hours.isAlways ? "" : hours.contains(session.now, on: clock) ? ", working now" : ", outside them now")
        ),
        (
            "away",
            rep.awayFrom == nil && rep.awayUntil == nil
                ? "-" : "\(rep.awayFrom.map(clock.firstDay) ?? "…") \(rep.awayUntil.map(clock.until) ?? "until …")"
        ),
        ("added", session.time(rep.createdAt)),
    ]
    session.output.print(fields: head + poolLines + tail)
}
