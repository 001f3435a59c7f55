import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

// MARK: - Rows

extension Lead {
    /// The columns every lead read selects: each stored field's, in ``LeadField/stored`` order
    /// (field i is column i), then the ones no field names, tags folded into one text.
    static let columns =
        (LeadField.stored.map { "leads." + $0.column! } + [
            "leads.previous_owner", "leads.released_at", "leads.attrs", "leads.moved_at",
            "(SELECT group_concat(tag, char(31)) FROM lead_tags WHERE lead_tags.lead_id = leads.id) AS tag_list",
        ]).joined(separator: ", ")

    /// The columns after the fields' in ``columns``.
    private static let previousOwnerColumn = LeadField.stored.count
    private static let releasedAtColumn = previousOwnerColumn + 1
    private static let attrsColumn = previousOwnerColumn + 2
    private static let tagListColumn = previousOwnerColumn + 4
    private static let movedAtColumn = previousOwnerColumn + 3

    /// A lead from a row that selected ``columns``, read by position.
    init(row: Row) {
        self.init(company: "", createdAt: Date(timeIntervalSince1970: 0))
        for (column, field) in LeadField.stored.enumerated() {
            switch field.kind {
            case .text: self[field] = (row[column] as String?).map(LeadField.Value.text)
            case .integer: self[field] = (row[column] as Int64?).map(LeadField.Value.integer)
            case .number: self[field] = (row[column] as Double?).map(LeadField.Value.number)
            case .time: self[field] = (row[column] as Int64?).map { .time(Date(storedSeconds: $0)) }
            case .tags: break
            }
        }
        previousOwner = row[Lead.previousOwnerColumn]
        releasedAt = (row[Lead.releasedAtColumn] as Int64?).map(Date.init(storedSeconds:))
        movedAt = (row[Lead.movedAtColumn] as Int64?).map(Date.init(storedSeconds:))
        attributes = (row[Lead.attrsColumn] as String?).flatMap(JSONText.values(ofObject:)) ?? [:]
        tags = Set((row[Lead.tagListColumn] as String?).map { $0.split(separator: "\u{1F}").map(String.init) } ?? [])
    }

}

