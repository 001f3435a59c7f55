import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

/// One import inside one write transaction: every row is written as it comes, and the whole
/// transaction is rolled back at the end when any row was bad (or for a dry run), so a file
/// imports whole or not at all and a killed import leaves nothing behind.
///
/// Which rows are one lead is ``DuplicateGroups``' decision, the same whatever the row order:
/// the store finds the existing lead each row matches, a row that may be new is written at
/// once, and at the end (``resolve()``) the leads that a later row folded into another group
/// are removed, the new leads get their `imported` events and the duplicates are counted.
/// With `--on-duplicate update` the rows are then given again (``updating``), and each
/// duplicate updates its lead, in file order.
///
/// Existing leads are found one of two ways, with the same results:
/// - By the dedup indexes (external_id, email_norm, domain), row by row.
/// - In bulk, for a file about as large as the database or larger (``bulkMinimumRows``): the
///   import drops those three indexes (and the pool index, when a ruleset will score the new
///   leads) inside its transaction, keeps the existing leads' keys in memory (``ImportKeys``,
///   read first) and builds the indexes again, sorted, at the end. A million random inserts
///   into each index cost several times more than building it once. When the existing keys
///   would not fit their memory limit, the import goes row by row. `--on-duplicate update`
///   always goes row by row.
/// - Not at all when the database holds no lead: no row can match one.
///
/// A million rows go through ``add(_:)``, so its statements are prepared once and bound from
/// the draft directly, and new leads and their events are written ``batchSize`` rows per
/// INSERT (SQLite's per-statement work, not the rows, was most of an import). A batch waits
/// for at most ``batchSize`` rows and is written before anything could see past it (at the
/// end, or before an exact query of a hash's keys). New leads get their
/// ids here, as SQLite would (one past the largest id), which is safe because the import
/// holds the database's only write transaction.
public final class LeadImport {
    let db: Database
    let policy: DuplicatePolicy
    let actor: String
    let now: Date
    /// The OS login writing the events (`recorded_by`).
    let login: String?
    public private(set) var summary = ImportSummary()
    /// Existing leads the import updated (`--on-duplicate update`), to score again.
    private var updatedLeads: [Int64] = []
    /// Which rows are one lead.
    private var groups = DuplicateGroups()
    /// What ``resolve()`` decided; nil before.
    private var resolution: DuplicateGroups.Resolution?
    /// Whether the rows are being given again, for their updates (`--on-duplicate update`).
    public private(set) var updating = false
    /// While ``updating``: the next row's index, and the next duplicate's in `resolution`.
    private var updateRow = 0
    private var updateDuplicate = 0
    /// Whether the database held any lead before the import (else no row can match one).
    private var existingLeads = false
    /// Whether some existing lead has a domain but neither external id nor email.
    private var domainOnlyLeads = false

    /// Rows per multi-row INSERT (1,280 parameters, far below SQLite's limit of 32,766). Against
    /// one row per INSERT it saved about 8% of the import's CPU on 300k rows; other sizes were
    /// not measured.
    static let batchSize = 64
    /// Parameters per new lead: its id, its importable fields, `email_norm`, `created_at`, `attrs`.
    private static let leadColumns = Store.importedColumns.count + 4

    private let byExternalID: BulkStatement
    private let byEmail: BulkStatement
    private let byDomain: BulkStatement
    private let byDomainOnly: BulkStatement
    private let insertLeads: BulkStatement
    private let insertLead: BulkStatement
    private let insertTag: BulkStatement
    private let insertEvents: BulkStatement
    private let insertEvent: BulkStatement

    /// New leads not written yet.
    private var pending: [Pending] = []
    /// Whether to keep each duplicate in the summary (`--duplicates`).
    private let recordDuplicates: Bool
    private var nextID: Int64

