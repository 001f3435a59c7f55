import Foundation
import LeadPoolCore

/// Where leadpool keeps its reps, leads, events, rulesets and rounds: one method per business
/// transaction, each all-or-nothing, with the refusal rules and limits decided by LeadPoolCore
/// inside the transaction (``LeadAction``, ``ClaimPolicy``, ``ClaimBudget``, ``LeadTransfer``,
/// ``LeadReopen``, ``RoundLoad``, ``Routing``, ``Ruleset/ReclaimPolicy``).
///
/// The SQLite store (LeadPoolStore's `Store`) conforms; another backend conforms by passing
/// the conformance suite (Tests/LeadPoolStorageTests). The CLI sees this protocol only, and
/// values of LeadPoolCore and this module: never a database type.
///
/// Errors are `LeadPoolError`s (their kind gives the exit code). Per-lead refusals are
/// ``LeadOutcome``s, not errors, so one call can do some leads and refuse others.
public protocol LeadStorage: Sendable {
    /// Where the data lives (the database file), for messages and so that an output file is
    /// never written over it.
    var path: String { get }

    // MARK: - Reps

    /// The rep with `handle` (exactly), or nil.
    func rep(_ handle: String) throws -> Rep?
    /// The handle of the rep whose handle equals `handle` but for case, if any (for hints).
    func repHandle(ignoringCase handle: String) throws -> String?
    /// Every rep in handle order, with the leads each holds.
    func repStandings() throws -> [RepStanding]
    /// One rep with the leads it holds; `notFound` when there is none.
    func repStanding(_ handle: String) throws -> RepStanding
    /// Adds a rep; refuses a handle that exists, also in another case.
    func addRep(_ rep: Rep) throws
    /// Adds a rep and, in the same transaction, the database login it authenticates as
    /// (`rep add --login`): on PostgreSQL a login role named as the handle. Stores without
    /// database logins refuse (78).
    func addRep(_ rep: Rep, login: DatabaseLogin) throws
    /// Changes the given fields; refuses to demote the last active admin.
    @discardableResult func updateRep(_ handle: String, _ changes: RepChanges) throws -> Rep
    /// Sets (or with nils, clears) a rep's away window.
    @discardableResult func setAway(_ handle: String, from: Date?, until: Date?) throws -> Rep
    /// Activates or deactivates a rep; refuses to deactivate the last active admin.
    @discardableResult func setActive(_ handle: String, _ active: Bool) throws -> Rep
    /// Deactivates a rep and, in the same transaction, releases or transfers the leads it
    /// holds (`rep deactivate [--release | --transfer-to H]`).
    func deactivate(_ handle: String, leads: DeactivatedLeads, by actor: Rep, at now: Date) throws -> Deactivation

    // MARK: - Claims and work

    /// Capacity, daily-limit and cooldown defaults from the ruleset in force.
    func claimPolicy() throws -> ClaimPolicy
    /// What `rep` holds and claimed today against its effective limits.
    func claimBudget(for rep: Rep, at now: Date) throws -> ClaimBudget
    /// What `rep` holds from and claimed today from each pool with claim limits it is a member
    /// of, against those limits (``ClaimPolicy/limitedPools(visibleTo:)``), in one snapshot.
    func poolBudgets(for rep: Rep, at now: Date) throws -> [PoolBudget]
    /// Claims each lead or refuses it with the reason (owned, closed, cooldown, capacity,
    /// daily limit), the claim policy read in the same transaction.
    func claim(_ ids: [Int64], for rep: Rep, at now: Date) throws -> [LeadOutcome]
    /// Claims the best-scoring pool leads matching `query` that `rep` may take, up to `count`
    /// and its room; with fewer than `count`, what stopped it.
    func claimNext(_ count: Int, matching query: LeadQuery, for rep: Rep, at now: Date) throws -> (claimed: [Int64], stop: String?)
    /// Applies `action` to each lead or refuses it with the reason; one event per lead changed.
    func perform(_ action: LeadAction, on ids: [Int64], by actor: Rep, at now: Date) throws -> [LeadOutcome]
    /// The leads `rep` holds with their reclaim forecast, its budget and the reclaim policy (`mine`).
    func heldLeads(of rep: Rep, at now: Date) throws -> HeldLeads

    // MARK: - An admin's moves

