import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

/// One import into PostgreSQL, inside its transaction: each row's duplicate found by the
/// indexes, the rows grouped by the core's ``DuplicateGroups``, each new lead written as it
/// comes (its id given by the import, which holds the leads table against other writers), the
/// `imported` events written once the groups are settled, and the new and updated leads
/// scored at the end.
final class PostgresImport: ImportSession {
    let sql: PostgresSQL
    let policy: DuplicatePolicy
    let actor: String
    let now: Date
    let login: String
    let recordDuplicates: Bool
    let ruleset: Ruleset?
    private(set) var summary = ImportSummary()
    private(set) var updating = false
    private var groups = DuplicateGroups()
    private var resolution: DuplicateGroups.Resolution?
    private var updateRow = 0
    private var updateDuplicate = 0
    private var updatedLeads: [Int64] = []
    private let detailPrefix: String
    private let firstNewID: Int64
    private var nextID: Int64
    private let existingLeads: Bool
    private let domainOnlyLeads: Bool

    /// The pool new leads go into.
    let pool: String

    init(
        sql: PostgresSQL,
        pool: String,
        policy: DuplicatePolicy,
        actor: String,
        now: Date,
        login: String,
        file: String,
        source: String?,
        recordDuplicates: Bool
    )
        throws
    {
        self.sql = sql
        self.pool = pool
        self.policy = policy
        self.actor = actor
        self.now = now
        self.login = login
        self.recordDuplicates = recordDuplicates
        // Other writers of leads wait for the import; readers go on.
        try sql.execute("LOCK TABLE leads IN SHARE ROW EXCLUSIVE MODE")
        ruleset = try sql.currentRuleset()?.ruleset
        detailPrefix = ImportSummary.eventDetailPrefix(file: file, source: source)
        nextID = try sql.value("SELECT coalesce(max(id), 0) + 1 FROM leads", as: Int64.self) ?? 1
        firstNewID = nextID
        existingLeads = nextID > 1
        domainOnlyLeads =
            try existingLeads
            && sql.value(
                "SELECT EXISTS (SELECT 1 FROM \(unescaped: PostgresSQL.leadRows) WHERE external_id IS NULL AND email_norm IS NULL AND domain IS NOT NULL)",
                as: Bool.self
            ) == true
    }

    func reject(_ problems: [IntakeProblem]) {
        guard !updating else { return }
        summary.problems += problems
    }

    func add(_ draft: LeadDraft) throws {
        if updating { return try applyUpdate(draft) }
        let emailNorm = draft.normalizedEmail
        var anchor: (lead: Int64, key: DuplicateGroups.Key)?
        if existingLeads,
            let match = try draft.firstMatch(
                normalizedEmail: emailNorm,
                { key -> Int64? in
                    if case .domainOnly = key, !domainOnlyLeads { return nil }
                    return try existing(key)
                }
            )
        {
            anchor = (match.found, match.key.groupKey)
        }
        let id = nextID
        guard groups.add(line: draft.line, externalID: draft.externalID, email: emailNorm, domain: draft.domain, anchor: anchor, newLead: id)
        else { return }
        nextID += 1
        var lead = Lead(company: draft.company, createdAt: now)
        draft.update(&lead)
        lead.id = id
        lead.pool = pool
        lead.tags = Set(draft.tags)
        unwritten.append(lead)
        if unwritten.count == Self.leadPage { try writeNewLeads() }
    }

    /// New leads held back to be written a page at a time.
    private var unwritten: [Lead] = []
    static let leadPage = 5_000

    private func writeNewLeads() throws {
        try sql.insertLeads(unwritten)
        unwritten.removeAll(keepingCapacity: true)
    }

    /// The lead that was there before the import with `key`.
    private func existing(_ key: LeadDraft.MatchKey) throws -> Int64? {
        let column =
            switch key {
            case .externalID: "external_id"
            case .email: "email"
            case .domain: "domain"
            case .domainOnly: "domain_only"
            }
        return try sql.findLead(column, key.value, before: firstNewID)
    }