    /// The keys of every existing lead, while the import runs in bulk; nil when the indexes answer.
    private var keys: ImportKeys?
    /// The indexes a bulk import dropped, as the SQL that builds them again.
    private var droppedIndexes: [String] = []
    private let byID: BulkStatement
    /// The indexes a bulk import drops: those the dedup lookups use (and the pool's, when the
    /// new leads will be scored: each would move in it).
    static let dedupIndexes = ["leads_external_id", "leads_email_norm", "leads_domain"]
    /// The ruleset in force, which scores the new and updated leads at the end.
    private let ruleset: Ruleset?
    private let firstNewID: Int64
    /// An import goes in bulk when it expects this many rows or more, and at least half as
    /// many as the database holds (below that, rebuilding the indexes costs more than it saves).
    static let bulkMinimumRows = 20_000

    private struct Pending {
        var id: Int64
        var draft: LeadDraft
        var emailNorm: String?
        var attributes: String?
    }

    /// The `imported` events of the new leads that stay, written at the end.
    private struct NewLead {
        var id: Int64
        var line: Int
    }

    /// The event detail `{"file":…,"source":…,"line":N}`: the fixed part, then the line per row.
    private var detail: [UInt8]
    private let detailPrefixCount: Int
    private let createdAt: Int64

    init(
        db: Database,
        policy: DuplicatePolicy,
        actor: String,
        now: Date,
        login: String?,
        file: String,
        source: String?,
        pool: String = Ruleset.mainPool,
        ruleset: Ruleset?,
        bulk: Bool,
        keyLimits: ImportKeys.Limits,
        recordDuplicates: Bool = false
    ) throws {
        self.db = db
        self.recordDuplicates = recordDuplicates
        self.ruleset = ruleset
        self.policy = policy
        self.actor = actor
        self.now = now
        self.login = login
        createdAt = now.storedSeconds
        detail = Array(ImportSummary.eventDetailPrefix(file: file, source: source).utf8)
        detailPrefixCount = detail.count
        nextID = try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) + 1 FROM leads") ?? 1
        firstNewID = nextID

