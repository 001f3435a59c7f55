import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

// MARK: - Rows

extension Lead {
    /// The columns every lead read selects, from ``PostgresSQL/leadRows``: each stored field's,
    /// in ``LeadField/stored`` order (field i is column i), then the ones no field names, tags
    /// folded into one text, and the names of the fields withheld from this session.
    static let postgresColumns =
        (LeadField.stored.map { "leads." + $0.column! } + [
            "leads.previous_owner", "leads.released_at", "leads.attrs::text", "leads.moved_at",
            "(SELECT string_agg(tag, chr(31) ORDER BY tag) FROM lead_tags WHERE lead_tags.lead_id = leads.id) AS tag_list",
            "array_to_string(leads.withheld, chr(31)) AS withheld",
        ]).joined(separator: ", ")

    /// A lead from a row that selected ``postgresColumns``, read by position.
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(company: "", createdAt: Date(timeIntervalSince1970: 0))
        for (column, field) in LeadField.stored.enumerated() {
            let cell = row[column]
            switch field.kind {
            case .text: self[field] = try cell.decode(String?.self).map(LeadField.Value.text)
            case .integer: self[field] = try cell.decode(Int64?.self).map(LeadField.Value.integer)
            case .number: self[field] = try cell.decode(Double?.self).map(LeadField.Value.number)
            case .time: self[field] = try cell.decode(Int64?.self).map { .time(Date(storedSeconds: $0)) }
            case .tags: break
            }
        }
        let rest = LeadField.stored.count
        previousOwner = try row[rest].decode(String?.self)
        releasedAt = try row[rest + 1].decode(Int64?.self).map(Date.init(storedSeconds:))
        attributes = try row[rest + 2].decode(String?.self).flatMap(JSONText.values(ofObject:)) ?? [:]
        movedAt = try row[rest + 3].decode(Int64?.self).map(Date.init(storedSeconds:))
        tags = Set(try row[rest + 4].decode(String?.self).map { $0.split(separator: "\u{1F}").map(String.init) } ?? [])
        for name in try row[rest + 5].decode(String?.self).map({ $0.split(separator: "\u{1F}") }) ?? [] {
            withhold(String(name))
        }
    }

    /// Marks a field the database withheld from this session (``PostgresSQL/leadRows`` gives it
    /// no value) as holding one: the field is hidden from this reader (Visibility decides the
    /// same), and whether a lead has an email shows while the email does not, as on SQLite.
    /// The placeholder (empty text, zero) is never shown.
    private mutating func withhold(_ name: String) {
        if name.hasPrefix("attr.") {
            attributes[String(name.dropFirst(5))] = ""
            return
        }
        guard let field = LeadField(rawValue: name) else { return }
        switch field.kind {
        case .text: self[field] = .text("")
        case .integer: self[field] = .integer(0)
        case .number: self[field] = .number(0)
        case .time, .tags: break
        }
    }

    /// What `open_attrs` keeps of a lead's `attributes`: those that are no contact data
    /// (``Visibility/isContactAttribute(_:)``), which a reader who may not see the lead's contact
    /// fields gets (less those the rules hide); `{}` when every one is contact data, NULL when
    /// there are none (as `attrs`).
    static func openAttributesJSON(of attributes: [String: String]) -> String? {
        attributes.isEmpty ? nil : JSONText.object(attributes.filter { !Visibility.isContactAttribute($0.key) }) ?? "{}"
    }
}

extension LeadField.Value {
    /// Appends the value to `bindings` as its column's type.
    func bind(to bindings: inout PostgresBindings) {
        switch self {
        case .text(let text): bindings.append(text)
        case .integer(let n): bindings.append(n)
        case .number(let d): bindings.append(d)
        case .time(let date): bindings.append(date.storedSeconds)
        }
    }
}

extension PostgresSQL {
    /// One lead; `locked` takes its row lock for the rest of the transaction, so a decision
    /// made on what was read holds when the transaction writes.
    func lead(_ id: Int64, locked: Bool = false) throws -> Lead? {
        try rows(
            PostgresQuery(
                unsafeSQL: "SELECT \(Lead.postgresColumns) FROM \(Self.leadRows) WHERE id = $1" + (locked ? " FOR UPDATE OF leads" : ""),
                binds: binds(id)
            )
        ).first.map(Lead.init(postgres:))
    }

    func requireLead(_ id: Int64) throws -> Lead {
        guard let lead = try lead(id) else { throw LeadPoolError.notFound("no lead with id \(id)") }
        return lead
    }

