/// Where one column's values go.
public enum ColumnTarget: Sendable, Hashable, CustomStringConvertible {
    /// A canonical, importable lead field.
    case field(LeadField)
    /// `attr.NAME`: kept with the lead under NAME.
    case attribute(String)
    /// Not imported (`--map "Header=-"`, or a column without a header).
    case ignored
    /// A person's whole name (`Full Name`, Odoo `contact_name`): its first word fills
    /// `first_name`, the rest `last_name` (one word: `last_name` alone).
    case personName

    /// `company`, `attr.product_interest`, `-`: the form `--map` takes.
    public var description: String {
        switch self {
        case .field(let field): field.rawValue
        case .attribute(let name): "attr.\(name)"
        case .ignored: "-"
        case .personName: "first_name + last_name"
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
                    hint: "keep the column as an attribute: --map \"\(option.prefix(upTo: option.lastIndex(of: "=")!))=attr.\(field.rawValue)\""
                )
            }
            return .field(field)
        }
        let importable = LeadField.allCases.filter(\.isImportable).map(\.rawValue)
        let hint =
            NameSuggestion.nearest(to: name, among: importable).map { "did you mean \($0)?" }
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
/// Headers are matched ignoring case, accents and everything but letters and digits, through
/// the aliases of real CRM exports (``HeaderAliases``), so no `--map` is needed for them.
/// Salesforce custom fields (`Product_Interest__c`) and every other column become attributes
/// (`attr.product_interest`). `status`, `score` and other fields leadpool sets are never taken
/// from a file: such columns become attributes too (Salesforce `Status` → `attr.status`). An
/// `attr.NAME` header (our own export) maps to that attribute, and in a file with an
/// `external_id` header (our own export) the columns leadpool computes or owns (`id`,
/// `status`, `score`, `tier`, `owner`, the times) are ignored and each cell loses the `'` the
/// export put before it (``CSVCell/restored(_:)``); other files keep their `'`s.
///
/// Of several columns for one field, the best-ranked feeds it and the others are attributes:
/// the plain column (`Phone`, `Country`), then a fallback (`MobilePhone`, `CountryCode`, `Id`),
/// then address columns (`BillingCountry` before `ShippingCountry`, a name before a code).
/// Two primary columns for one field are an error naming both. A `--map` that sends a column
/// to a field turns the column matched to that field by name into an attribute. `Name` is the
/// company when the file has no company column and no person-name column, a person's full
/// name beside a company column, and otherwise `attr.name` (Odoo's lead title).
///
/// A header written twice (HubSpot's second `Phone Number`) is addressed as `Header#2` in
/// `--map`; the plain header addresses the first. Unmapped, the second becomes `attr.NAME_2`.
public struct HeaderMap: Sendable {
    /// One column of the file and where it goes.
    public struct Column: Sendable, Equatable {
        /// 0-based position in the record.
        public var index: Int
        /// The header as written.
        public var header: String
        public var target: ColumnTarget
        /// How `--map` addresses the column: the header, or `Header#N` for its Nth occurrence.
        public var name: String
    }

