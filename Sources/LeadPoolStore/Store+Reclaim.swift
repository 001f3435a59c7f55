import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The advisory lock a periodic run (`reclaim`, `notify`) holds on a file beside the database
/// (`DATABASE.reclaim-lock`, `DATABASE.notify-lock`) so that a second run of the same command
/// refuses instead of racing the first. It is an OS lock (`flock`): the kernel drops it when
/// the process ends, however it ends, so a killed run never leaves a stale lock behind.
public final class RunLock {
    private let descriptor: Int32

    fileprivate init(path: String, command: String) throws {
        // Read-write when we may, read-only when another account created the file: flock
        // works on either.
        var fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o664)
        if fd < 0 { fd = open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            throw LeadPoolError.permission(
                "cannot open the \(command) lock file \(path): \(String(cString: strerror(errno)))",
                hint: "\(command) needs to create or open a file beside the database; check the directory's permissions"
            )
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw LeadPoolError.busy(
                    "another \(command) is running on this database (it holds \(path))",
                    hint: "wait for it to finish and try again"
                )
            }
            throw LeadPoolError.bug("cannot lock \(path): \(String(cString: strerror(code)))")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }
}

/// The reclaim policy compiled to SQL over `leads` at one clock, from ``ConditionSQL``: the
/// same conditions, the same idle and held days as `--where` and the in-memory evaluation.
struct ReclaimSQL {
    /// The leads a reclaim looks at, whatever the clock.
    static let scope = "owner IS NOT NULL AND status IN ('open', 'qualified')"
    /// 1 when the owner is deactivated.
    static let inactiveOwner = "owner IN (SELECT handle FROM reps WHERE active = 0)"

    /// The leads of `pools` (`reclaim --pool`), whoever owns them; every lead for nil.
    static func inPools(_ pools: [String]?) -> (sql: String, arguments: StatementArguments) {
        guard let pools else { return ("1", []) }
        guard !pools.isEmpty else { return ("0", []) }
        return ("pool IN (" + Array(repeating: "?", count: pools.count).joined(separator: ", ") + ")", StatementArguments(pools))
    }

    /// 1 when a lead in scope is due: its owner is deactivated, or it is not exempt and past
    /// the limits of its first matching override (the general ones when none matches).
    let due: String
    let dueArguments: StatementArguments
    /// The index of the first matching override, -1 when none matches.
    let overrideIndex: String
    let overrideArguments: StatementArguments

    init(_ ruleset: Ruleset, at clock: Date) throws {
        let policy = ruleset.reclaimPolicy
        let context = ruleset.conditionContext(now: clock)
        typealias Policy = Ruleset.ReclaimPolicy
        let general = try ConditionSQL(Policy.staleCondition(policy.limits(overrideIndex: nil)), in: context)
        var stale = general.sql
        var staleArguments = general.arguments
        var index = "-1"
        var indexArguments = StatementArguments()
        if !policy.overrides.isEmpty {
            stale = "CASE"
            staleArguments = []
            index = "CASE"
            for (i, override) in policy.overrides.enumerated() {
                let when = try ConditionSQL(override.when, in: context)
                let limits = try ConditionSQL(Policy.staleCondition(policy.limits(overrideIndex: i)), in: context)
                stale += " WHEN \(when.sql) THEN \(limits.sql)"
                staleArguments += when.arguments
                staleArguments += limits.arguments
                index += " WHEN \(when.sql) THEN \(i)"
                indexArguments += when.arguments
            }
            stale += " ELSE \(general.sql) END"
            staleArguments += general.arguments
            index += " ELSE -1 END"
        }
        var exempt = "0"
        var exemptArguments = StatementArguments()
        if let condition = policy.exempt {
            let compiled = try ConditionSQL(condition, in: context)
            exempt = compiled.sql
            exemptArguments = compiled.arguments
        }
        due = "(\(ReclaimSQL.inactiveOwner) OR (NOT (\(exempt)) AND (\(stale))))"
        dueArguments = exemptArguments + staleArguments
        overrideIndex = index
        overrideArguments = indexArguments
    }
}