    func binds(_ value: Int64) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(value)
        return bindings
    }

    /// Where every lead read selects from: the view that gives each column only where this
    /// session may read it (migration 0009), named `leads` so conditions read as on the table.
    /// Writes go to the table `leads` itself.
    static let leadRows = "lead_rows AS leads"

    /// Appends one event to the history through `leadpool_record_event`, which writes it with
    /// the server's clock and the session's role (`login`) and refuses, for a non-admin, an
    /// event that is not its own, of a kind it may not write, at odds with the lead, or away
    /// from the server's clock.
    func record(_ event: LeadEvent, by login: String) throws {
        try execute(
            """
            SELECT leadpool_record_event(\(event.leadID), \(event.at.storedSeconds), \(event.actor), \(event.kind.rawValue), \(event.fromOwner),
                                         \(event.toOwner), \(event.roundID), \(event.rule), \(event.reason), \(event.detail)::json)
            """
        )
    }

    /// The lead before `before` whose `key` (`external_id`, `email` (normalised), `domain`,
    /// `domain_only`) is `value`: for admins, through `leadpool_find_lead`, as these columns
    /// are not a rep's to read.
    func findLead(_ key: String, _ value: String, before: Int64 = .max) throws -> Int64? {
        try self.value("SELECT leadpool_find_lead(\(key), \(value), \(before))", as: Int64?.self) ?? nil
    }

    /// Inserts a new lead row (not its tags) and returns its id; `id` gives it one (an import
    /// holding the table does), else the identity column does.
    func insertLead(_ lead: Lead, id: Int64? = nil) throws -> Int64 {
        let columns = Self.newLeadColumns(withID: id != nil)
        var bindings = PostgresBindings(capacity: columns.count)
        Self.bindNewLead(lead, id: id, to: &bindings)
        let sql = "INSERT INTO leads (\(columns.joined(separator: ", "))) VALUES \(Self.newLeadRow(at: 0, width: columns.count)) RETURNING id"
        guard let id = try value(PostgresQuery(unsafeSQL: sql, binds: bindings), as: Int64.self) else {
            throw LeadPoolError.bug("INSERT … RETURNING id returned no row")
        }
        return id
    }

    /// Writes new leads with the ids they carry and their tags, many to a statement (an
    /// import's page of leads: one round trip instead of one per lead).
    func insertLeads(_ leads: [Lead]) throws {
        let columns = Self.newLeadColumns(withID: true)
        // A statement binds at most 32,767 values.
        let perStatement = 30_000 / columns.count
        for start in stride(from: 0, to: leads.count, by: perStatement) {
            let page = leads[start..<min(start + perStatement, leads.count)]
            var bindings = PostgresBindings(capacity: columns.count * page.count)
            for lead in page { Self.bindNewLead(lead, id: lead.id, to: &bindings) }
            let rows = page.indices.map { Self.newLeadRow(at: ($0 - start) * columns.count, width: columns.count) }
            try execute(
                PostgresQuery(
                    unsafeSQL: "INSERT INTO leads (\(columns.joined(separator: ", "))) VALUES \(rows.joined(separator: ", "))",
                    binds: bindings
                )
            )
        }
        let tagged = leads.flatMap { lead in lead.tags.sorted().map { (lead.id, $0) } }
        guard !tagged.isEmpty else { return }
        try TextLimit.label.check(tagged.map(\.1), "a tag")
        try execute(
            """
            INSERT INTO lead_tags (lead_id, tag) SELECT * FROM unnest(\(tagged.map(\.0))::BIGINT[], \(tagged.map(\.1))::TEXT[])
            ON CONFLICT DO NOTHING
            """
        )
    }

    /// The columns a new lead's row writes: its fields, the e-mail key, its id when given, and
    /// its attributes last (both JSON).
    private static func newLeadColumns(withID: Bool) -> [String] {
        newLeadFields.map { $0.column! } + ["email_norm"] + (withID ? ["id"] : []) + ["attrs", "open_attrs"]
    }

    private static let newLeadFields = LeadField.importedColumns + [LeadField.status, .score, .tier, .pool, .createdAt]

    /// Appends a new lead's values in ``newLeadColumns(withID:)`` order.
    private static func bindNewLead(_ lead: Lead, id: Int64?, to bindings: inout PostgresBindings) {
        for field in newLeadFields {
            if let value = lead[field] { value.bind(to: &bindings) } else { bindings.appendNull() }
        }
        bindings.append(lead.email.map(IntakeValue.normalizedEmail))
        if let id { bindings.append(id) }
        bindings.append(JSONText.object(lead.attributes))
        bindings.append(Lead.openAttributesJSON(of: lead.attributes))
    }

    /// One row of placeholders for a new lead whose values start after `offset` bound values.
    private static func newLeadRow(at offset: Int, width: Int) -> String {
        "(" + (1...width).map { "$\(offset + $0)" + ($0 >= width - 1 ? "::json" : "") }.joined(separator: ", ") + ")"
    }

    /// Adds tags a lead does not have yet (in any case); returns the ones added.
    func addTags(leadID: Int64, _ tags: some Collection<String>) throws -> [String] {
        try TextLimit.label.check(tags, "a tag")
        var added: [String] = []
        for tag in tags where try execute("INSERT INTO lead_tags (lead_id, tag) VALUES (\(leadID), \(tag)) ON CONFLICT DO NOTHING") == 1 {
            added.append(tag)
        }
        return added
    }

    /// Scores `lead` under the ruleset in force (none: as it stands) with the core's scorer.
    func rescore(_ id: Int64, now: Date) throws {
        guard let current = try currentRuleset(), let lead = try lead(id) else { return }
        let (score, tier) = LeadScorer(ruleset: current.ruleset, now: now).score(lead)
        try execute("UPDATE leads SET score = \(score), tier = \(tier) WHERE id = \(id)")
    }
}