    /// Every column of the header, in file order.
    public let columns: [Column]
    /// A column that lost its field to a better-ranked one (`BillingCountryCode` to
    /// `BillingCountry`, `MobilePhone` to `Phone`): kept as an attribute, and it fills the field
    /// in rows where the better columns are empty.
    struct StandIn: Sendable {
        var index: Int
        var field: LeadField
        var header: String
    }
    /// Best rank first.
    private let standIns: [StandIn]
    /// Each column's target, by position: what ``draft(from:)`` reads per row.
    private let targets: [ColumnTarget]
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
    ///   nearest); `badInput` when columns map to one field or attribute (naming every such
    ///   pair at once), or no column maps to `company`.
    public init(
        header: [String],
        overrides: [ColumnOverride] = [],
        file: String = "input",
        line: Int? = 1,
        fromCommandLine: Bool = false
    ) throws(LeadPoolError) {
        let at = line.map { "\(file):\($0)" } ?? file
        var targets: [ColumnTarget?] = Array(repeating: nil, count: header.count)
        var ranks: [HeaderAliases.Rank] = Array(repeating: .primary, count: header.count)
        let trimmed = header.map { IntakeValue.trimmed($0) ?? "" }
        // The Nth occurrence of a header is `Header#N`; the first is the header alone.
        var occurrence: [Int] = []
        var seen: [String: Int] = [:]
        for name in trimmed {
            seen[name, default: 0] += 1
            occurrence.append(name.isEmpty ? 1 : seen[name]!)
        }
        let names = header.indices.map { occurrence[$0] == 1 ? trimmed[$0] : "\(trimmed[$0])#\(occurrence[$0])" }

        // --map first: exact name (`Header` or `Header#2`), else the same matching key.
        var overridden: Set<Int> = []
        for override in overrides {
            var matched = header.indices.filter { names[$0] == override.header || header[$0] == override.header && occurrence[$0] == 1 }
            if matched.isEmpty {
                let key = HeaderAliases.key(override.header)
                matched = header.indices.filter { occurrence[$0] == 1 && HeaderAliases.key(header[$0]) == key }
            }
            guard !matched.isEmpty else {
                let hint =
                    NameSuggestion.nearest(to: override.header, among: names).map { "did you mean \"\($0)\"?" }
                    ?? "the headers are: \(names.map { "\"\($0)\"" }.joined(separator: ", "))"
                throw .usage("--map \"\(override.header)=\(override.target)\": \(file) has no column \"\(override.header)\"", hint: hint)
            }
            for index in matched {
                targets[index] = override.target
                overridden.insert(index)
            }
        }

        let keys = header.map(HeaderAliases.key)
        func aliasField(_ key: String) -> LeadField? { HeaderAliases.table[key]?.field }
        let hasPersonColumns = keys.contains { key in
            aliasField(key) == .firstName || aliasField(key) == .lastName || HeaderAliases.personName.contains(key)
        }
        let hasCompanyColumn = keys.contains { key in
            HeaderAliases.table[key].map { $0.field == .company && $0.rank == .primary } ?? false
        }
        // Our own export names its columns exactly as the canonical fields, external_id among
        // them (no CRM writes that header): read it back and skip what leadpool computes or owns.
        let isLeadpoolExport = header.contains(LeadField.externalID.rawValue)
        restoresExportedCells = isLeadpoolExport && !fromCommandLine
        for index in header.indices where targets[index] == nil {
            let name = trimmed[index]
            let lower = name.lowercased()
            let key = keys[index]
            if name.isEmpty || ["_line", "_reason", "_lead", "_matched_by"].contains(name) {
                // A --rejects or --duplicates file, fixed and imported again.
                targets[index] = .ignored
            } else if occurrence[index] > 1 {
                targets[index] = .attribute(HeaderAliases.attributeName(name) + "_\(occurrence[index])")
            } else if isLeadpoolExport, let field = LeadField(rawValue: name), !field.isImportable {
                targets[index] = .ignored
            } else if lower.hasPrefix("attr.") {
                targets[index] = .attribute(HeaderAliases.attributeName(String(name.dropFirst(5))))
            } else if lower.hasSuffix("__c") {
                targets[index] = .attribute(HeaderAliases.attributeName(String(name.dropLast(3))))
            } else if let alias = HeaderAliases.table[key] {
                targets[index] = .field(alias.field)
                ranks[index] = alias.rank
            } else if HeaderAliases.personName.contains(key) {
                targets[index] = .personName
            } else if key == HeaderAliases.companyOrPersonName && !hasPersonColumns {
                if hasCompanyColumn {
                    targets[index] = .personName
                } else {
                    targets[index] = .field(.company)
                    ranks[index] = .fallback
                }
            } else if let address = HeaderAliases.addressColumn(key) {
                targets[index] = .field(address.field)
                ranks[index] = address.rank
            } else {
                targets[index] = .attribute(HeaderAliases.attributeName(name))
            }
        }

        // Of the columns for one field, the best rank feeds it (a --map before any); the rest
        // are attributes. Two primary columns stay, to be reported below.
        var resolved = targets.map { $0! }
        var best: [ColumnTarget: (rank: HeaderAliases.Rank, index: Int)] = [:]
        for index in resolved.indices where !overridden.contains(index) {
            guard case .field = resolved[index] else { continue }
            if let current = best[resolved[index]], current.rank <= ranks[index] { continue }
            best[resolved[index]] = (ranks[index], index)
        }
        var standIns: [(rank: HeaderAliases.Rank, column: StandIn)] = []
        for index in resolved.indices where !overridden.contains(index) {
            guard case .field(let field) = resolved[index] else { continue }
            let claimedByMap = overridden.contains { resolved[$0] == resolved[index] }
            let winner = best[resolved[index]]!
            let keep = !claimedByMap && (index == winner.index || (ranks[index] == .primary && winner.rank == .primary))
            if !keep {
                resolved[index] = .attribute(HeaderAliases.attributeName(trimmed[index]))
                if !claimedByMap { standIns.append((ranks[index], StandIn(index: index, field: field, header: names[index]))) }
            }
        }
        self.standIns = standIns.sorted { $0.rank < $1.rank }.map(\.column)

        // One column per field and per attribute: every clash at once.
        var firstColumn: [ColumnTarget: Int] = [:]
        var clashes: [String] = []
        var hints: [String] = []
        for (index, target) in resolved.enumerated() where target != .ignored {
            if let other = firstColumn[target] {
                clashes.append(
                    "columns \"\(names[other])\" (column \(other + 1)) and \"\(names[index])\" (column \(index + 1)) both map to \(target)"
                )
                hints.append("--map \"\(names[index])=-\"")
            } else {
                firstColumn[target] = index
            }
        }
        if !clashes.isEmpty {
            throw .badInput(
                "\(at): " + clashes.joined(separator: "; "),
                hint:
                    "keep one of each: \(hints.joined(separator: " ")) ignores the second; --map \"HEADER=attr.NAME\" keeps a column as an attribute"
            )
        }
        guard let company = firstColumn[.field(.company)] else {
            throw .badInput(
                "\(at): no column maps to company (the headers are: \(names.map { "\"\($0)\"" }.joined(separator: ", ")))",
                hint: "name the company column: --map \"HEADER=company\""
            )
        }
        companyHeader = header[company]
        columns = resolved.enumerated().map {
            Column(index: $0.offset, header: header[$0.offset], target: $0.element, name: names[$0.offset])
        }
        self.targets = resolved
    }

    /// Matches the header `reader` read (or was given), naming its file and line in errors.
    ///
    /// - Throws: `badInput` when the header read from the file looks like a row of data (an
    ///   email address, a website, a long number): the file has no header line.
    public init(reader: CSVReader, overrides: [ColumnOverride] = []) throws(LeadPoolError) {
        if !reader.headerGiven, let (cell, what) = Self.dataLikeCell(reader.header) {
            let count = reader.header.count
            throw .badInput(
                "\(reader.name):\(reader.headerLine): the first row looks like data, not a header (\"\(cell)\" is \(what))",
                hint:
                    "name the \(count) column\(count == 1 ? "" : "s") with --header, e.g. --header \"Company,Email,…\"; the first row is then imported too"
            )
        }
        try self.init(
            header: reader.header,
            overrides: overrides,
            file: reader.headerGiven ? "--header" : reader.name,
            line: reader.headerGiven ? nil : reader.headerLine
        )
    }

    /// The first header cell that reads like a value rather than a column name, and what it is.
    static func dataLikeCell(_ header: [String]) -> (String, String)? {
        for cell in header {
            guard let value = IntakeValue.trimmed(cell) else { continue }
            if IntakeValue.isEmail(value) { return (value, "an email address") }
            let lower = value.lowercased()
            if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") {
                return (value, "a website")
            }
            let digits = value.utf8.count(where: IntakeValue.isDigit)
            if digits >= 5, value.utf8.allSatisfy({ IntakeValue.isDigit($0) || " +-().,/".utf8.contains($0) }) {
                return (value, "a number")
            }
        }
        return nil
    }

    /// The column feeding `target`, if any.
    public func column(for target: ColumnTarget) -> Column? {
        columns.first { $0.target == target }
    }

    /// One line per column, `"Company Name" → company`, for `--dry-run` and messages; a column
    /// that stands in for a field says so: `"MobilePhone" → attr.mobilephone (phone where empty)`.
    public var summary: [String] {
        columns.map { column in
            let standIn = standInField(column).map { " (\($0.rawValue) where empty)" } ?? ""
            return "\"\(column.name)\" → \(column.target)\(standIn)"
        }
    }

    /// The field `column` fills in rows where the better columns for it are empty, if any.
    public func standInField(_ column: Column) -> LeadField? {
        standIns.first { $0.index == column.index }?.field
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
        // By position, not over `columns`: a million rows, and a Column copy costs its strings' retains.
        for index in 0..<min(fields.count, targets.count) {
            guard let cell = IntakeValue.trimmed(fields[index]) else { continue }
            let value = restoresExportedCells ? CSVCell.restored(cell) : cell
            if value.isEmpty { continue }
            switch targets[index] {
            case .ignored:
                continue
            case .personName:
                IntakeValue.splitName(value, into: &draft)
            case .attribute(let name):
                draft.attributes[name] = value
            case .field(let field):
                set(field, value, column: index, draft: &draft, problems: &problems, domain: &explicitDomain)
            }
        }
        for standIn in standIns where standIn.index < fields.count && !draft.has(standIn.field) {
            guard let cell = IntakeValue.trimmed(fields[standIn.index]) else { continue }
            let value = restoresExportedCells ? CSVCell.restored(cell) : cell
            if value.isEmpty { continue }
            set(standIn.field, value, column: standIn.index, draft: &draft, problems: &problems, domain: &explicitDomain)
        }
        draft.domain =
            explicitDomain
            ?? draft.website.flatMap(IntakeValue.domain(fromWebsite:))
            ?? draft.email.flatMap(IntakeValue.domain(fromEmail:))
        if draft.company.isEmpty {
            // An empty company takes the domain (website, else a work email).
            if let domain = draft.domain {
                draft.company = domain
            } else {
                problems.append(
                    IntakeProblem(
                        line: record.line,
                        column: companyHeader,
                        reason: "company is empty (and no website or work email to take it from)"
                    )
                )
            }
        }
        if !problems.isEmpty { return .rejected(problems) }
        return .draft(draft)
    }

    /// Checks and sets one field's value from the column at `index`.
    @inline(__always)
    private func set(
        _ field: LeadField,
        _ value: String,
        column index: Int,
        draft: inout LeadDraft,
        problems: inout [IntakeProblem],
        domain explicitDomain: inout String?
    ) {
        var column: String { columns[index].name }
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
                problems.append(IntakeProblem(line: draft.line, column: column, reason: "\"\(value)\" is not an email address"))
            }
        case .phone: draft.phone = value
        case .website: draft.website = value
        case .domain:
            if let domain = IntakeValue.domain(fromWebsite: value) {
                explicitDomain = domain
            } else {
                problems.append(IntakeProblem(line: draft.line, column: column, reason: "\"\(value)\" is not a domain name"))
            }
        case .country:
            if let code = CountryName.isoCode(for: value) {
                draft.country = code
            } else {
                draft.country = value
                draft.countryUnrecognised = true
            }
        case .region: draft.region = value
        case .city: draft.city = value
        case .industry: draft.industry = value
        case .employees:
            switch IntakeValue.employees(value) {
            case .success(let count): draft.employees = count
            case .failure(let invalid):
                // A range (`51-200`, `10001+`) gives its lower bound and is kept whole.
                if let lower = IntakeValue.rangeLowerBound(value, IntakeValue.employees) {
                    draft.employees = lower
                    draft.attributes["employees_range"] = value
                } else {
                    problems.append(IntakeProblem(line: draft.line, column: column, reason: invalid.reason))
                }
            }
        case .revenue:
            switch IntakeValue.revenue(value) {
            case .success(let amount): draft.revenue = amount
            case .failure(let invalid):
                if let lower = IntakeValue.rangeLowerBound(value, IntakeValue.revenue) {
                    draft.revenue = lower
                    draft.attributes["revenue_range"] = value
                } else {
                    problems.append(IntakeProblem(line: draft.line, column: column, reason: invalid.reason))
                }
            }
        case .source: draft.source = value
        case .tags:
            draft.tags = IntakeValue.tags(value)
            if let long = draft.tags.first(where: { $0.utf8.count > TextLimit.label.bytes }) {
                problems.append(
                    IntakeProblem(
                        line: draft.line,
                        column: column,
                        reason: "a tag is \(long.utf8.count) bytes long; the most is \(TextLimit.label.bytes)"
                    )
                )
            }
        case .id, .status, .score, .tier, .owner, .pool, .createdAt, .claimedAt, .lastActivityAt, .ageDays, .idleDays, .heldDays:
            // HeaderMap never maps a column to these (not importable).
            break
        }
    }

}
