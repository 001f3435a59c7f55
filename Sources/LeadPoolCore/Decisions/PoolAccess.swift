import Foundation

// MARK: - Membership and admin rights

extension Ruleset.Pool {
    /// Whether `rep` may see and claim this pool's leads: a global admin, one of its admins,
    /// or a member (everyone when `members` is empty).
    public func admits(_ rep: Rep) -> Bool {
        if members.isEmpty || isAdministered(by: rep) { return true }
        return members.contains { target in
            switch target {
            case .team(let team): rep.team == team
            case .rep(let handle): rep.handle == handle
            }
        }
    }

    /// Whether `rep` may assign, transfer, move and reclaim this pool's leads: a global admin
    /// or one of the pool's `admins`.
    public func isAdministered(by rep: Rep) -> Bool {
        rep.role == .admin || admins.contains(rep.handle)
    }

    /// Why `rep` may not see or claim this pool's leads, for a refusal (exit 77); nil when it may.
    public func denial(to rep: Rep) -> String? {
        guard !admits(rep) else { return nil }
        return "pool \(name) is for its members (\(members.map(\.description).joined(separator: ", "))); you are not one"
    }

    /// When `lead`, in this pool, may be claimed, if it is still inside the pool's
    /// `claimable-after` waiting period at `now`.
    public func opening(of lead: Lead, at now: Date) -> Date? {
        guard let wait = claimableAfter, wait > 0 else { return nil }
        let opens = lead.pooledSince.addingTimeInterval(wait)
        return now < opens ? opens : nil
    }
}

extension Ruleset {
    /// Why `actor` may not act as an admin (`transfer`) on `lead`, or nil: a global admin may on
    /// every lead, a pool's admin on the leads of that pool.
    public func administrationDenial(of lead: Lead, by actor: Rep, verb: String) -> String? {
        guard actor.role != .admin else { return nil }
        return pool(named: lead.pool)?.isAdministered(by: actor) == true ? nil : "not yours to \(verb): you are not an admin of pool \(lead.pool)"
    }

    /// The pools an admin command (`assign`, `reclaim`) given `--pool` for each of `pools` may
    /// act on, without repeats; nil (every pool) when none is given, which only a global admin
    /// may do.
    ///
    /// - Throws: `notFound` (66) for a pool the file does not list; `permission` (77) naming
    ///   the first pool `actor` does not administer, or for a rep giving no pool.
    public func administeredPools(_ pools: [String], by actor: Rep, command: String) throws -> [String]? {
        guard !pools.isEmpty else {
            guard actor.role == .admin else {
                throw LeadPoolError.permission(
                    "this command is for admins; '\(actor.handle)' is a rep",
                    hint: "ask an admin; a pool's admins run it for their pool: `leadpool \(command) --pool POOL`"
                )
            }
            return nil
        }
        var names: [String] = []
        for name in pools {
            let pool = try requirePool(name)
            guard pool.isAdministered(by: actor) else {
                throw LeadPoolError.permission("\(command) --pool \(pool.name) is for admins and the admins of pool \(pool.name)")
            }
            if !names.contains(pool.name) { names.append(pool.name) }
        }
        return names
    }

    /// Whether `rep` keeps any pool (a global admin, or one of some pool's `admins`).
    public func administersAPool(_ rep: Rep) -> Bool {
        rep.role == .admin || pools.contains { $0.admins.contains(rep.handle) }
    }
}

// MARK: - Claim limits

/// A rep's standing against one pool's `claim:` limits: leads of the pool it holds, claims from
/// it during the rep's local day, and the limits (nil = none). Applies on top of the rep's own
/// ``ClaimBudget``.
public struct PoolBudget: Sendable, Equatable {
    public let pool: String
    public var held: Int
    public var claimedToday: Int
    public let capacity: Int?
    public let dailyLimit: Int?

    public init(pool: String, held: Int, claimedToday: Int, capacity: Int?, dailyLimit: Int?) {
        self.pool = pool
        self.held = held
        self.claimedToday = claimedToday
        self.capacity = capacity
        self.dailyLimit = dailyLimit
    }

    /// Whether the pool limits claims at all (counting is needed only then).
    public static func isLimited(_ pool: Ruleset.Pool) -> Bool { pool.capacity != nil || pool.dailyLimit != nil }

    /// Why one more claim from the pool is refused, or nil.
    public var refusal: String? {
        if let capacity, held >= capacity {
            return "pool \(pool)'s capacity: you hold \(held) of \(capacity) leads from \(pool)"
        }
        if let dailyLimit, claimedToday >= dailyLimit {
            return "pool \(pool)'s daily limit: you claimed \(claimedToday) of \(dailyLimit) from \(pool) today"
        }
        return nil
    }

