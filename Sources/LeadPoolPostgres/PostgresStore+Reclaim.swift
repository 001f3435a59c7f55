import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

extension PostgresSQL {
    /// The reps with an away window, by handle: reclaim leaves their time away out of idle days.
    func awayReps() throws -> [String: Rep] {
        let reps = try rows(PostgresQuery(unsafeSQL: Rep.postgresSelection + " WHERE away_from IS NOT NULL OR away_until IS NOT NULL"))
            .map(Rep.init(postgres:))
        return Dictionary(reps.map { ($0.handle, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func reclaimCandidates(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [ReclaimedLead] {
        let compiled = try CompiledReclaim(ruleset, at: now, dialect: .postgresql)
        let values = compiled.bindingOrder(.postgresql)
        let inPools = CompiledReclaim.inPools(pools, dialect: .postgresql, firstParameter: values.count + 1)
        let statement = PostgresQuery(
            unsafeSQL: """
                SELECT id, company, owner, pool, created_at, claimed_at, last_activity_at,
                    \(CompiledReclaim.inactiveOwner(.postgresql)) AS inactive, \(compiled.overrideIndex) AS override_index
                FROM \(PostgresSQL.leadRows) WHERE \(CompiledReclaim.scope) AND \(inPools.sql) AND \(compiled.due)
                ORDER BY id
                """,
            binds: PostgresBindings(values + inPools.values)
        )
        let away = try awayReps()
        return try rows(statement).compactMap { row in
            try ReclaimedLead.judged(
                id: try row["id"],
                company: try row["company"],
                owner: try row["owner"],
                createdAt: try row["created_at"],
                claimedAt: try row["claimed_at"],
                lastActivityAt: try row["last_activity_at"],
                inactiveOwner: try row["inactive"],
                overrideIndex: try row["override_index"],
                pool: ruleset.reclaimTarget(of: try row["pool"]),
                policy: ruleset.reclaimPolicy,
                away: away,
                at: now
            )
        }
    }
}

// MARK: - LeadStorage: reclaim

extension PostgresStore {
    public func reclaimCandidates(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [ReclaimedLead] {
        try transaction(readOnly: true) { try $0.reclaimCandidates(ruleset, at: now, pools: pools) }
    }

    /// Returns the leads due at `now` to the pool, one `reclaimed` event by `system` each.
    ///
    /// One run at a time per schema: a session advisory lock, which PostgreSQL drops when the
    /// connection ends however the process ends; a second run refuses (busy, 75). The due set
    /// is selected once, then written in transactions of ``reclaimBatch`` leads; a lead that
    /// changed since it was selected (released, claimed, closed, touched) is skipped. A killed
    /// run leaves whole batches, and the next run finishes the job. With `pools`, only the leads
    /// now in those pools (`reclaim --pool`); the lock is the same whatever the pools.
    /// Then the missed first-touch deadlines are escalated, in one more transaction.
    public func reclaim(
        _ ruleset: Ruleset,
        at now: Date,
        pools: [String]?,
        runBy: String,
        progress: (Int, Int) -> Void
    ) throws -> ReclaimResult {
        try whileHoldingRunLock("reclaim") {
            try reclaimLocked(ruleset, at: now, pools: pools, runBy: runBy, progress: progress)
        }
    }

    private func reclaimLocked(
        _ ruleset: Ruleset,
        at now: Date,
        pools: [String]?,
        runBy: String,
        progress: (Int, Int) -> Void
    ) throws
        -> ReclaimResult
    {
        let candidates = try reclaimCandidates(ruleset, at: now, pools: pools)
        var result = ReclaimResult(reclaimed: [], skipped: 0, batches: 0)
        for start in stride(from: 0, to: candidates.count, by: Self.reclaimBatch) {
            let batch = candidates[start..<min(start + Self.reclaimBatch, candidates.count)]
            let written = try transaction { sql in
                try batch.filter { lead in
                    let changed = try sql.execute(
                        """
                        UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open', previous_owner = owner, released_at = \(now.storedSeconds),
                            pool = \(lead.pool)
                        WHERE id = \(lead.id) AND owner = \(lead.owner) AND claimed_at = \(lead.claimedAt)
                          AND last_activity_at IS NOT DISTINCT FROM \(lead.lastActivityAt) AND status IN ('open', 'qualified')
                        """
                    )
                    guard changed == 1 else { return false }
                    try sql.record(
                        LeadEvent(
                            leadID: lead.id,
                            at: now,
                            actor: "system",
                            kind: .reclaimed,
                            fromOwner: lead.owner,
                            reason: lead.verdict.reason,
                            detail: ReclaimedLead.eventDetail(lead.verdict.cause, runBy: runBy, pool: ruleset.pools.isEmpty ? nil : lead.pool)
                        ),
                        by: login
                    )
                    return true
                }
            }
            result.skipped += batch.count - written.count
            result.reclaimed += written
            result.batches += 1
            progress(start + batch.count, candidates.count)
        }
        // Leads just reclaimed are in the pool: the escalations look at what is left.
        result.escalated = try escalateFirstTouches(ruleset, at: now, pools: pools, runBy: runBy)
        if !result.escalated.isEmpty { result.batches += 1 }
        return result
    }

    /// Runs `body` holding the schema's run lock of `command` (`reclaim`, `notify`): a session
    /// advisory lock, which PostgreSQL drops when the connection ends however the process ends.
    /// A second run of the same command, from any process, refuses (busy, 75).
    func whileHoldingRunLock<T>(_ command: String, _ body: () throws -> T) throws -> T {
        let key = "\(location.schema).\(command)"
        let locked = try transaction { try $0.value("SELECT pg_try_advisory_lock(hashtext(\(key)))", as: Bool.self) } ?? false
        guard locked else {
            throw LeadPoolError.busy(
                "another \(command) is running on this database (schema \(location.schema))",
                hint: "wait for it to finish and try again"
            )
        }
        defer { _ = try? transaction { try $0.execute("SELECT pg_advisory_unlock(hashtext(\(key)))") } }
        return try body()
    }

    static let reclaimBatch = 5_000

    public func reclaimWarnings(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [ReclaimWarning] {
        let policy = ruleset.reclaimPolicy
        guard policy.warnDays > 0 else { return [] }
        let horizon = now.addingTimeInterval(TimeInterval(policy.warnDays) * 86_400)
        let today = try CompiledReclaim(ruleset, at: now, dialect: .postgresql)
        let later = try CompiledReclaim(ruleset, at: horizon, dialect: .postgresql, firstParameter: today.dueValues.count + 1)
        let inPools = CompiledReclaim.inPools(pools, dialect: .postgresql, firstParameter: today.dueValues.count + later.dueValues.count + 1)
        // Only the due clauses are in the statement: on PostgreSQL their placeholders come first.
        let statement = PostgresQuery(
            unsafeSQL: """
                SELECT \(Lead.postgresColumns) FROM \(PostgresSQL.leadRows) WHERE \(CompiledReclaim.scope) AND \(inPools.sql)
                    AND (NOT \(today.due) OR owner IN (SELECT handle FROM reps WHERE away_from IS NOT NULL OR away_until IS NOT NULL))
                    AND \(later.due)
                """,
            binds: PostgresBindings(today.dueValues + later.dueValues + inPools.values)
        )
        let (leads, away) = try transaction(readOnly: true) { sql in
            (try sql.rows(statement).map(Lead.init(postgres:)), try sql.awayReps())
        }
        return ReclaimWarning.forecasts(for: leads, away: away, ruleset: ruleset, now: now, horizon: horizon)
    }
}
