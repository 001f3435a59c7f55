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
public final class LeadImport {
    let db: Database
    let policy: DuplicatePolicy
    let actor: String
    let now: Date
    let eventDetail: (Int) -> String
    public private(set) var summary = ImportSummary()
    /// Lines of the leads this import created, to name the earlier row of an in-file duplicate.
    private var lineOfLead: [Int64: Int] = [:]

    init(db: Database, policy: DuplicatePolicy, actor: String, now: Date, file: String, source: String?) {
        self.db = db
        self.policy = policy
        self.actor = actor
        self.now = now
        var prefix = "{\"file\":"
        JSONText.quote(file, into: &prefix)
        if let source {
            prefix += ",\"source\":"
            JSONText.quote(source, into: &prefix)
        }
        eventDetail = { line in prefix + ",\"line\":\(line)}" }
    }

    /// Rows the reader or the row checks refused.
    public func reject(_ problems: [IntakeProblem]) {
        summary.problems += problems
    }

    /// Imports one checked row: new, updated, skipped or (policy `error`) a duplicate problem.
    public func add(_ draft: LeadDraft) throws {
        if let key = draft.matchKey, let existing = try find(key) {
            switch policy {
            case .skip:
                summary.skipped[key.reason, default: 0] += 1
            case .update:
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
            return
        }
        let id = try Store.insertLead(db, draft.makeLead(createdAt: now))
        _ = try Store.addTags(db, leadID: id, draft.tags)
        try Store.record(db, LeadEvent(leadID: id, at: now, actor: actor, kind: "imported", detail: eventDetail(draft.line)))
        if policy == .error { lineOfLead[id] = draft.line }
        summary.new += 1
    }

    private func find(_ key: LeadDraft.MatchKey) throws -> Int64? {
        let (sql, value): (String, String) =
            switch key {
            case .externalID(let v): ("SELECT id FROM leads WHERE external_id = ?", v)
            case .email(let v): ("SELECT id FROM leads WHERE email_norm = ? ORDER BY id LIMIT 1", v)
            case .domain(let v): ("SELECT id FROM leads WHERE domain = ? ORDER BY id LIMIT 1", v)
            }
        let lookup = try BulkStatement(db, sql: sql)
        lookup.bind(1, value)
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

/// Thrown inside the transaction to roll it back while keeping the summary.
private struct RollBack: Error {}

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
    public func importLeads(
        file: String, source: String?, policy: DuplicatePolicy, dryRun: Bool, actor: String, at now: Date,
        _ body: (LeadImport) throws -> Void
    ) throws -> ImportSummary {
        var summary = ImportSummary()
        do {
            try write { db in
                let firstNewID = (try Int64.fetchOne(db, sql: "SELECT max(id) FROM leads") ?? 0) + 1
                let session = LeadImport(db: db, policy: policy, actor: actor, now: now, file: file, source: source)
                try body(session)
                summary = session.summary
                // New leads get the current ruleset's score; updated ones may have changed anywhere.
                if summary.problems.isEmpty, let current = try Store.fetchRuleset(db, version: nil) {
                    try Store.rescore(db, ruleset: current.ruleset, now: now, leadIDsFrom: summary.updated > 0 ? nil : firstNewID)
                }
                summary.dryRun = dryRun
                if dryRun || !summary.problems.isEmpty { throw RollBack() }
            }
        } catch is RollBack {}
        return summary
    }
}