    /// How many more claims from the pool fit (never below 0; `Int.max` when nothing limits).
    public var room: Int {
        max(0, min(capacity.map { $0 - held } ?? .max, dailyLimit.map { $0 - claimedToday } ?? .max))
    }

    /// The budget after one more claim.
    public mutating func take() {
        held += 1
        claimedToday += 1
    }
}

// MARK: - A claim's pool checks

/// Why a claim is refused for the lead's pool rather than the lead or the rep's limits.
public enum PoolRefusal: Sendable, Equatable {
    /// The rep is not a member of the pool (exit 77).
    case denied(String)
    /// The lead is inside the pool's waiting period (exit 1).
    case waiting(String)

    /// What a claim of lead `id` comes to: denied or refused with the reason.
    public func outcome(for id: Int64) -> LeadOutcome {
        switch self {
        case .denied(let reason): LeadOutcome(leadID: id, result: .denied(reason))
        case .waiting(let reason): LeadOutcome(leadID: id, result: .refused(reason))
        }
    }
}

extension ClaimPolicy {
    /// The pool named `name` under the ruleset in force (`main` always exists); nil for a pool
    /// no longer in the rules file.
    public func pool(named name: String) -> Ruleset.Pool? { Ruleset.Pool.named(name, in: pools) }

    /// The pools `rep` may see and claim from.
    public func pools(visibleTo rep: Rep) -> [String] { Ruleset.Pool.names(of: pools, visibleTo: rep) }

    /// The pools with `claim:` limits that `rep` is a member of, in the file's order: those
    /// whose standing `mine` and `rep show` give.
    public func limitedPools(visibleTo rep: Rep) -> [Ruleset.Pool] {
        pools.filter { PoolBudget.isLimited($0) && $0.admits(rep) }
    }

    /// Why `rep` may not claim `lead` because of its pool, or nil: not a member (a pool the
    /// rules file no longer lists admits only admins), or still waiting to open.
    public func poolRefusal(of lead: Lead, by rep: Rep, at now: Date) -> PoolRefusal? {
        guard let pool = pool(named: lead.pool) else {
            return rep.role == .admin ? nil : .denied("pool \(lead.pool) is not in the rules file; only admins may take its leads")
        }
        if let denial = pool.denial(to: rep) { return .denied(denial) }
        if let opens = pool.opening(of: lead, at: now) {
            return .waiting(
                "waiting: pool \(pool.name) holds new leads for \(Ruleset.durationText(pool.claimableAfter ?? 0)); it opens at \(clock(of: rep).time(opens))"
            )
        }
        return nil
    }
}

// MARK: - Moving leads between pools

/// Moving leads into another pool (`lead move ID… --pool P`, a rule `to: pool:P`).
///
/// A lead keeps its owner and status: only the pool it belongs to changes, which decides who
/// may claim it once it is back in the pool and where a reclaim returns it.
public struct LeadMove: Sendable, Equatable {
    /// The pool the leads go to.
    public var pool: Ruleset.Pool

    public init(to pool: Ruleset.Pool) {
        self.pool = pool
    }

    /// Why `actor` may not move `lead`, currently in `from` (nil: a pool the rules file no
    /// longer lists), into ``pool``: they must administer both pools (a global admin does).
    public func denial(of lead: Lead, from: Ruleset.Pool?, by actor: Rep) -> String? {
        guard actor.role != .admin else { return nil }
        guard let from, from.isAdministered(by: actor) else { return "not yours to move: you are not an admin of pool \(lead.pool)" }
        guard pool.isAdministered(by: actor) else { return "not yours to move: you are not an admin of pool \(pool.name)" }
        return nil
    }

    /// Why `lead` is not moved (it is in the pool already), or nil.
    public func refusal(of lead: Lead) -> String? {
        lead.pool == pool.name ? "already in pool \(pool.name)" : nil
    }

    /// Why `lead` is not moved by `actor` under `ruleset` (denied or refused), as its outcome,
    /// or nil: move it.
    public func unmoved(_ lead: Lead, in ruleset: Ruleset, by actor: Rep) -> LeadOutcome? {
        if let denial = denial(of: lead, from: ruleset.pool(named: lead.pool), by: actor) {
            return LeadOutcome(leadID: lead.id, result: .denied(denial))
        }
        return refusal(of: lead).map { LeadOutcome(leadID: lead.id, result: .refused($0)) }
    }

    /// The `moved` event for `lead` (as it was before): the pools in its detail.
    public func event(for lead: Lead, actor: String, at now: Date, roundID: Int64? = nil, rule: String? = nil) -> LeadEvent {
        var detail = "{\"from\":"
        JSONText.quote(lead.pool, into: &detail)
        detail += ",\"to\":"
        JSONText.quote(pool.name, into: &detail)
        detail += "}"
        return LeadEvent(leadID: lead.id, at: now, actor: actor, kind: .moved, roundID: roundID, rule: rule, detail: detail)
    }
}
