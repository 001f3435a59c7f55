/// Where one column's values go.
public enum ColumnTarget: Sendable, Hashable, CustomStringConvertible {
    /// A canonical, importable lead field.
    case field(LeadField)
    /// `attr.NAME`: kept with the lead under NAME.
    case attribute(String)
    /// Not imported (`--map "Header=-"`, or a column without a header).
    case ignored

    /// `company`, `attr.product_interest`, `-`: the form `--map` takes.
    public var description: String {
        switch self {
        case .field(let field): field.rawValue
        case .attribute(let name): "attr.\(name)"
        case .ignored: "-"
        }
    }
}

/// A `--map "Header=field"` option: send the column named `Header` to `field`.
public struct ColumnOverride: Sendable, Hashable {
    /// The header as given; matched exactly first, then ignoring case and punctuation.
    public var header: String
    public var target: ColumnTarget

    public init(header: String, target: ColumnTarget) {
        self.header = header
        self.target = target
    }

    /// Parses `Header=field`, where field is an importable canonical field, `attr.NAME` or `-`.
    /// The last `=` separates, so a header may itself contain `=`.
    ///
    /// - Throws: `usage` for a missing `=`, an unknown field (suggesting the nearest) or a
    ///   field that cannot be imported (`status`, `score`, …).
    public init(parsing option: String) throws(LeadPoolError) {
        try TextLimit.name.check(option, "--map")
        guard let equals = option.lastIndex(of: "="),
            let header = IntakeValue.trimmed(String(option[..<equals]))
        else {
            throw .usage("--map \"\(option)\": expected \"Header=field\"", hint: "e.g. --map \"Firm=company\"")
        }
        let name = IntakeValue.trimmed(String(option[option.index(after: equals)...])) ?? ""
        self.header = header
        self.target = try Self.target(named: name, option: option)
    }

    private static func target(named name: String, option: String) throws(LeadPoolError) -> ColumnTarget {
        if name == "-" { return .ignored }
        if name.lowercased().hasPrefix("attr.") {
            let attribute = HeaderAliases.attributeName(String(name.dropFirst(5)))
            guard !attribute.isEmpty else {
                throw .usage("--map \"\(option)\": attr. needs a name, e.g. attr.plan")
            }
            return .attribute(attribute)
        }
        if let field = LeadField(rawValue: name.lowercased()) {
            guard field.isImportable else {
                throw .usage(
                    "--map \"\(option)\": \(field.rawValue) cannot be imported (leadpool sets it)",
                    hint: "keep the column as an attribute: --map \"\(option.prefix(upTo: option.lastIndex(of: "=")!))=attr.\(field.rawValue)\"")
            }
            return .field(field)
        }
        let importable = LeadField.allCases.filter(\.isImportable).map(\.rawValue)
        let hint = NameSuggestion.nearest(to: name, among: importable).map { "did you mean \($0)?" }
            ?? "use one of \(importable.joined(separator: ", ")), attr.NAME or -"
        throw .usage("--map \"\(option)\": unknown field \"\(name)\"", hint: hint)
    }
}

/// What became of a row: a lead to import, or every reason it cannot be.
public enum DraftResult: Sendable, Equatable {
    case draft(LeadDraft)
    case rejected([IntakeProblem])
}

/// A CSV header matched to lead fields: which column feeds which field.
///
/// Headers are matched ignoring case and everything but letters and digits, through the
/// aliases of Salesforce, HubSpot and common exports (``HeaderAliases``), so no `--map` is
/// needed for them. Salesforce custom fields (`Product_Interest__c`) and every other column
/// become attributes (`attr.product_interest`). `status`, `score` and other fields leadpool
/// sets are never taken from a file: such columns become attributes too (Salesforce `Status`
/// → `attr.status`). An `attr.NAME` header (our own export) maps to that attribute, and in a
/// file with an `external_id` header (our own export) the columns leadpool computes or owns
/// (`id`, `status`, `score`, `tier`, `owner`, the times) are ignored and each cell loses the
/// `'` the export put before it (``CSVCell/restored(_:)``); other files keep their `'`s.
///
/// A fallback column (Salesforce `MobilePhone`, `CountryCode`, `Id`) feeds its field only when
/// no primary column for it is present; otherwise it is an attribute. Likewise a `--map` that
/// sends a column to a field turns the column matched to that field by name into an attribute. `Name` is the company
/// when the file has no company column and no first/last name column, otherwise `attr.name`.
public struct HeaderMap: Sendable {
    /// One column of the file and where it goes.
    public struct Column: Sendable, Equatable {
        /// 0-based position in the record.
        public var index: Int
        /// The header as written.
        public var header: String
        public var target: ColumnTarget
    }