extension Store {
    /// Cached: commands given thousands of ids read each lead through it, and preparing the
    /// statement anew each time cost more than reading the lead.
    static func fetchLead(_ db: Database, id: Int64) throws -> Lead? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Lead.columns) FROM leads WHERE id = ?"), arguments: [id])
            .map(Lead.init(row:))
    }

    static func requireLead(_ db: Database, id: Int64) throws -> Lead {
        guard let lead = try fetchLead(db, id: id) else {
            throw LeadPoolError.notFound("no lead with id \(id)")
        }
        return lead
    }

    /// Appends one event to the history, written now (the wall clock) by `login`.
    static func record(_ db: Database, _ event: LeadEvent, by login: String?) throws {
        let insert = try BulkStatement(
            db,
            sql: """
                INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail, recorded_at, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        insert.bind(1, event.leadID)
        insert.bind(2, event.at.storedSeconds)
        insert.bind(3, event.actor)
        insert.bind(4, event.kind.rawValue)
        insert.bind(5, event.fromOwner)
        insert.bind(6, event.toOwner)
        insert.bind(7, event.roundID)
        insert.bind(8, event.rule)
        insert.bind(9, event.reason)
        insert.bind(10, event.detail)
        insert.bind(11, Date().storedSeconds)
        insert.bind(12, login)
        try insert.execute()
    }

    /// The columns a lead's importable fields are written to, in ``LeadField/importedColumns``
    /// order; every write of them also writes `email_norm` and `attrs`.
    static let importedColumns = LeadField.importedColumns.map { $0.column! }

    /// What a new lead starts with besides its importable fields.
    private static let newLeadFields: [LeadField] = [.status, .score, .tier, .pool, .createdAt]

    private static let insertLeadSQL: String = {
        let columns = importedColumns + ["email_norm"] + newLeadFields.map { $0.column! } + ["attrs"]
        return "INSERT INTO leads (\(columns.joined(separator: ", "))) VALUES (\(placeholders(columns.count)))"
    }()

    /// `count` parameters: `?, ?, ?`.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// Inserts a new lead row (not its tags) and returns its id.
    static func insertLead(_ db: Database, _ lead: Lead) throws -> Int64 {
        let insert = try BulkStatement(db, sql: insertLeadSQL)
        let values: [LeadField.Value?] =
            LeadField.importedColumns.map { lead[$0] }
            + [lead.email.map { .text(IntakeValue.normalizedEmail($0)) }]
            + newLeadFields.map { lead[$0] }
            + [JSONText.object(lead.attributes).map(LeadField.Value.text)]
        for (offset, value) in values.enumerated() { insert.bind(Int32(offset + 1), value) }
        try insert.execute()
        return insert.lastInsertedRowID
    }

    /// Adds tags a lead does not have yet; returns the ones added.
    static func addTags(_ db: Database, leadID: Int64, _ tags: some Collection<String>) throws -> [String] {
        try TextLimit.label.check(tags, "a tag")
        var added: [String] = []
        for tag in tags {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO lead_tags (lead_id, tag) VALUES (?, ?)").execute(arguments: [leadID, tag])
            if db.changesCount > 0 { added.append(tag) }
        }
        return added
    }

    /// The WHERE clause and ORDER BY of a lead query.
    static func sql(for query: LeadQuery, now: Date) throws -> (where: String, order: String, arguments: StatementArguments) {
        let compiled = try CompiledLeadQuery(query, now: now, dialect: .sqlite)
        return (compiled.whereSQL, compiled.order, StatementArguments(compiled.values))
    }
}

// MARK: - Store API

extension Store {
    /// The lead with `id`; `notFound` when there is none.
    public func lead(_ id: Int64) throws -> Lead {
        try read { try Store.requireLead($0, id: id) }
    }

    /// Leads matching `query`, in its order.
    public func leads(_ query: LeadQuery, now: Date) throws -> [Lead] {
        var leads: [Lead] = []
        try forEachLead(query, now: now) { leads.append($0) }
        return leads
    }

    /// Streams the leads matching `query` without holding them all in memory.
    public func forEachLead(_ query: LeadQuery, now: Date, _ body: (Lead) throws -> Void) throws {
        let (clause, order, arguments) = try Store.sql(for: query, now: now)
        var sql = "SELECT \(Lead.columns) FROM leads WHERE \(clause) ORDER BY \(order)"
        var allArguments = arguments
        if let limit = query.limit {
            sql += " LIMIT ?"
            allArguments += [limit]
        }
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: allArguments)
            while let row = try cursor.next() { try body(Lead(row: row)) }
        }
    }

    /// How many leads match `query` (ignoring its limit).
    public func countLeads(_ query: LeadQuery, now: Date) throws -> Int {
        let (clause, _, arguments) = try Store.sql(for: query, now: now)
        return try read { try Int.fetchOne($0, sql: "SELECT count(*) FROM leads WHERE \(clause)", arguments: arguments) ?? 0 }
    }

    /// Adds one lead by hand with a `created` event; returns its id.
    /// Refuses a lead whose external id another lead has; scores it with the current ruleset.
    public func addLead(_ lead: Lead, actor: String, at now: Date) throws -> Int64 {
        try TextLimit.name.check(lead.company, "--company")
        for (field, value) in lead.textFields { try TextLimit.name.check(value, "--field \(field)") }
        return try write { db in
            if let externalID = lead.externalID,
                let other = try Int64.fetchOne(db, sql: "SELECT id FROM leads WHERE external_id = ?", arguments: [externalID])
            {
                throw LeadPoolError.refused("lead \(other) already has external_id \(externalID)")
            }
            var lead = lead
            lead.createdAt = now
            let id = try Store.insertLead(db, lead)
            _ = try Store.addTags(db, leadID: id, lead.tags.sorted())
            try Store.record(db, LeadEvent(leadID: id, at: now, actor: actor, kind: .created), by: login)
            if let current = try Store.fetchRuleset(db, version: nil) {
                try Store.rescore(db, ruleset: current.ruleset, now: now, leadIDsFrom: id)
            }
            return id
        }
    }

    /// Corrects a lead's fields (`lead update`) in one transaction: checks that `actor` may
    /// (``LeadEdit/refusal(by:on:)``), writes the fields, records one `updated` event whose
    /// detail gives each change as `"field": [old, new]`, and re-scores the lead. Returns the
    /// changes; none means nothing was written.
    public func updateLead(_ id: Int64, _ edit: LeadEdit, by actor: Rep, at now: Date) throws -> [(name: String, old: String?, new: String?)] {
        try edit.checkText(at: now)
        return try write { db in
            let lead = try Store.requireLead(db, id: id)
            if let refusal = edit.refusal(by: actor, on: lead) { throw refusal }
            let updated = edit.applied(to: lead)
            let changes = edit.changes(from: lead, to: updated)
            guard !changes.isEmpty else { return [] }
            if let externalID = updated.externalID, externalID != lead.externalID,
                let other = try Int64.fetchOne(db, sql: "SELECT id FROM leads WHERE external_id = ?", arguments: [externalID])
            {
                throw LeadPoolError.refused("lead \(other) already has external_id \(externalID)")
            }
            try Store.updateImportedFields(db, updated)
            try Store.record(
                db,
                LeadEvent(leadID: id, at: now, actor: actor.handle, kind: .updated, detail: LeadEdit.eventDetail(changes)),
                by: login
            )
            if let current = try Store.fetchRuleset(db, version: nil) {
                try Store.rescore(db, ruleset: current.ruleset, now: now, leadIDs: [id])
            }
            return changes
        }
    }

    /// Adds (or with `remove`, removes) tags on leads; one event per lead that changed.
    /// All leads must exist, or nothing changes. The changed leads are re-scored with the current
    /// ruleset, whose ICP may read tags. Returns how many leads changed.
    @discardableResult
    public func tag(_ ids: [Int64], _ tags: [String], remove: Bool = false, actor: String, at now: Date) throws -> Int {
        try write { db in
            var changed: [Int64] = []
            for id in ids {
                _ = try Store.requireLead(db, id: id)
                var touched: [String] = []
                if remove {
                    for tag in tags {
                        try db.execute(sql: "DELETE FROM lead_tags WHERE lead_id = ? AND tag = ?", arguments: [id, tag])
                        if db.changesCount > 0 { touched.append(tag) }
                    }
                } else {
                    touched = try Store.addTags(db, leadID: id, tags)
                }
                guard !touched.isEmpty else { continue }
                changed.append(id)
                try Store.record(
                    db,
                    LeadEvent(
                        leadID: id,
                        at: now,
                        actor: actor,
                        kind: remove ? .untagged : .tagged,
                        detail: "{\"tags\":\(JSONText.array(touched))}"
                    ),
                    by: login
                )
            }
            // ICP criteria may read tags: the changed leads' scores follow them, as on import.
            if !changed.isEmpty, let current = try Store.fetchRuleset(db, version: nil) {
                try Store.rescore(db, ruleset: current.ruleset, now: now, leadIDs: changed)
            }
            return changed.count
        }
    }

    /// Every event of a lead, oldest first; `notFound` for an unknown lead.
    public func history(_ id: Int64) throws -> [LeadEvent] {
        try read { db in
            _ = try Store.requireLead(db, id: id)
            return try Row.fetchAll(
                db,
                sql:
                    "SELECT id, lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail FROM events WHERE lead_id = ? ORDER BY id",
                arguments: [id]
            ).map {
                LeadEvent(
                    id: $0["id"],
                    leadID: $0["lead_id"],
                    at: Date(storedSeconds: $0["at"]),
                    actor: $0["actor"],
                    kind: try EventKind(column: $0["kind"]),
                    fromOwner: $0["from_owner"],
                    toOwner: $0["to_owner"],
                    roundID: $0["round_id"],
                    rule: $0["rule"],
                    reason: $0["reason"],
                    detail: $0["detail"]
                )
            }
        }
    }
}

extension Store {
    /// The attribute names used by the leads matching `query`, sorted: the `attr.*` columns of an export.
    /// Whether some lead has the attribute `name` (stops at the first that has it).
    public func hasAttribute(_ name: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM leads WHERE json_extract(attrs, ?) IS NOT NULL)",
                arguments: ["$.\"" + name + "\""]
            ) ?? false
        }
    }

    public func attributeNames(_ query: LeadQuery, now: Date) throws -> [String] {
        let (clause, _, arguments) = try Store.sql(for: query, now: now)
        return try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT key FROM leads, json_each(leads.attrs) WHERE leads.attrs IS NOT NULL AND \(clause) ORDER BY key",
                arguments: arguments
            )
        }
    }
}