    /// Gives leads to the rep `handle` by hand; one `transferred` event each.
    func transfer(_ ids: [Int64], to handle: String, reason: String?, actor: String, at now: Date) throws -> [LeadOutcome]
    /// Moves leads into the pool `pool` (`lead move`); one `moved` event each. `actor` must be
    /// a global admin or an admin of both pools; owners keep their leads.
    func move(_ ids: [Int64], toPool pool: String, by actor: Rep, at now: Date) throws -> [LeadOutcome]
    /// Reopens converted or disqualified leads, to the pool or to `handle`.
    func reopen(_ ids: [Int64], to handle: String?, actor: String, at now: Date) throws -> [LeadOutcome]

    // MARK: - Rounds

    /// Runs an assignment round: reads the ruleset, reps and pool, plans with the core's
    /// planner and (unless `dryRun`) writes the plan, re-checking capacity as it goes.
    /// `progress` gets the assignments written and their total.
    func runRound(
        scope: RoundScope,
        dryRun: Bool,
        actor: String,
        at now: Date,
        progress: (Int, Int) -> Void
    ) throws -> RoundRun
    /// The most recent rounds, newest first.
    func rounds(limit: Int) throws -> [RoundRecord]
    /// One round; `notFound` when there is none.
    func round(_ id: Int64) throws -> RoundRecord

    // MARK: - Reclaim

