import Foundation
import LeadPoolCore

// MARK: - The decisions every backend's claim runs

/// The pool budgets one claim transaction checks, each read the first time a lead of its pool
/// needs it (only pools with claim limits have one), then kept up to date as leads are taken.
package struct PoolBudgets {
    private var budgets: [String: PoolBudget] = [:]

    package init() {}

    /// Why a claim of a lead of `pool` is refused by the pool's limits, or nil; `read` gives the
    /// rep's standing in the pool when it is first needed.
    package mutating func refusal(_ pool: Ruleset.Pool, read: (Ruleset.Pool) throws -> PoolBudget) rethrows -> String? {
        guard PoolBudget.isLimited(pool) else { return nil }
        if budgets[pool.name] == nil { budgets[pool.name] = try read(pool) }
        return budgets[pool.name]?.refusal
    }

    package mutating func take(_ pool: String) { budgets[pool]?.take() }
}

/// `claim --next`: picks, from the pool leads the store reads best first, the ones `rep` may
/// take now, up to `want`. Leads still waiting to open, or of a pool whose limits are reached,
/// are passed over: a later lead of another pool may still be claimed.
package struct NextClaims {
    package let policy: ClaimPolicy
    package let rep: Rep
    package let now: Date
    package let want: Int
    /// The leads to take, best first.
    package private(set) var candidates: [Lead] = []
    private var pools = PoolBudgets()
    private var poolStop: String?
    private var firstOpening: Date?
    private var full: Set<String> = []

    package init(policy: ClaimPolicy, rep: Rep, now: Date, want: Int) {
        self.policy = policy
        self.rep = rep
        self.now = now
        self.want = want
    }

    /// The leads `claim --next` reads, best first: the pool leads `query` selects, in the pools
    /// `policy` lets `rep` claim from (of those, the ones the query names), unlimited.
    package static func query(_ query: LeadQuery, for rep: Rep, policy: ClaimPolicy) -> LeadQuery {
        var query = query
        query.ownership = .pooled
        query.sort = .score
        query.limit = nil
        let visible = policy.pools(visibleTo: rep)
        query.pools = query.pools.map { wanted in visible.filter(wanted.contains) } ?? visible
        return query
    }

    /// Enough candidates: the store reads no further.
    package var isComplete: Bool { candidates.count >= want }

    /// Looks at the next lead in order; `read` gives the rep's standing in a limited pool.
    package mutating func consider(_ lead: Lead, read: (Ruleset.Pool) throws -> PoolBudget) rethrows {
        guard !isComplete, !full.contains(lead.pool) else { return }
        if let refusal = policy.poolRefusal(of: lead, by: rep, at: now) {
            if case .waiting = refusal, let opens = policy.pool(named: lead.pool)?.opening(of: lead, at: now) {
                firstOpening = min(firstOpening ?? opens, opens)
            }
            return
        }
        if let pool = policy.pool(named: lead.pool), PoolBudget.isLimited(pool) {
            if let reason = try pools.refusal(pool, read: read) {
                full.insert(pool.name)
                poolStop = poolStop ?? reason
                return
            }
            pools.take(pool.name)
        }
        candidates.append(lead)
    }

    /// What stopped the claim short of what was asked: the rep's own limits, a pool's, leads
    /// still waiting to open, or no more leads.
    package func stop(after budget: ClaimBudget) -> String {
        let waiting = firstOpening.map {
            "the matching leads left wait in their pool (claimable-after); the first opens at \(policy.clock(of: rep).time($0))"
        }
        return budget.refusal ?? poolStop ?? waiting ?? ClaimBudget.noMoreLeads
    }
}