    /// Settles the groups (once): removes the leads a later row folded into another, writes
    /// the `imported` events of the new leads that stay, counts the duplicates.
    func resolve() throws {
        guard resolution == nil else { return }
        try writeNewLeads()
        let decided = groups.resolve()
        resolution = decided
        if !decided.surplus.isEmpty {
            try sql.execute("DELETE FROM lead_tags WHERE lead_id = ANY(\(decided.surplus))")
            try sql.execute("DELETE FROM leads WHERE id = ANY(\(decided.surplus))")
        }
        // Written by the admins' function, with the server's clock and the session's role.
        for start in stride(from: 0, to: decided.newLeads.count, by: Self.eventBatch) {
            let batch = decided.newLeads[start..<min(start + Self.eventBatch, decided.newLeads.count)]
            try sql.execute(
                """
                SELECT leadpool_record_imported(\(batch.map(\.lead)), \(batch.map { detailPrefix + "\($0.line)}" }), \(now.storedSeconds), \(actor))
                """
            )
        }
        summary.count(decided, policy: policy, recordDuplicates: recordDuplicates)
    }

    static let eventBatch = 5_000

    /// The second pass of `--on-duplicate update`: the same rows again, each duplicate updating its lead.
    func startUpdates() throws {
        try resolve()
        updating = true
    }

    private func applyUpdate(_ draft: LeadDraft) throws {
        let row = updateRow
        updateRow += 1
        guard let duplicates = resolution?.duplicates, updateDuplicate < duplicates.count, duplicates[updateDuplicate].row == row else { return }
        let existing = duplicates[updateDuplicate].lead
        updateDuplicate += 1
        var lead = try sql.requireLead(existing)
        draft.update(&lead)
        try sql.updateImportedFields(lead)
        _ = try sql.addTags(leadID: existing, lead.tags.sorted())
        try sql.record(LeadEvent(leadID: existing, at: now, actor: actor, kind: .updated, detail: detailPrefix + "\(draft.line)}"), by: login)
        summary.updated += 1
        updatedLeads.append(existing)
    }

    /// Scores the new and updated leads, and moves the id sequence past the ids the import gave.
    func finish(commit: Bool) throws {
        guard commit else { return }
        if let ruleset {
            try sql.rescoreAll(ruleset, now: now, fromID: firstNewID)
            for id in updatedLeads where id < firstNewID { try sql.rescore(id, now: now) }
        }
        try sql.execute("SELECT setval(pg_get_serial_sequence('leads', 'id'), greatest(max(id), 1)) FROM leads")
    }
}

extension PostgresSQL {
    /// Writes a lead's importable fields back (for `--on-duplicate update` and `lead update`).
    /// Only admins and the lead's owner edit a lead, and they read every field of it, so no
    /// withheld placeholder is written back.
    func updateImportedFields(_ lead: Lead) throws {
        let columns = LeadField.importedColumns.map { $0.column! } + ["email_norm", "attrs", "open_attrs"]
        var bindings = PostgresBindings(capacity: columns.count + 1)
        for field in LeadField.importedColumns {
            if let value = lead[field] { value.bind(to: &bindings) } else { bindings.appendNull() }
        }
        bindings.append(lead.email.map(IntakeValue.normalizedEmail))
        bindings.append(JSONText.object(lead.attributes))
        bindings.append(Lead.openAttributesJSON(of: lead.attributes))
        bindings.append(lead.id)
        let assignments = columns.enumerated().map { "\($1) = $\($0 + 1)" + ($1.hasSuffix("attrs") ? "::json" : "") }
        try execute(
            PostgresQuery(unsafeSQL: "UPDATE leads SET \(assignments.joined(separator: ", ")) WHERE id = $\(columns.count + 1)", binds: bindings)
        )
    }
}

// MARK: - LeadStorage: import

extension PostgresStore {
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
        try transaction { sql -> (result: ImportSummary, commit: Bool) in
            // New leads go into a pool of the rules file in force (`main` always exists).
            let pool = try (try sql.currentRuleset()?.ruleset ?? .standard).requirePool(pool).name
            let session = try PostgresImport(
                sql: sql,
                pool: pool,
                policy: policy,
                actor: actor,
                now: now,
                login: login,
                file: file,
                source: source,
                recordDuplicates: recordDuplicates
            )
            let run = try session.run(policy: policy, dryRun: dryRun, keepGoodRows: keepGoodRows, body)
            return (run.summary, run.commit)
        }
    }
}
