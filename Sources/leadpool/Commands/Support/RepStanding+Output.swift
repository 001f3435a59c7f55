import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension RepStanding {
    var json: JSON {
        .object([
            ("handle", .string(rep.handle)),
            ("name", .string(rep.name)),
            ("email", .of(rep.email)),
            ("team", .of(rep.team)),
            ("role", .string(rep.role.rawValue)),
            ("capacity", .of(rep.capacity)),
            ("daily_limit", .of(rep.dailyLimit)),
            ("weight", .of(rep.weight)),
            ("territories", .of(rep.territories)),
            ("active", .bool(rep.active)),
            ("away_from", .of(rep.awayFrom.map(Timestamp.firstDay))),
            ("away_until", .of(rep.awayUntil.map(Timestamp.lastDay))),
            ("created_at", .of(rep.createdAt)),
            ("held", .of(held)),
        ])
    }

    /// "active", "inactive", or "away until 2026-12-01".
    func state(at now: Date) -> String {
        if !rep.active { return "inactive" }
        if rep.isAway(at: now) { return rep.awayUntil.map { "away \(Timestamp.until($0))" } ?? "away" }
        if let from = rep.awayFrom, from > now { return "away from \(Timestamp.day(from))" }
        return "active"
    }
}

func show(_ standing: RepStanding, in session: Session) throws {
    let rep = standing.rep
    let budget = try session.store.claimBudget(for: rep, at: session.now)
    if session.output.json {
        guard case .object(let fields) = standing.json else { return }
        session.output.print(JSON.object(fields + [
            ("effective_capacity", .of(budget.capacity)), ("effective_daily_limit", .of(budget.dailyLimit)),
            ("claimed_today", .of(budget.claimedToday)), ("can_claim", .of(budget.room == .max ? nil : budget.room)),
        ]))
        return
    }
    func limit(_ own: Int?, _ effective: Int?) -> String {
        let value = effective.map(String.init) ?? "unlimited"
        return own == nil ? "\(value) (the ruleset's default)" : value
    }
    session.output.print(fields: [
        ("handle", rep.handle),
        ("name", rep.name),
        ("email", rep.email ?? "-"),
        ("team", rep.team ?? "-"),
        ("role", rep.role.rawValue),
        ("state", standing.state(at: session.now)),
        ("held", "\(standing.held) open or qualified"),
        ("capacity", limit(rep.capacity, budget.capacity)),
        ("daily limit", limit(rep.dailyLimit, budget.dailyLimit)),
        ("claimed today", "\(budget.claimedToday) (UTC day of \(Timestamp.day(session.now)))"),
        ("can claim", budget.room == .max ? "no limit" : "\(budget.room) more \(budget.refusal.map { "(\($0))" } ?? "now")"),
        ("weight", String(rep.weight)),
        ("territories", rep.territories.isEmpty ? "-" : rep.territories.joined(separator: ",")),
        ("away", rep.awayFrom == nil && rep.awayUntil == nil
            ? "-" : "\(rep.awayFrom.map(Timestamp.firstDay) ?? "…") \(rep.awayUntil.map(Timestamp.until) ?? "until …")"),
        ("added", Timestamp.string(rep.createdAt)),
    ])
}