// MARK: - LeadStorage: leads

extension PostgresStore {
    public func lead(_ id: Int64) throws -> Lead {
        try transaction(readOnly: true) { try $0.requireLead(id) }
    }

    public func addLead(_ lead: Lead, actor: String, at now: Date) throws -> Int64 {
        try TextLimit.name.check(lead.company, "--company")
        for (field, value) in lead.textFields { try TextLimit.name.check(value, "--field \(field)") }
        return try transaction { sql in
            if let externalID = lead.externalID, let other = try sql.findLead("external_id", externalID) {
                throw LeadPoolError.refused("lead \(other) already has external_id \(externalID)")
            }
            var lead = lead
            lead.createdAt = now
            let id = try sql.insertLead(lead)
            _ = try sql.addTags(leadID: id, lead.tags.sorted())
            try sql.record(LeadEvent(leadID: id, at: now, actor: actor, kind: .created), by: login)
            try sql.rescore(id, now: now)
            return id
        }
    }

    public func updateLead(_ id: Int64, _ edit: LeadEdit, by actor: Rep, at now: Date) throws -> [(name: String, old: String?, new: String?)] {
        try edit.checkText(at: now)
        return try transaction { sql in
            guard let lead = try sql.lead(id, locked: true) else { throw LeadPoolError.notFound("no lead with id \(id)") }
            if let refusal = edit.refusal(by: actor, on: lead) { throw refusal }
            let updated = edit.applied(to: lead)
            let changes = edit.changes(from: lead, to: updated)
            guard !changes.isEmpty else { return [] }
            if let externalID = updated.externalID, externalID != lead.externalID,
                let other = try sql.findLead("external_id", externalID)
            {
                throw LeadPoolError.refused("lead \(other) already has external_id \(externalID)")
            }
            try sql.updateImportedFields(updated)
            try sql.record(LeadEvent(leadID: id, at: now, actor: actor.handle, kind: .updated, detail: LeadEdit.eventDetail(changes)), by: login)
            try sql.rescore(id, now: now)
            return changes
        }
    }

    public func history(_ id: Int64) throws -> [LeadEvent] {
        try transaction(readOnly: true) { sql in
            _ = try sql.requireLead(id)
            return try sql.rows(
                "SELECT id, lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail::text FROM events WHERE lead_id = \(id) ORDER BY id"
            ).map { row in
                let word: String = try row["kind"]
                guard let kind = EventKind(rawValue: word) else {
                    throw LeadPoolError.bug("an event of kind '\(word)', which leadpool does not know")
                }
                return LeadEvent(
                    id: try row["id"],
                    leadID: try row["lead_id"],
                    at: Date(storedSeconds: try row["at"]),
                    actor: try row["actor"],
                    kind: kind,
                    fromOwner: try row["from_owner"],
                    toOwner: try row["to_owner"],
                    roundID: try row["round_id"],
                    rule: try row["rule"],
                    reason: try row["reason"],
                    detail: try row["detail"]
                )
            }
        }
    }
}
