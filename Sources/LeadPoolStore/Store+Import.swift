import Foundation
import GRDB
import LeadPoolCore

/// What `import` does with a row that matches an existing lead (or an earlier row).
public enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// Keep the existing lead as it is.
    case skip
    /// Overwrite the fields the row gives and add its tags.
    case update
    /// The row is a bad row: nothing is imported.
    case error
}

/// Counts an import reports.
public struct ImportSummary: Sendable, Equatable {
    public var new = 0
    public var updated = 0
    /// Skipped rows by reason ("same external_id", "same email", "same domain").
    public var skipped: [String: Int] = [:]
    /// Rows that could not be imported; non-empty means nothing was written.
    public var problems: [IntakeProblem] = []
    public var dryRun = false

    public var skippedTotal: Int { skipped.values.reduce(0, +) }
    public init() {}
}

/// One import inside one write transaction: every row is written as it comes, and the whole
/// transaction is rolled back at the end when any row was bad (or for a dry run), so a file
/// imports whole or not at all and a killed import leaves nothing behind.
///
/// A million rows go through ``add(_:)``, so its statements are prepared once and bound from
/// the draft directly, and new leads and their events are written ``batchSize`` rows per
/// INSERT (SQLite's per-statement work, not the rows, was most of an import). A batch waits
/// for at most ``batchSize`` rows and is written before anything could see past it: before a
/// row whose duplicate may be in it, before an update, and at the end. New leads get their
/// ids here, as SQLite would (one past the largest id), which is safe because the import
/// holds the database's only write transaction.
public final class LeadImport {
    let db: Database
    let policy: DuplicatePolicy
    let actor: String
    let now: Date
    public private(set) var summary = ImportSummary()
    /// Lines of the leads this import created, to name the earlier row of an in-file duplicate.
    private var lineOfLead: [Int64: Int] = [:]

    /// Rows per multi-row INSERT (1,280 parameters, far below SQLite's limit of 32,766). Against
    /// one row per INSERT it saved about 8% of the import's CPU on 300k rows; other sizes were
    /// not measured.
    static let batchSize = 64
    private static let leadColumns = 20

    private let byExternalID: BulkStatement
    private let byEmail: BulkStatement
    private let byDomain: BulkStatement
    private let insertLeads: BulkStatement
    private let insertLead: BulkStatement
    private let insertTag: BulkStatement
    private let insertEvents: BulkStatement
    private let insertEvent: BulkStatement

    /// New leads not written yet, and the keys they would match, so that a later row whose
    /// key is among them writes them first.
    private var pending: [Pending] = []
    private var pendingExternalIDs: Set<String> = []
    private var pendingEmails: Set<String> = []
    private var pendingDomains: Set<String> = []
    private var nextID: Int64

    private struct Pending {
        var id: Int64
        var draft: LeadDraft
        var emailNorm: String?
        var attributes: String?
    }

    /// The event detail `{"file":…,"source":…,"line":N}`: the fixed part, then the line per row.
    private var detail: [UInt8]
    private let detailPrefixCount: Int
    private let createdAt: Int64

    init(db: Database, policy: DuplicatePolicy, actor: String, now: Date, file: String, source: String?) throws {
        self.db = db
        self.policy = policy
        self.actor = actor
        self.now = now
        createdAt = now.storedSeconds
        var prefix = "{\"file\":"
        JSONText.quote(file, into: &prefix)
        if let source {
            prefix += ",\"source\":"
            JSONText.quote(source, into: &prefix)
        }
        prefix += ",\"line\":"
        detail = Array(prefix.utf8)
        detailPrefixCount = detail.count
        nextID = try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) + 1 FROM leads") ?? 1