        byExternalID = try BulkStatement(db, preparing: "SELECT id FROM leads WHERE external_id = ?")
        byEmail = try BulkStatement(db, preparing: "SELECT id FROM leads WHERE email_norm = ? ORDER BY id LIMIT 1")
        byDomain = try BulkStatement(db, preparing: "SELECT id FROM leads WHERE domain = ? ORDER BY id LIMIT 1")
        byDomainOnly = try BulkStatement(
            db,
            preparing: "SELECT id FROM leads WHERE domain = ? AND external_id IS NULL AND email_norm IS NULL ORDER BY id LIMIT 1"
        )
        byID = try BulkStatement(db, preparing: "SELECT external_id, email_norm, domain FROM leads WHERE id = ?")
        // The same row Store.insertLead writes for a new pooled, open lead.
        // The pool is a numbered parameter after the rows' own, bound once for the import.
        let columns = ["id"] + Store.importedColumns + ["email_norm", "created_at", "attrs", "status", "score", "tier", "pool"]
        let leadInsert = "INSERT INTO leads (\(columns.joined(separator: ", "))) VALUES "
        func leadValues(rows: Int) -> String {
            (0..<rows).map { row in
                let numbered = (1...Self.leadColumns).map { "?\(row * Self.leadColumns + $0)" }.joined(separator: ", ")
                return "(\(numbered), 'open', 0, NULL, ?\(rows * Self.leadColumns + 1))"
            }.joined(separator: ",")
        }
        insertLeads = try BulkStatement(db, preparing: leadInsert + leadValues(rows: Self.batchSize))
        insertLead = try BulkStatement(db, preparing: leadInsert + leadValues(rows: 1))
        insertLeads.bind(Int32(Self.batchSize * Self.leadColumns + 1), pool)
        insertLead.bind(Int32(Self.leadColumns + 1), pool)
        insertTag = try BulkStatement(db, preparing: "INSERT OR IGNORE INTO lead_tags (lead_id, tag) VALUES (?, ?)")
        // Each row binds its own four values; the wall clock and the login are the same for every
        // row, so they are numbered parameters after the rows' own, bound once for the whole
        // import (SQLite keeps bindings across resets): no work per row.
        let eventInsert = "INSERT INTO events (lead_id, at, actor, kind, detail, recorded_at, recorded_by) VALUES "
        func eventValues(rows: Int) -> String {
            (0..<rows).map { row in
                let n = row * 4
                return "(?\(n + 1), ?\(n + 2), ?\(n + 3), \(EventKind.imported.sql), ?\(n + 4), ?\(rows * 4 + 1), ?\(rows * 4 + 2))"
            }.joined(separator: ",")
        }
        insertEvents = try BulkStatement(db, preparing: eventInsert + eventValues(rows: Self.batchSize))
        insertEvent = try BulkStatement(db, preparing: eventInsert + eventValues(rows: 1))
        let recordedAt = Date().storedSeconds
        for (statement, rows) in [(insertEvents, Self.batchSize), (insertEvent, 1)] {
            statement.bind(Int32(rows * 4 + 1), recordedAt)
            statement.bind(Int32(rows * 4 + 2), login)
        }
        pending.reserveCapacity(Self.batchSize)
        existingLeads = try nextID > 1 && (Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM leads)") ?? false)
        if existingLeads {
            domainOnlyLeads =
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM leads WHERE external_id IS NULL AND email_norm IS NULL AND domain IS NOT NULL)"
                )
                ?? false
        }
        if bulk { try startBulk(limits: keyLimits) }
    }

    /// Goes bulk if the existing leads' keys leave room for as many again: reads them, then
    /// drops the dedup indexes.
    private func startBulk(limits: ImportKeys.Limits) throws {
        let (existing, lowest) =
            try Row.fetchOne(db, sql: "SELECT count(*), min(id) FROM leads")
            .map { ($0[0] as Int, $0[1] as Int64?) } ?? (0, nil)
        var table = ImportKeys(base: lowest ?? nextID, limits: limits)
        guard table.holds(nextID), table.hasRoom(for: 3 * existing) else { return }
        let rows = try Row.fetchCursor(db, sql: "SELECT id, external_id, email_norm, domain FROM leads ORDER BY id")
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if let value: String = row[1] { table.insert(table.hash(.externalID(value)), lead: id) }
            if let value: String = row[2] { table.insert(table.hash(.email(value)), lead: id) }
            if let value: String = row[3] {
                table.insert(table.hash(.domain(value)), lead: id)
                if row[1] as String? == nil && row[2] as String? == nil { table.insert(table.hash(.domainOnly(value)), lead: id) }
            }
        }
        droppedIndexes = try Store.dropIndexes(db, Self.dedupIndexes + (ruleset == nil ? [] : [Store.poolIndex]))
        keys = table
    }

    /// Leaves bulk: writes what is pending and builds the dropped indexes again.
    private func endBulk() throws {
        try flush()
        guard keys != nil else { return }
        keys = nil
        for sql in droppedIndexes { try db.execute(sql: sql) }
        droppedIndexes = []
    }

    /// Writes what is left; with `commit`, also scores the new and updated leads with the
    /// ruleset in force (a lead's score reads only that lead and the clock) and builds the
    /// indexes a bulk import dropped. An import that will be rolled back gets them back with
    /// the rollback.
    package func finish(commit: Bool) throws {
        try resolve()
        guard commit else { return }
        if let ruleset {
            try Store.rescore(db, ruleset: ruleset, now: now, leadIDsFrom: firstNewID)
            try Store.rescore(db, ruleset: ruleset, now: now, leadIDs: updatedLeads.filter { $0 < firstNewID })
        }
        try endBulk()
    }

    /// Rows the reader or the row checks refused.
    public func reject(_ problems: [IntakeProblem]) {
        guard !updating else { return }
        summary.problems += problems
    }

    /// Imports one checked row: a new lead, or a duplicate (counted, updated or a problem at
    /// the end, by ``resolve()``). While ``updating``, applies the row's update if it is a
    /// duplicate.
    public func add(_ draft: LeadDraft) throws {
        if updating { return try applyUpdate(draft) }
        let emailNorm = draft.normalizedEmail
        var anchor: (lead: Int64, key: DuplicateGroups.Key)?
        if existingLeads,
            let match = try draft.firstMatch(
                normalizedEmail: emailNorm,
                { key -> Int64? in
                    if case .domainOnly = key, !domainOnlyLeads { return nil }
                    return try keys == nil ? findIndexed(key) : findInMemory(key)
                }
            )
        {
            anchor = (match.found, match.key.groupKey)
        }
        let id = nextID
        let makes = groups.add(
            line: draft.line,
            externalID: draft.externalID,
            email: emailNorm,
            domain: draft.domain,
            anchor: anchor,
            newLead: id
        )
        guard makes else { return }
        nextID += 1
        pending.append(Pending(id: id, draft: draft, emailNorm: emailNorm, attributes: JSONText.object(draft.attributes)))
        if pending.count == Self.batchSize { try flush() }
    }

    /// The existing lead with `key`, by the indexes (leads this import wrote do not count).
    private func findIndexed(_ key: LeadDraft.MatchKey) throws -> Int64? {
        try find(key).flatMap { $0 < firstNewID ? $0 : nil }
    }

    /// The existing lead with `key`, by the keys in memory: the lead they name is checked for
    /// the very key; two keys with one hash are settled by asking the table (a scan: about never).
    private func findInMemory(_ key: LeadDraft.MatchKey) throws -> Int64? {
        guard let candidate = keys?.lead(keys!.hash(key)) else { return nil }
        byID.bind(1, candidate)
        let columns = try byID.fetchTexts(3)
        let stored: String? =
            switch key {
            case .externalID: columns?[0]
            case .email: columns?[1]
            case .domain: columns?[2]
            case .domainOnly: columns?[0] == nil && columns?[1] == nil ? columns?[2] : nil
            }
        if let stored, stored.utf8.elementsEqual(key.value.utf8) { return candidate }
        try flush()
        return try findIndexed(key)
    }

    /// Settles the groups: removes the leads a later row folded into another group, writes
    /// the `imported` events of the new leads that stay, and counts the duplicates (or, with
    /// policy `error`, makes them problems). Once only; later calls do nothing.
    package func resolve() throws {
        try flush()
        guard resolution == nil else { return }
        let decided = groups.resolve()
        resolution = decided
        for lead in decided.surplus {
            try db.execute(sql: "DELETE FROM lead_tags WHERE lead_id = ?", arguments: [lead])
            try db.execute(sql: "DELETE FROM leads WHERE id = ?", arguments: [lead])
        }
        var batch: [NewLead] = []
        batch.reserveCapacity(Self.batchSize)
        for lead in decided.newLeads {
            batch.append(NewLead(id: lead.lead, line: lead.line))
            if batch.count == Self.batchSize {
                try writeEvents(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try writeEvents(batch)
        summary.count(decided, policy: policy, recordDuplicates: recordDuplicates)
    }

    /// Starts the second pass of `--on-duplicate update`: the same rows again, in the same
    /// order, each duplicate updating its lead.
    package func startUpdates() throws {
        try resolve()
        updating = true
    }

    private func applyUpdate(_ draft: LeadDraft) throws {
        let row = updateRow
        updateRow += 1
        guard let duplicates = resolution?.duplicates, updateDuplicate < duplicates.count,
            duplicates[updateDuplicate].row == row
        else { return }
        let existing = duplicates[updateDuplicate].lead
        updateDuplicate += 1
        var lead = try Store.requireLead(db, id: existing)
        draft.update(&lead)
        try Store.updateImportedFields(db, lead)
        _ = try Store.addTags(db, leadID: existing, lead.tags.sorted())
        try Store.record(
            db,
            LeadEvent(leadID: existing, at: now, actor: actor, kind: .updated, detail: eventDetail(draft.line)),
            by: login
        )
        summary.updated += 1
        updatedLeads.append(existing)
    }

    /// Writes the pending new leads, then their tags (which refer to them).
    func flush() throws {
        guard !pending.isEmpty else { return }
        if pending.count == Self.batchSize {
            for (row, lead) in pending.enumerated() { bind(lead, to: insertLeads, at: Int32(row * Self.leadColumns)) }
            try insertLeads.execute()
        } else {
            for lead in pending {
                bind(lead, to: insertLead, at: 0)
                try insertLead.execute()
            }
        }
        for lead in pending {
            for tag in lead.draft.tags {
                insertTag.bind(1, lead.id)
                insertTag.bind(2, tag)
                try insertTag.execute()
            }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes the `imported` events of new leads (``batchSize`` or fewer).
    private func writeEvents(_ leads: [NewLead]) throws {
        if leads.count == Self.batchSize {
            for (row, lead) in leads.enumerated() { bindEvent(lead, to: insertEvents, at: Int32(row * 4)) }
            try insertEvents.execute()
        } else {
            for lead in leads {
                bindEvent(lead, to: insertEvent, at: 0)
                try insertEvent.execute()
            }
        }
    }

    private func bind(_ lead: Pending, to s: BulkStatement, at offset: Int32) {
        let draft = lead.draft
        s.bind(offset + 1, lead.id)
        var index = offset + 1
        for field in LeadField.importedColumns {
            index += 1
            s.bind(index, draft[field])
        }
        s.bind(index + 1, lead.emailNorm)
        s.bind(index + 2, createdAt)
        s.bind(index + 3, lead.attributes)
    }

    private func bindEvent(_ lead: NewLead, to s: BulkStatement, at offset: Int32) {
        detail.removeSubrange(detailPrefixCount...)
        Self.appendDecimal(lead.line, to: &detail)
        detail.append(UInt8(ascii: "}"))
        s.bind(offset + 1, lead.id)
        s.bind(offset + 2, createdAt)
        s.bind(offset + 3, actor)
        detail.withUnsafeBufferPointer { s.bind(offset + 4, utf8: $0) }
    }

    private func eventDetail(_ line: Int) -> String {
        String(decoding: detail[..<detailPrefixCount], as: UTF8.self) + "\(line)}"
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        var divisor: UInt = 1
        while rest / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private func find(_ key: LeadDraft.MatchKey) throws -> Int64? {
        let lookup: BulkStatement
        switch key {
        case .externalID(let value):
            lookup = byExternalID
            lookup.bind(1, value)
        case .email(let value):
            lookup = byEmail
            lookup.bind(1, value)
        case .domain(let value):
            lookup = byDomain
            lookup.bind(1, value)
        case .domainOnly(let value):
            lookup = byDomainOnly
            lookup.bind(1, value)
        }
        return try lookup.fetchInt64()
    }
}

extension Store {
    private static let updateImportedFieldsSQL =
        "UPDATE leads SET \((importedColumns + ["email_norm", "attrs"]).map { $0 + " = ?" }.joined(separator: ", ")) WHERE id = ?"

    /// Writes a lead's importable fields back (for `--on-duplicate update`).
    static func updateImportedFields(_ db: Database, _ lead: Lead) throws {
        let update = try BulkStatement(db, sql: updateImportedFieldsSQL)
        var index: Int32 = 0
        for field in LeadField.importedColumns {
            index += 1
            update.bind(index, lead[field])
        }
        update.bind(index + 1, lead.email.map(IntakeValue.normalizedEmail))
        update.bind(index + 2, JSONText.object(lead.attributes))
        update.bind(index + 3, lead.id)
        try update.execute()
    }

    /// Runs an import in one write transaction. `body` feeds rows to the `LeadImport` (with
    /// policy `update`, twice: the second time, ``LeadImport/updating``, for the updates, with
    /// the same rows in the same order); when it is done, the transaction commits only if this is not a dry run and no row was bad, or
    /// `keepGoodRows` (`--on-error skip`) says to import the good rows anyway.
    ///
    /// For a row-by-row import only, the connection gets a bigger page cache (a fixed 32 MiB,
    /// so the dedup indexes' hot pages stay in memory instead of being written to the WAL and
    /// read back a page at a time) and keeps statement journals in memory (a multi-row INSERT
    /// journals the pages it changes so that it can be undone alone; on disk that was a
    /// million small writes). Neither touches durability: statement journals are never read
    /// after a crash, and the WAL commit is the same. Both are put back afterwards.
    ///
    /// `expectedRows` (a guess is fine: the file's size over a typical row's) lets a large
    /// import go in bulk (see ``LeadImport``).
    public func importLeads(
        file: String,
        source: String?,
        pool leadPool: String = Ruleset.mainPool,
        policy: DuplicatePolicy,
        dryRun: Bool,
        keepGoodRows: Bool = false,
        recordDuplicates: Bool = false,
        actor: String,
        at now: Date,
        expectedRows: Int = 0,
        _ body: (LeadImport) throws -> Void
    ) throws -> ImportSummary {
        try importLeads(
            file: file,
            source: source,
            pool: leadPool,
            policy: policy,
            dryRun: dryRun,
            keepGoodRows: keepGoodRows,
            recordDuplicates: recordDuplicates,
            actor: actor,
            at: now,
            expectedRows: expectedRows,
            keyLimits: ImportKeys.Limits(),
            body
        )
    }

    /// `importLeads` with other limits for the keys kept in bulk: for tests of keys that share
    /// a hash, and of an import that outgrows the limit.
    func importLeads(
        file: String,
        source: String?,
        pool leadPool: String = Ruleset.mainPool,
        policy: DuplicatePolicy,
        dryRun: Bool,
        keepGoodRows: Bool = false,
        recordDuplicates: Bool = false,
        actor: String,
        at now: Date,
        expectedRows: Int,
        keyLimits: ImportKeys.Limits,
        _ body: (LeadImport) throws -> Void
    ) throws -> ImportSummary {
        var summary = ImportSummary()
        do {
            // Decided before the transaction, as temp_store cannot change inside one; the
            // count may be off by what others write meanwhile, which only moves the guess.
            let bulk =
                try policy != .update && expectedRows >= LeadImport.bulkMinimumRows
                && expectedRows * 2 >= pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM leads") ?? 0 }
            try pool.writeWithoutTransaction { db in
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                let tempStore = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
                // Row by row: a big page cache for the dedup indexes' hot pages, and statement
                // journals in memory (a multi-row INSERT journals the pages it changes so that it
                // can be undone alone: on disk, a million small writes). In bulk, neither: its
                // writes append, and the sorts that build the indexes would hold every key in
                // memory (a million rows took 9.5 s with SQLite's 2 MiB cache, 10.5–11.7 s with 32).
                try db.execute(
                    sql: "PRAGMA cache_size = \(bulk ? cacheSize : Store.importCacheSize); PRAGMA temp_store = \(bulk ? "FILE" : "MEMORY")"
                )
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize); PRAGMA temp_store = \(tempStore)") }
                try db.inTransaction(.immediate) {
                    let session = try LeadImport(
                        db: db,
                        policy: policy,
                        actor: actor,
                        now: now,
                        login: login,
                        file: file,
                        source: source,
                        pool: leadPool,
                        ruleset: try Store.fetchRuleset(db, version: nil)?.ruleset,
                        bulk: bulk,
                        keyLimits: keyLimits,
                        recordDuplicates: recordDuplicates
                    )
                    let run = try session.run(policy: policy, dryRun: dryRun, keepGoodRows: keepGoodRows, body)
                    summary = run.summary
                    return run.commit ? .commit : .rollback
                }
            }
        } catch {
            throw Store.translate(error, path: path)
        }
        return summary
    }

    /// The import connection's page cache, in SQLite's negative-means-KiB form.
    static let importCacheSize = -32 * 1024
}
