import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

extension PostgresSQL {
    /// Puts `lead` into the move's pool with its `moved` event.
    func move(_ lead: Lead, with move: LeadMove, actor: String, at now: Date, roundID: Int64? = nil, rule: String? = nil, login: String) throws {
        try execute("UPDATE leads SET pool = \(move.pool.name), moved_at = \(now.storedSeconds) WHERE id = \(lead.id)")
        try record(move.event(for: lead, actor: actor, at: now, roundID: roundID, rule: rule), by: login)
    }
}

// MARK: - LeadStorage: pools

extension PostgresStore {
    /// Moves each lead into `pool` or refuses it with the reason, in one transaction; each lead
    /// is locked before it is decided on.
    public func move(_ ids: [Int64], toPool pool: String, by actor: Rep, at now: Date) throws -> [LeadOutcome] {
        try transaction { sql in
            let ruleset = try sql.currentRuleset()?.ruleset ?? .standard
            let move = LeadMove(to: try ruleset.requirePool(pool))
            try sql.lockLeads(ids)
            return try ids.map { id in
                guard let lead = try sql.lead(id, locked: true) else { return LeadOutcome(leadID: id, result: .notFound) }
                if let unmoved = move.unmoved(lead, in: ruleset, by: actor) { return unmoved }
                try sql.move(lead, with: move, actor: actor.handle, at: now, login: login)
                return LeadOutcome(leadID: id, result: .done)
            }
        }
    }

    public func poolBudgets(for rep: Rep, at now: Date) throws -> [PoolBudget] {
        try transaction(readOnly: true) { try $0.poolBudgets(of: rep, policy: try $0.claimPolicy(), now: now) }
    }
}