        byExternalID = try BulkStatement(db, preparing: "SELECT id FROM leads WHERE external_id = ?")
        byEmail = try BulkStatement(db, preparing: "SELECT id FROM leads WHERE email_norm = ? ORDER BY id LIMIT 1")
        byDomain = try BulkStatement(db, preparing: "SELECT id FROM leads WHERE domain = ? ORDER BY id LIMIT 1")
        // The same row Store.insertLead writes for a new pooled, open lead.
        let leadInsert = """
            INSERT INTO leads (id, external_id, company, first_name, last_name, title, email, email_norm, phone, website,
                domain, country, region, city, industry, employees, revenue, source, created_at, attrs, status, score, tier)
            VALUES
            """
        let leadValues = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, NULL)"
        insertLeads = try BulkStatement(
            db, preparing: leadInsert + Array(repeating: leadValues, count: Self.batchSize).joined(separator: ","))
        insertLead = try BulkStatement(db, preparing: leadInsert + leadValues)
        insertTag = try BulkStatement(db, preparing: "INSERT OR IGNORE INTO lead_tags (lead_id, tag) VALUES (?, ?)")
        let eventInsert = "INSERT INTO events (lead_id, at, actor, kind, detail) VALUES "
        let eventValues = "(?, ?, ?, 'imported', ?)"
        insertEvents = try BulkStatement(
            db, preparing: eventInsert + Array(repeating: eventValues, count: Self.batchSize).joined(separator: ","))
        insertEvent = try BulkStatement(db, preparing: eventInsert + eventValues)
        pending.reserveCapacity(Self.batchSize)
    }

    /// Rows the reader or the row checks refused.
    public func reject(_ problems: [IntakeProblem]) {
        summary.problems += problems
    }

    /// Imports one checked row: new, updated, skipped or (policy `error`) a duplicate problem.
    public func add(_ draft: LeadDraft) throws {
        let emailNorm = draft.normalizedEmail
        let key: LeadDraft.MatchKey? =
            if let externalID = draft.externalID { .externalID(externalID) }
            else if let emailNorm { .email(emailNorm) }
            else if let domain = draft.domain { .domain(domain) }
            else { nil }
        if let key {
            let inPending =
                switch key {
                case .externalID(let value): pendingExternalIDs.contains(value)
                case .email(let value): pendingEmails.contains(value)
                case .domain(let value): pendingDomains.contains(value)
                }
            if inPending { try flush() }
            if let existing = try find(key) {
                try duplicate(draft, of: existing, key: key)
                return
            }
        }
        let id = nextID
        nextID += 1
        pending.append(Pending(id: id, draft: draft, emailNorm: emailNorm, attributes: JSONText.object(draft.attributes)))
        if let externalID = draft.externalID { pendingExternalIDs.insert(externalID) }
        if let emailNorm { pendingEmails.insert(emailNorm) }
        if let domain = draft.domain { pendingDomains.insert(domain) }
        if policy == .error { lineOfLead[id] = draft.line }
        summary.new += 1
        if pending.count == Self.batchSize { try flush() }
    }

    private func duplicate(_ draft: LeadDraft, of existing: Int64, key: LeadDraft.MatchKey) throws {
        switch policy {
        case .skip:
            summary.skipped[key.reason, default: 0] += 1
        case .update:
            try flush()
            var lead = try Store.requireLead(db, id: existing)
            draft.update(&lead)
            try Store.updateImportedFields(db, lead)
            _ = try Store.addTags(db, leadID: existing, lead.tags.sorted())
            try Store.record(db, LeadEvent(leadID: existing, at: now, actor: actor, kind: "updated", detail: eventDetail(draft.line)))
            summary.updated += 1
        case .error:
            let earlier = lineOfLead[existing].map { " on line \($0) of this file" } ?? ""
            summary.problems.append(IntakeProblem(
                line: draft.line, column: key.column,
                reason: "duplicate: \(key.reason) as lead \(existing)\(earlier) (--on-duplicate error)"))
        }
    }

    /// Writes the pending new leads, then their tags and `imported` events (which refer to them).
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
        if pending.count == Self.batchSize {
            for (row, lead) in pending.enumerated() { bindEvent(lead, to: insertEvents, at: Int32(row * 4)) }
            try insertEvents.execute()
        } else {
            for lead in pending {
                bindEvent(lead, to: insertEvent, at: 0)
                try insertEvent.execute()
            }
        }
        pending.removeAll(keepingCapacity: true)
        pendingExternalIDs.removeAll(keepingCapacity: true)
        pendingEmails.removeAll(keepingCapacity: true)
        pendingDomains.removeAll(keepingCapacity: true)
    }

    private func bind(_ lead: Pending, to s: BulkStatement, at offset: Int32) {
        let draft = lead.draft
        s.bind(offset + 1, lead.id)
        s.bind(offset + 2, draft.externalID)
        s.bind(offset + 3, draft.company)
        s.bind(offset + 4, draft.firstName)
        s.bind(offset + 5, draft.lastName)
        s.bind(offset + 6, draft.title)
        s.bind(offset + 7, draft.email)
        s.bind(offset + 8, lead.emailNorm)
        s.bind(offset + 9, draft.phone)
        s.bind(offset + 10, draft.website)
        s.bind(offset + 11, draft.domain)
        s.bind(offset + 12, draft.country)
        s.bind(offset + 13, draft.region)
        s.bind(offset + 14, draft.city)
        s.bind(offset + 15, draft.industry)
        s.bind(offset + 16, draft.employees)
        s.bind(offset + 17, draft.revenue)
        s.bind(offset + 18, draft.source)
        s.bind(offset + 19, createdAt)
        s.bind(offset + 20, lead.attributes)
    }

    private func bindEvent(_ lead: Pending, to s: BulkStatement, at offset: Int32) {
        detail.removeSubrange(detailPrefixCount...)
        Self.appendDecimal(lead.draft.line, to: &detail)
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
        case .externalID(let value): lookup = byExternalID; lookup.bind(1, value)
        case .email(let value): lookup = byEmail; lookup.bind(1, value)
        case .domain(let value): lookup = byDomain; lookup.bind(1, value)
        }
        return try lookup.fetchInt64()
    }
}