    /// The leads due for reclaim at `now` under the ruleset's policy, in id order; writes nothing.
    /// With `pools`, only leads now in one of those pools (`reclaim --pool`), a deactivated
    /// rep's included; nil looks at every pool.
    func reclaimCandidates(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [ReclaimedLead]
    /// Returns the leads due at `now` (of `pools`, nil: every pool) to their pool; `busy` while
    /// another run, of any pools, holds the reclaim.
    func reclaim(_ ruleset: Ruleset, at now: Date, pools: [String]?, runBy: String, progress: (Int, Int) -> Void) throws -> ReclaimResult
    /// Leads (of `pools`, nil: every pool) not due now that will be within the policy's
    /// warn-days; writes nothing.
    func reclaimWarnings(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [ReclaimWarning]
    /// Every lead given to a rep and not touched by them since, that the ruleset's
    /// `first-touch` applies to, with its deadline in the owner's working hours, by owner then
    /// deadline; empty without `first-touch`. With `pools`, only leads now in those pools; with
    /// `owner`, only that rep's leads (`mine`). Writes nothing.
    func firstTouchStandings(_ ruleset: Ruleset, at now: Date, pools: [String]?, owner: String?) throws -> [FirstTouchStanding]
    /// What `reclaim` would do now with the missed first-touch deadlines (of `pools`, nil:
    /// every pool); writes nothing.
    func firstTouchEscalations(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [FirstTouchEscalated]

    // MARK: - Notify

    /// Each active rep's digest at `now`: leads given to them in the last 7 days and still
    /// theirs, first-touch deadlines close or missed, leads taken from them by an escalation
    /// in the last 7 days, and leads due for reclaim within warn-days; less every item
    /// already recorded as mailed to them. Reps with nothing new are left out; writes nothing.
    func digests(_ ruleset: Ruleset, at now: Date) throws -> [Digest]
    /// Runs `body` (a `notify` run: read the digests, send, record) while no other `notify`
    /// runs on this database; `busy` (exit 75) while another one does, so two runs cannot both
    /// send what neither has recorded yet.
    func whileNotifying<T>(_ body: () throws -> T) throws -> T
    /// Records `keys` as mailed to `handle` (after sendmail accepted the mail), so later
    /// digests leave them out.
    func recordNotified(_ handle: String, keys: [String], at now: Date) throws

    // MARK: - Leads

    /// One lead; `notFound` when there is none.
    func lead(_ id: Int64) throws -> Lead
    func leads(_ query: LeadQuery, now: Date) throws -> [Lead]
    /// Calls `body` with each lead `query` selects, without holding them all.
    func forEachLead(_ query: LeadQuery, now: Date, _ body: (Lead) throws -> Void) throws
    func countLeads(_ query: LeadQuery, now: Date) throws -> Int
    /// Adds a lead (scored by the ruleset in force) with its `created` event; returns its id.
    func addLead(_ lead: Lead, actor: String, at now: Date) throws -> Int64
    /// Changes a lead's fields; returns each change as name, old and new text.
    func updateLead(_ id: Int64, _ edit: LeadEdit, by actor: Rep, at now: Date) throws -> [(name: String, old: String?, new: String?)]
    /// Adds (or removes) tags; returns how many leads changed.
    func tag(_ ids: [Int64], _ tags: [String], remove: Bool, actor: String, at now: Date) throws -> Int
    /// A lead's events, oldest first.
    func history(_ id: Int64) throws -> [LeadEvent]
    /// Whether any lead has the custom attribute `name`.
    func hasAttribute(_ name: String) throws -> Bool
    /// The custom attribute names of the leads `query` selects, sorted.
    func attributeNames(_ query: LeadQuery, now: Date) throws -> [String]
    /// Imports the rows `body` hands to the batch, all in one transaction (none of it for a
    /// dry run, or when a row is bad unless `keepGoodRows`). New leads go into `pool`; a
    /// duplicate that updates an existing lead leaves it in its pool.
    func importLeads(
        file: String,
        source: String?,
        pool: String,
        policy: DuplicatePolicy,
        dryRun: Bool,
        keepGoodRows: Bool,
        recordDuplicates: Bool,
        actor: String,
        at now: Date,
        expectedRows: Int,
        _ body: (any LeadImportBatch) throws -> Void
    ) throws -> ImportSummary

    // MARK: - Rules

    /// Stores `ruleset` as the next version and re-scores every lead, in one transaction.
    /// `progress` gets the fraction of the leads re-scored.
    func applyRuleset(
        _ ruleset: Ruleset,
        source: String,
        fileName: String?,
        actor: String,
        at now: Date,
        progress: (Double) -> Void
    ) throws -> AppliedRuleset
    func currentRuleset() throws -> StoredRuleset?
    func ruleset(version: Int64) throws -> StoredRuleset?
    /// Leads per tier among those `query` selects: one count per expected tier, in its order.
    func tierCounts(_ query: LeadQuery, expected: [String], now: Date) throws -> [TierCount]
    /// How many leads match each condition, in all and in the pool.
    func countMatching(_ conditions: [Condition], segments: [String: Condition], now: Date) throws -> [MatchCount]
    /// What applying `ruleset` would give, from its own scores; writes nothing.
    func preview(_ ruleset: Ruleset, now: Date) throws -> RulesetPreview

    // MARK: - Reports and upkeep

    /// The report's sections, read in one snapshot.
    func report(_ sections: [ReportSection], ruleset: Ruleset, now: Date, roundLimit: Int) throws -> Report
    /// Verifies the invariants; at most `limit` problems per check.
    func check(limit: Int) throws -> [CheckResult]
    /// Writes a consistent copy to `through` and moves it to `destination`.
    func backup(to destination: String, through file: String) throws
}

extension LeadStorage {
    public func applyRuleset(_ ruleset: Ruleset, source: String, fileName: String?, actor: String, at now: Date) throws -> AppliedRuleset {
        try applyRuleset(ruleset, source: source, fileName: fileName, actor: actor, at: now, progress: { _ in })
    }

    public func importLeads(
        file: String,
        source: String?,
        pool: String = Ruleset.mainPool,
        policy: DuplicatePolicy,
        dryRun: Bool,
        actor: String,
        at now: Date,
        expectedRows: Int = 0,
        _ body: (any LeadImportBatch) throws -> Void
    ) throws -> ImportSummary {
        try importLeads(
            file: file,
            source: source,
            pool: pool,
            policy: policy,
            dryRun: dryRun,
            keepGoodRows: false,
            recordDuplicates: false,
            actor: actor,
            at: now,
            expectedRows: expectedRows,
            body
        )
    }

    public func runRound(scope: RoundScope, dryRun: Bool, actor: String, at now: Date) throws -> RoundRun {
        try runRound(scope: scope, dryRun: dryRun, actor: actor, at: now, progress: { _, _ in })
    }

    public func reclaim(_ ruleset: Ruleset, at now: Date, pools: [String]? = nil, runBy: String) throws -> ReclaimResult {
        try reclaim(ruleset, at: now, pools: pools, runBy: runBy, progress: { _, _ in })
    }

    public func reclaimCandidates(_ ruleset: Ruleset, at now: Date) throws -> [ReclaimedLead] {
        try reclaimCandidates(ruleset, at: now, pools: nil)
    }

    public func reclaimWarnings(_ ruleset: Ruleset, at now: Date) throws -> [ReclaimWarning] {
        try reclaimWarnings(ruleset, at: now, pools: nil)
    }

    public func tag(_ ids: [Int64], _ tags: [String], actor: String, at now: Date) throws -> Int {
        try tag(ids, tags, remove: false, actor: actor, at: now)
    }

    public func check() throws -> [CheckResult] { try check(limit: 20) }

    public func report(_ sections: [ReportSection], ruleset: Ruleset, now: Date) throws -> Report {
        try report(sections, ruleset: ruleset, now: now, roundLimit: 10)
    }
}
