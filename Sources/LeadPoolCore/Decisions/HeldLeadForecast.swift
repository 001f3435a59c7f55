import Foundation

/// A lead its owner holds, with when the nightly reclaim would take it back (`mine`).
public struct HeldLeadForecast: Sendable, Equatable {
    public var lead: Lead
    public var forecast: ReclaimForecast

    public init(lead: Lead, forecast: ReclaimForecast) {
        self.lead = lead
        self.forecast = forecast
    }

    /// When it goes back to the pool if nothing happens to it; nil when exempt or never.
    public var reclaimAt: Date? {
        if case .due(let at, _) = forecast { return at }
        return nil
    }

    /// Whether it goes within the policy's warn-days of `now`.
    public func warned(by policy: Ruleset.ReclaimPolicy, at now: Date) -> Bool {
        reclaimAt.map { $0.timeIntervalSince(now) <= TimeInterval(policy.warnDays) * 86_400 } ?? false
    }
}

extension Ruleset.ReclaimPolicy {
    /// The reclaimable ones of `leads` (open or qualified) with their forecast, soonest
    /// reclaim first (then by id), leads that never go last; `owner`'s days away do not count.
    public func forecasts(for leads: [Lead], ownerActive: Bool, owner: Rep? = nil, in context: ConditionContext) -> [HeldLeadForecast] {
        leads.filter { Self.reclaimableStatuses.contains($0.status) }
            .map { HeldLeadForecast(lead: $0, forecast: forecast(for: $0, ownerActive: ownerActive, owner: owner, in: context)) }
            .sorted { a, b in
                switch (a.reclaimAt, b.reclaimAt) {
                case let (x?, y?): x != y ? x < y : a.lead.id < b.lead.id
                case (.some, nil): true
                case (nil, .some): false
                case (nil, nil): a.lead.id < b.lead.id
                }
            }
    }
}

/// What `mine` shows a rep: the leads it holds with their reclaim forecast, its claim budget
/// and the reclaim policy the forecast follows, read at one moment.
public struct HeldLeads: Sendable, Equatable {
    public var leads: [HeldLeadForecast]
    public var budget: ClaimBudget
    public var policy: Ruleset.ReclaimPolicy
    /// The rep's standing in each pool with claim limits it is a member of.
    public var pools: [PoolBudget]

    public init(leads: [HeldLeadForecast], budget: ClaimBudget, policy: Ruleset.ReclaimPolicy, pools: [PoolBudget] = []) {
        self.leads = leads
        self.budget = budget
        self.policy = policy
        self.pools = pools
    }
}