extension LeadDraft.MatchKey {
    var reason: String {
        switch self {
        case .externalID: "same external_id"
        case .email: "same email"
        case .domain: "same domain"
        }
    }

    var column: String {
        switch self {
        case .externalID: "external_id"
        case .email: "email"
        case .domain: "domain"
        }
    }
}

extension Store {
    /// Writes a lead's importable fields back (for `--on-duplicate update`).
    static func updateImportedFields(_ db: Database, _ lead: Lead) throws {
        try db.execute(
            sql: """
                UPDATE leads SET external_id = ?, company = ?, first_name = ?, last_name = ?, title = ?, email = ?,
                    email_norm = ?, phone = ?, website = ?, domain = ?, country = ?, region = ?, city = ?, industry = ?,
                    employees = ?, revenue = ?, source = ?, attrs = ?
                WHERE id = ?
                """,
            arguments: [
                lead.externalID, lead.company, lead.firstName, lead.lastName, lead.title, lead.email,
                lead.email.map(IntakeValue.normalizedEmail), lead.phone, lead.website, lead.domain, lead.country, lead.region,
                lead.city, lead.industry, lead.employees, lead.revenue, lead.source, JSONText.object(lead.attributes),
                lead.id,
            ])
    }

    /// Runs an import in one write transaction. `body` feeds rows to the `LeadImport`; when it
    /// is done, the transaction commits only if no row was bad and this is not a dry run.
    ///
    /// For the import only, the connection gets a bigger page cache (a fixed 32 MiB, so the
    /// dedup indexes' hot pages stay in memory instead of being written to the WAL and read
    /// back a page at a time) and keeps statement journals in memory (a multi-row INSERT
    /// journals the pages it changes so that it can be undone alone; on disk that was a
    /// million small writes). Neither touches durability: statement journals are never read
    /// after a crash, and the WAL commit is the same. Both are put back afterwards.
    public func importLeads(
        file: String, source: String?, policy: DuplicatePolicy, dryRun: Bool, actor: String, at now: Date,
        _ body: (LeadImport) throws -> Void
    ) throws -> ImportSummary {
        var summary = ImportSummary()
        do {
            try pool.writeWithoutTransaction { db in
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                let tempStore = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
                try db.execute(sql: "PRAGMA cache_size = \(Store.importCacheSize); PRAGMA temp_store = MEMORY")
                defer { try? db.execute(sql: "PRAGMA cache_size = \(cacheSize); PRAGMA temp_store = \(tempStore)") }
                try db.inTransaction(.immediate) {
                    let firstNewID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM leads") ?? 0) + 1
                    let session = try LeadImport(db: db, policy: policy, actor: actor, now: now, file: file, source: source)
                    try body(session)
                    try session.flush()
                    summary = session.summary
                    summary.dryRun = dryRun
                    // New leads get the current ruleset's score; updated ones may have changed anywhere.
                    if summary.problems.isEmpty, let current = try Store.fetchRuleset(db, version: nil) {
                        try Store.rescore(
                            db, ruleset: current.ruleset, now: now, leadIDsFrom: summary.updated > 0 ? nil : firstNewID)
                    }
                    return dryRun || !summary.problems.isEmpty ? .rollback : .commit
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