extension Store {
    /// At most this many leads per write transaction. Each batch is whole: its updates and
    /// events commit together.
    public static let reclaimBatchSize = 100_000
    /// A batch stops early after this long (``bulkBatchTime``), so a concurrent claim waits
    /// little; batches are ``bulkBatchGap`` apart, which a waiting claim's polling catches.
    static let reclaimBatchTime: TimeInterval = Store.bulkBatchTime

    /// The lock file beside the database that a running reclaim holds.
    public var reclaimLockPath: String { path + ".reclaim-lock" }

    /// Takes the reclaim lock, or refuses with `busy` (exit 75) when another run holds it.
    /// The lock lasts as long as the returned value.
    public func lockReclaim() throws -> RunLock {
        try RunLock(path: reclaimLockPath, command: "reclaim")
    }

    /// The lock file beside the database that a running `notify` holds.
    public var notifyLockPath: String { path + ".notify-lock" }

    public func whileNotifying<T>(_ body: () throws -> T) throws -> T {
        let lock = try RunLock(path: notifyLockPath, command: "notify")
        defer { withExtendedLifetime(lock) {} }
        return try body()
    }

    /// The leads due for reclaim at `now` under the ruleset's policy, in id order; writes nothing.
    public func reclaimCandidates(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [ReclaimedLead] {
        let compiled = try ReclaimSQL(ruleset, at: now)
        let inPools = ReclaimSQL.inPools(pools)
        let policy = ruleset.reclaimPolicy
        let sql = """
            SELECT id, company, owner, pool, created_at, claimed_at, last_activity_at,
                \(ReclaimSQL.inactiveOwner) AS inactive, \(compiled.overrideIndex) AS override_index
            FROM leads WHERE \(ReclaimSQL.scope) AND \(inPools.sql) AND \(compiled.due)
            ORDER BY id
            """
        return try read { db in
            let away = try Store.awayReps(db)
            var leads: [ReclaimedLead] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: compiled.overrideArguments + inPools.arguments + compiled.dueArguments)
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                let owner: String = row["owner"]
                let claimedAt: Int64 = row["claimed_at"]
                let lastActivityAt: Int64? = row["last_activity_at"]
                let verdict: ReclaimVerdict
                if row["inactive"] as Bool {
                    verdict = Ruleset.ReclaimPolicy.inactiveRepVerdict
                } else {
                    // The SQL selects by idle days that count the owner's time away too (a sound
                    // superset); the core leaves that time out and has the last word.
                    let createdAt: Int64 = row["created_at"]
                    let idleSince = max(lastActivityAt ?? createdAt, claimedAt)
                    let index: Int = row["override_index"]
                    let idle = Ruleset.ReclaimPolicy.idleDays(since: Date(storedSeconds: idleSince), at: now, owner: away[owner])
                    guard
                        let stale = Ruleset.ReclaimPolicy.verdict(
                            idleDays: idle.days,
                            heldDays: Lead.wholeDays(from: Date(storedSeconds: claimedAt), to: now),
                            limits: policy.limits(overrideIndex: index < 0 ? nil : index),
                            awayDays: idle.awayDays
                        )
                    else {
                        if away[owner] != nil { continue }
                        throw LeadPoolError.bug("lead \(id) was selected for reclaim but is within its limits")
                    }
                    verdict = stale
                }
                leads.append(
                    ReclaimedLead(
                        id: id,
                        company: row["company"],
                        owner: owner,
                        verdict: verdict,
                        pool: ruleset.reclaimTarget(of: row["pool"]),
                        claimedAt: claimedAt,
                        lastActivityAt: lastActivityAt
                    )
                )
            }
            return leads
        }
    }

    /// The reps with an away window, by handle (only the window is read): reclaim leaves their
    /// time away out of their leads' idle days.
    static func awayReps(_ db: Database) throws -> [String: Rep] {
        let rows = try Row.fetchAll(
            db,
            sql: Rep.selection + " WHERE away_from IS NOT NULL OR away_until IS NOT NULL"
        )
        return Dictionary(
            rows.map { row in
                let rep = Rep(row: row)
                return (rep.handle, rep)
            },
            uniquingKeysWith: { a, _ in a }
        )
    }

    /// Returns the leads due at `now` to the pool: owner and claim time cleared, status open,
    /// the owner remembered with `released_at = now` (which starts their cooldown), and one
    /// `reclaimed` event by `system` per lead.
    ///
    /// With `pools`, only the leads now in those pools (`reclaim --pool`); the lock is the same
    /// whatever the pools, so a pool's run and a full one never overlap.
    ///
    /// Holds the reclaim lock for the whole run (a second run refuses with exit 75). Selects
    /// the due set once with set-based SQL, then writes it in batches of about
    /// ``reclaimBatchTime`` (at most ``reclaimBatchSize`` leads), each its own IMMEDIATE
    /// transaction, a few milliseconds apart so a concurrent `claim` (polling for the lock,
    /// see ``waitWhileBusy(_:)``) waits well under a second. A lead that changed since it was
    /// selected (released, claimed, closed, touched) is skipped. A killed run leaves whole
    /// batches; the next finishes the job, and a run at the same `now` after a complete one
    /// finds nothing.
    ///
    /// - Parameters:
    ///   - runBy: the handle of who ran it, kept in each event's detail.
    ///   - progress: called after each batch with the leads processed and the total.
    public func reclaim(
        _ ruleset: Ruleset,
        at now: Date,
        pools: [String]? = nil,
        runBy: String,
        batchSize: Int,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> ReclaimResult {
        let lock = try lockReclaim()
        defer { withExtendedLifetime(lock) {} }
        let candidates = try reclaimCandidates(ruleset, at: now, pools: pools)
        var result = ReclaimResult(reclaimed: [], skipped: 0, batches: 0)
        result.reclaimed.reserveCapacity(candidates.count)
        // Each event's detail depends only on the cause: build each once.
        // With pools, the detail names the pool the lead went back to.
        var details: [String: String] = [:]
        func detail(_ cause: ReclaimCause, pool: String) -> String {
            let key = cause.rawValue + "\u{1F}" + pool
            if let known = details[key] { return known }
            var detail = "{\"cause\":\"\(cause.rawValue)\",\"run_by\":"
            JSONText.quote(runBy, into: &detail)
            if !ruleset.pools.isEmpty {
                detail += ",\"pool\":"
                JSONText.quote(pool, into: &detail)
            }
            detail += "}"
            details[key] = detail
            return detail
        }
        var next = 0
        try bulkWriting {
            while next < candidates.count {
                let started = DispatchTime.now().uptimeNanoseconds
                let limit = UInt64(Store.reclaimBatchTime * 1_000_000_000)
                let (end, written) = try write { db -> (Int, [ReclaimedLead]) in
                    let update = try BulkStatement(
                        db,
                        sql: """
                            UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open', previous_owner = owner, released_at = ?1, pool = ?6
                            WHERE id = ?2 AND owner = ?3 AND claimed_at = ?4 AND last_activity_at IS ?5 AND status IN ('open', 'qualified')
                            """
                    )
                    let insert = try BulkStatement(
                        db,
                        sql: """
                            INSERT INTO events (lead_id, at, actor, kind, from_owner, reason, detail, recorded_at, recorded_by)
                            VALUES (?, ?, 'system', \(EventKind.reclaimed.sql), ?, ?, ?, ?, ?)
                            """
                    )
                    update.bind(1, now.storedSeconds)
                    insert.bind(2, now.storedSeconds)
                    insert.bind(6, Date().storedSeconds)
                    insert.bind(7, login)
                    var written: [ReclaimedLead] = []
                    var index = next
                    while index < candidates.count, index - next < batchSize {
                        let lead = candidates[index]
                        index += 1
                        update.bind(2, lead.id)
                        update.bind(3, lead.owner)
                        update.bind(4, lead.claimedAt)
                        update.bind(5, lead.lastActivityAt)
                        update.bind(6, lead.pool)
                        try update.execute()
                        if db.changesCount == 1 {
                            insert.bind(1, lead.id)
                            insert.bind(3, lead.owner)
                            insert.bind(4, lead.verdict.reason)
                            insert.bind(5, detail(lead.verdict.cause, pool: lead.pool))
                            try insert.execute()
                            written.append(lead)
                        }
                        if (index - next) % 256 == 0, DispatchTime.now().uptimeNanoseconds - started > limit { break }
                    }
                    return (index, written)
                }
                result.skipped += (end - next) - written.count
                result.reclaimed += written
                result.batches += 1
                next = end
                progress(next, candidates.count)
                if next < candidates.count { usleep(Store.bulkBatchGap) }
            }
        }
        // Leads just reclaimed are in the pool: the escalations look at what is left.
        result.escalated = try escalateFirstTouches(ruleset, at: now, pools: pools, runBy: runBy)
        if !result.escalated.isEmpty { result.batches += 1 }
        return result
    }

    /// The leads not due at `now` that will be within the policy's warn-days if nothing
    /// happens to them, by owner then date; writes nothing.
    public func reclaimWarnings(_ ruleset: Ruleset, at now: Date, pools: [String]?) throws -> [ReclaimWarning] {
        let policy = ruleset.reclaimPolicy
        guard policy.warnDays > 0 else { return [] }
        let horizon = now.addingTimeInterval(TimeInterval(policy.warnDays) * 86_400)
        let today = try ReclaimSQL(ruleset, at: now)
        let later = try ReclaimSQL(ruleset, at: horizon)
        let inPools = ReclaimSQL.inPools(pools)
        // A lead of a rep with an away window may be due by the plain count and not yet once her
        // time away is left out: those are looked at too, and the core decides.
        let sql = """
            SELECT \(Lead.columns) FROM leads WHERE \(ReclaimSQL.scope) AND \(inPools.sql)
                AND (NOT \(today.due) OR owner IN (SELECT handle FROM reps WHERE away_from IS NOT NULL OR away_until IS NOT NULL))
                AND \(later.due)
            """
        let (leads, away) = try read { db in
            (
                try Row.fetchAll(db, sql: sql, arguments: inPools.arguments + today.dueArguments + later.dueArguments).map(Lead.init(row:)),
                try Store.awayReps(db)
            )
        }
        let context = ruleset.conditionContext(now: now)
        let warnings = leads.compactMap { lead -> ReclaimWarning? in
            let owner = lead.owner.flatMap { away[$0] }
            if owner != nil, policy.verdict(for: lead, ownerActive: true, owner: owner, in: context) != nil { return nil }
            let due: (Date, ReclaimVerdict)
            switch policy.forecast(for: lead, ownerActive: true, owner: owner, in: context) {
            case .due(let at, let verdict) where at <= horizon:
                due = (at, verdict)
            default:
                // The limits in force at the horizon differ from today's (a clock-dependent
                // override or exempt condition): it goes by the horizon at the latest.
                guard let verdict = policy.verdict(for: lead, ownerActive: true, owner: owner, in: ruleset.conditionContext(now: horizon))
                else { return nil }
                due = (horizon, verdict)
            }
            return ReclaimWarning(id: lead.id, company: lead.company, owner: lead.owner!, at: due.0, verdict: due.1)
        }
        return warnings.sorted { ($0.owner, $0.at, $0.id) < ($1.owner, $1.at, $1.id) }
    }
}
