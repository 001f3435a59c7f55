import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

/// The SQLite store is a ``LeadStorage``: most of its methods are the protocol's as they
/// stand; the use cases that take several steps are here, each one transaction.
extension Store: LeadStorage {
    public func importLeads(
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
    ) throws -> ImportSummary {
        try importLeads(
            file: file,
            source: source,
            pool: pool,
            policy: policy,
            dryRun: dryRun,
            keepGoodRows: keepGoodRows,
            recordDuplicates: recordDuplicates,
            actor: actor,
            at: now,
            expectedRows: expectedRows,
            keyLimits: ImportKeys.Limits(),
            { try body($0) }
        )
    }

    public func reclaim(
        _ ruleset: Ruleset,
        at now: Date,
        pools: [String]?,
        runBy: String,
        progress: (Int, Int) -> Void
    ) throws -> ReclaimResult {
        try reclaim(ruleset, at: now, pools: pools, runBy: runBy, batchSize: Store.reclaimBatchSize, progress: progress)
    }

    public func deactivate(_ handle: String, leads: DeactivatedLeads, by actor: Rep, at now: Date) throws -> Deactivation {
        let reason = "rep \(handle) deactivated"
        return try write { db in
            // The receiver first, so a bad handle leaves all as it was.
            if case .transfer(let receiver) = leads {
                guard try Store.requireRep(db, handle: receiver).active else {
                    throw LeadPoolError.refused("'\(receiver)' is deactivated too")
                }
            }
            let rep = try Store.requireRep(db, handle: handle)
            try Store.keepAnAdmin(db, losing: rep)
            try db.execute(sql: "UPDATE reps SET active = 0 WHERE handle = ?", arguments: [handle])
            let held = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM leads WHERE owner = ? AND \(Store.held) ORDER BY id",
                arguments: [handle]
            )
            var outcomes: [LeadOutcome] = []
            if !held.isEmpty {
                switch leads {
                case .keep: break
                case .release: outcomes = try perform(db, .release(reason: reason), on: held, by: actor, at: now)
                case .transfer(let receiver):
                    outcomes = try transfer(db, held, to: LeadTransfer(to: receiver), reason: reason, actor: actor.handle, at: now)
                }
            }
            return Deactivation(wasActive: rep.active, held: held, outcomes: outcomes)
        }
    }

    public func runRound(
        scope: RoundScope,
        dryRun: Bool,
        actor: String,
        at now: Date,
        progress: (Int, Int) -> Void
    ) throws -> RoundRun {
        let input = try roundInput(scope: scope, at: now)
        let plan = try input.plan(at: now)
        guard !dryRun else { return RoundRun(input: input, plan: plan, written: nil) }
        let written = try writeRound(
            plan,
            input: input,
            scope: scope,
            actor: actor,
            at: now,
            progress: { progress($0, plan.assignments.count) }
        )
        return RoundRun(input: input, plan: plan, written: written)
    }
}

extension LeadImport: ImportSession {}
