import Foundation
import LeadPoolCore
import LeadPoolStorage

// MARK: - LeadStorage: first touch, notify, pool budgets

extension PostgresStore {
    /// Empty without `first-touch:` (as on SQLite); a rules file with it is refused on
    /// PostgreSQL for now, so a stored ruleset never has one.
    public func firstTouchStandings(_ ruleset: Ruleset, at now: Date, pools: [String]?, owner: String?) throws -> [FirstTouchStanding] {
        guard ruleset.firstTouch == nil else { throw Self.notYet("first-touch deadlines") }
        return []
    }

    /// Empty without `first-touch:` (as on SQLite); see ``firstTouchStandings(_:at:pools:owner:)``.
    public func firstTouchEscalations(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [FirstTouchEscalated] {
        guard ruleset.firstTouch == nil else { throw Self.notYet("first-touch escalations") }
        return []
    }

    public func digests(_ ruleset: Ruleset, at now: Date) throws -> [Digest] {
        throw Self.notYet("notify")
    }

    public func whileNotifying<T>(_ body: () throws -> T) throws -> T {
        throw Self.notYet("notify")
    }

    public func recordNotified(_ handle: String, keys: [String], at now: Date) throws {
        throw Self.notYet("notify")
    }

    /// Empty while no pool has claim limits for `rep`, which holds on PostgreSQL as long as a
    /// rules file with `pools:` is refused there.
    public func poolBudgets(for rep: Rep, at now: Date) throws -> [PoolBudget] {
        let limited = try claimPolicy().limitedPools(visibleTo: rep)
        guard limited.isEmpty else { throw Self.notYet("pool claim limits") }
        return []
    }
}