    /// Every column of the header, in file order.
    public let columns: [Column]
    private let companyHeader: String
    /// Whether each cell loses one leading `'` (``CSVCell/restored(_:)``): in leadpool's own
    /// export (it has an `external_id` column), not on the command line.
    public let restoresExportedCells: Bool

    /// Matches `header` to fields, applying `overrides` first.
    ///
    /// - Parameters:
    ///   - file: the file name, for messages; `line`: the header's line.
    ///   - fromCommandLine: the values are typed on the command line (`lead add --field`), never
    ///     an export, and are taken as given, a leading `'` included.
    /// - Throws: `usage` when an override names a header the file lacks (suggesting the
    ///   nearest); `badInput` when two columns map to one field or attribute (naming both),
    ///   or no column maps to `company`.
    public init(
        header: [String], overrides: [ColumnOverride] = [], file: String = "input", line: Int = 1,
        fromCommandLine: Bool = false
    ) throws(LeadPoolError) {
        var targets: [ColumnTarget?] = Array(repeating: nil, count: header.count)
        var ranks: [HeaderAliases.Rank] = Array(repeating: .primary, count: header.count)

        // --map first: exact header, else the same matching key.
        for override in overrides {
            var matched = header.indices.filter { header[$0] == override.header }
            if matched.isEmpty {
                let key = HeaderAliases.key(override.header)
                matched = header.indices.filter { HeaderAliases.key(header[$0]) == key }
            }
            guard !matched.isEmpty else {
                let hint = NameSuggestion.nearest(to: override.header, among: header).map { "did you mean \"\($0)\"?" }
                    ?? "the headers are: \(header.map { "\"\($0)\"" }.joined(separator: ", "))"
                throw .usage("--map \"\(override.header)=\(override.target)\": \(file) has no column \"\(override.header)\"", hint: hint)
            }
            for index in matched { targets[index] = override.target }
        }

        let keys = header.map(HeaderAliases.key)
        let hasPersonName = keys.contains { key in
            HeaderAliases.table[key].map { $0.field == .firstName || $0.field == .lastName } ?? false
        }
        // Our own export names its columns exactly as the canonical fields, external_id among
        // them (no CRM writes that header): read it back and skip what leadpool computes or owns.
        let isLeadpoolExport = header.contains(LeadField.externalID.rawValue)
        restoresExportedCells = isLeadpoolExport && !fromCommandLine
        for (index, name) in header.enumerated() where targets[index] == nil {
            let trimmed = IntakeValue.trimmed(name) ?? ""
            let lower = trimmed.lowercased()
            if trimmed.isEmpty {
                targets[index] = .ignored
            } else if isLeadpoolExport, let field = LeadField(rawValue: trimmed), !field.isImportable {
                targets[index] = .ignored
            } else if lower.hasPrefix("attr.") {
                targets[index] = .attribute(HeaderAliases.attributeName(String(trimmed.dropFirst(5))))
            } else if lower.hasSuffix("__c") {
                targets[index] = .attribute(HeaderAliases.attributeName(String(trimmed.dropLast(3))))
            } else if let alias = HeaderAliases.table[keys[index]] {
                targets[index] = .field(alias.field)
                ranks[index] = alias.rank
            } else if keys[index] == HeaderAliases.companyOrPersonName && !hasPersonName {
                targets[index] = .field(.company)
                ranks[index] = .fallback
            } else {
                targets[index] = .attribute(HeaderAliases.attributeName(trimmed))
            }
        }

        // A fallback gives way to a primary column of the same field, and a matched column
        // to a --map that claims its field.
        let overridden = Set(overrides.flatMap { o in header.indices.filter { targets[$0] == o.target && (header[$0] == o.header || HeaderAliases.key(header[$0]) == HeaderAliases.key(o.header)) } })
        var resolved = targets.map { $0! }
        for index in resolved.indices where !overridden.contains(index) {
            guard case .field(let field) = resolved[index] else { continue }
            let outranked = resolved.indices.contains { other in
                other != index && resolved[other] == .field(field)
                    && (overridden.contains(other) || (ranks[index] == .fallback && ranks[other] == .primary))
            }
            if outranked { resolved[index] = .attribute(HeaderAliases.attributeName(header[index])) }
        }

        // One column per field and per attribute.
        var firstColumn: [ColumnTarget: Int] = [:]
        for (index, target) in resolved.enumerated() where target != .ignored {
            if let other = firstColumn[target] {
                throw .badInput(
                    "\(file):\(line): columns \"\(header[other])\" (column \(other + 1)) and \"\(header[index])\" (column \(index + 1)) both map to \(target)",
                    hint: "keep one: --map \"\(header[index])=-\" ignores the second, --map \"\(header[index])=attr.NAME\" keeps it as an attribute")
            }
            firstColumn[target] = index
        }
        guard let company = firstColumn[.field(.company)] else {
            throw .badInput(
                "\(file):\(line): no column maps to company (the headers are: \(header.map { "\"\($0)\"" }.joined(separator: ", ")))",
                hint: "name the company column: --map \"HEADER=company\"")
        }
        companyHeader = header[company]
        columns = resolved.enumerated().map { Column(index: $0.offset, header: header[$0.offset], target: $0.element) }
    }

    /// Matches the header `reader` read, naming its file and line in errors.
    public init(reader: CSVReader, overrides: [ColumnOverride] = []) throws(LeadPoolError) {
        try self.init(header: reader.header, overrides: overrides, file: reader.name, line: reader.headerLine)
    }

    /// The column feeding `target`, if any.
    public func column(for target: ColumnTarget) -> Column? {
        columns.first { $0.target == target }
    }

    /// One line per column, `"Company Name" → company`, for `--dry-run` and messages.
    public var summary: [String] {
        columns.map { "\"\($0.header)\" → \($0.target)" }
    }

    // MARK: - Rows

    /// Checks and normalizes one record into a draft, or lists every problem it has.
    ///
    /// Values are trimmed; an empty value leaves its field unset. A record with byte-level
    /// problems (``CSVRecord/problems``) is rejected with those alone. See ``IntakeValue`` for
    /// each field's rules; `company` must not be empty.
    public func draft(from record: CSVRecord) -> DraftResult {
        if !record.problems.isEmpty { return .rejected(record.problems) }
        var draft = LeadDraft(line: record.line, company: "")
        var problems: [IntakeProblem] = []
        var explicitDomain: String?
        let fields = record.fields
        for column in columns where column.index < fields.count {
            guard let cell = IntakeValue.trimmed(fields[column.index]) else { continue }
            let value = restoresExportedCells ? CSVCell.restored(cell) : cell
            if value.isEmpty { continue }
            switch column.target {
            case .ignored:
                continue
            case .attribute(let name):
                draft.attributes[name] = value
            case .field(let field):
                switch field {
                case .externalID: draft.externalID = value
                case .company: draft.company = value
                case .firstName: draft.firstName = value
                case .lastName: draft.lastName = value
                case .title: draft.title = value
                case .email:
                    if IntakeValue.isEmail(value) {
                        draft.email = value
                    } else {
                        problems.append(IntakeProblem(line: record.line, column: column.header, reason: "\"\(value)\" is not an email address"))
                    }
                case .phone: draft.phone = value
                case .website: draft.website = value
                case .domain:
                    if let domain = IntakeValue.domain(fromWebsite: value) {
                        explicitDomain = domain
                    } else {
                        problems.append(IntakeProblem(line: record.line, column: column.header, reason: "\"\(value)\" is not a domain name"))
                    }
                case .country: draft.country = CountryName.normalize(value)
                case .region: draft.region = value
                case .city: draft.city = value
                case .industry: draft.industry = value
                case .employees:
                    switch IntakeValue.employees(value) {
                    case .success(let count): draft.employees = count
                    case .failure(let invalid): problems.append(IntakeProblem(line: record.line, column: column.header, reason: invalid.reason))
                    }
                case .revenue:
                    switch IntakeValue.revenue(value) {
                    case .success(let amount): draft.revenue = amount
                    case .failure(let invalid): problems.append(IntakeProblem(line: record.line, column: column.header, reason: invalid.reason))
                    }
                case .source: draft.source = value
                case .tags:
                    draft.tags = IntakeValue.tags(value)
                    if let long = draft.tags.first(where: { $0.utf8.count > TextLimit.label.bytes }) {
                        problems.append(IntakeProblem(
                            line: record.line, column: column.header,
                            reason: "a tag is \(long.utf8.count) bytes long; the most is \(TextLimit.label.bytes)"))
                    }
                case .id, .status, .score, .tier, .owner, .createdAt, .claimedAt, .lastActivityAt,
                    .ageDays, .idleDays, .heldDays:
                    // HeaderMap never maps a column to these (not importable).
                    continue
                }
            }
        }
        if draft.company.isEmpty {
            problems.append(IntakeProblem(line: record.line, column: companyHeader, reason: "company is empty"))
        }
        if !problems.isEmpty { return .rejected(problems) }
        draft.domain = explicitDomain
            ?? draft.website.flatMap(IntakeValue.domain(fromWebsite:))
            ?? draft.email.flatMap(IntakeValue.domain(fromEmail:))
        return .draft(draft)
    }
}
