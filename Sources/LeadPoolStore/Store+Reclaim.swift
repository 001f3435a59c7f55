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

/// The reclaim policy compiled for SQLite (``CompiledReclaim``) with GRDB's arguments.
struct ReclaimSQL {
    /// The leads a reclaim looks at, whatever the clock.
    static let scope = CompiledReclaim.scope
    /// 1 when the owner is deactivated.
    static let inactiveOwner = CompiledReclaim.inactiveOwner(.sqlite)

    /// The leads of `pools` (`reclaim --pool`), whoever owns them; every lead for nil.
    static func inPools(_ pools: [String]?) -> (sql: String, arguments: StatementArguments) {
        let compiled = CompiledReclaim.inPools(pools, dialect: .sqlite)
        return (compiled.sql, StatementArguments(compiled.values))
    }

    let due: String
    let dueArguments: StatementArguments
    let overrideIndex: String
    let overrideArguments: StatementArguments

    init(_ ruleset: Ruleset, at clock: Date) throws {
        let compiled = try CompiledReclaim(ruleset, at: clock, dialect: .sqlite)
        due = compiled.due
        dueArguments = StatementArguments(compiled.dueValues)
        overrideIndex = compiled.overrideIndex
        overrideArguments = StatementArguments(compiled.overrideValues)
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
                let judged = try ReclaimedLead.judged(
                    id: row["id"],
                    company: row["company"],
                    owner: row["owner"],
                    createdAt: row["created_at"],
                    claimedAt: row["claimed_at"],
                    lastActivityAt: row["last_activity_at"],
                    inactiveOwner: row["inactive"],
                    overrideIndex: row["override_index"],
                    pool: ruleset.reclaimTarget(of: row["pool"]),
                    policy: policy,
                    away: away,
                    at: now
                )
                if let judged { leads.append(judged) }
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
            let detail = ReclaimedLead.eventDetail(cause, runBy: runBy, pool: ruleset.pools.isEmpty ? nil : pool)
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
        return ReclaimWarning.forecasts(for: leads, away: away, ruleset: ruleset, now: now, horizon: horizon)
    }
}
