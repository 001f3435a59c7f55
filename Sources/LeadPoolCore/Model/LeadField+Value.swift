import Foundation

extension LeadField {
    /// A stored field's value, typed as its column holds it: what ``Lead`` and ``LeadDraft``
    /// give and take by field (`lead[.employees]`), so that code writing or reading every field
    /// (the store's statements, output, conditions) goes through one list instead of naming
    /// each property.
    public enum Value: Sendable, Equatable {
        case text(String)
        case integer(Int64)
        case number(Double)
        case time(Date)

        public var text: String? {
            if case .text(let text) = self { text } else { nil }
        }

        public var integer: Int64? {
            if case .integer(let integer) = self { integer } else { nil }
        }

        /// A number; an integer converted.
        public var number: Double? {
            switch self {
            case .number(let number): number
            case .integer(let integer): Double(integer)
            default: nil
            }
        }

        public var time: Date? {
            if case .time(let time) = self { time } else { nil }
        }
    }
}

// MARK: - Lead

extension Lead {
    /// A stored field's value (``LeadField/stored``); nil when it is empty, and for `tags` and
    /// the clock figures, which no column holds (see ``tags`` and ``figure(_:at:)``).
    ///
    /// Setting nil clears an optional field; a required one (`id`, `company`, `status`,
    /// `score`, `created_at`) takes its zero value then. `tags` and the clock figures ignore a
    /// set.
    public subscript(field: LeadField) -> LeadField.Value? {
        get {
            switch field {
            case .id: .integer(id)
            case .externalID: externalID.map(LeadField.Value.text)
            case .company: .text(company)
            case .firstName: firstName.map(LeadField.Value.text)
            case .lastName: lastName.map(LeadField.Value.text)
            case .title: title.map(LeadField.Value.text)
            case .email: email.map(LeadField.Value.text)
            case .phone: phone.map(LeadField.Value.text)
            case .website: website.map(LeadField.Value.text)
            case .domain: domain.map(LeadField.Value.text)
            case .country: country.map(LeadField.Value.text)
            case .region: region.map(LeadField.Value.text)
            case .city: city.map(LeadField.Value.text)
            case .industry: industry.map(LeadField.Value.text)
            case .employees: employees.map(LeadField.Value.integer)
            case .revenue: revenue.map(LeadField.Value.number)
            case .source: source.map(LeadField.Value.text)
            case .status: .text(status.rawValue)
            case .score: .integer(Int64(score))
            case .tier: tier.map(LeadField.Value.text)
            case .owner: owner.map(LeadField.Value.text)
            case .pool: .text(pool)
            case .createdAt: .time(createdAt)
            case .claimedAt: claimedAt.map(LeadField.Value.time)
            case .lastActivityAt: lastActivityAt.map(LeadField.Value.time)
            case .tags, .ageDays, .idleDays, .heldDays: nil
            }
        }
        set {
            switch field {
            case .id: id = newValue?.integer ?? 0
            case .externalID: externalID = newValue?.text
            case .company: company = newValue?.text ?? ""
            case .firstName: firstName = newValue?.text
            case .lastName: lastName = newValue?.text
            case .title: title = newValue?.text
            case .email: email = newValue?.text
            case .phone: phone = newValue?.text
            case .website: website = newValue?.text
            case .domain: domain = newValue?.text
            case .country: country = newValue?.text
            case .region: region = newValue?.text
            case .city: city = newValue?.text
            case .industry: industry = newValue?.text
            case .employees: employees = newValue?.integer
            case .revenue: revenue = newValue?.number
            case .source: source = newValue?.text
            case .status: status = newValue?.text.flatMap(LeadStatus.init(rawValue:)) ?? .open
            case .score: score = Int(newValue?.integer ?? 0)
            case .tier: tier = newValue?.text
            case .owner: owner = newValue?.text
            case .pool: pool = newValue?.text ?? Ruleset.mainPool
            case .createdAt: createdAt = newValue?.time ?? Date(timeIntervalSince1970: 0)
            case .claimedAt: claimedAt = newValue?.time
            case .lastActivityAt: lastActivityAt = newValue?.time
            case .tags, .ageDays, .idleDays, .heldDays: break
            }
        }
    }

    /// A clock figure (`age_days`, `idle_days`, `held_days`) at `now`; nil for `held_days` in
    /// the pool and for every field that is not one.
    public func figure(_ field: LeadField, at now: Date) -> Int? {
        switch field {
        case .ageDays: ageDays(at: now)
        case .idleDays: idleDays(at: now)
        case .heldDays: heldDays(at: now)
        default: nil
        }
    }
}

// MARK: - LeadDraft

extension LeadDraft {
    /// An importable field's value as the row gives it (``LeadField/importedColumns``); nil
    /// when the row leaves it empty, and for `tags` (see ``tags``) and every field imports do
    /// not set. `company` is always given, empty or not.
    ///
    /// Setting nil clears the field (`company`: empty); fields imports do not set ignore a set.
    public subscript(field: LeadField) -> LeadField.Value? {
        get {
            switch field {
            case .externalID: externalID.map(LeadField.Value.text)
            case .company: .text(company)
            case .firstName: firstName.map(LeadField.Value.text)
            case .lastName: lastName.map(LeadField.Value.text)
            case .title: title.map(LeadField.Value.text)
            case .email: email.map(LeadField.Value.text)
            case .phone: phone.map(LeadField.Value.text)
            case .website: website.map(LeadField.Value.text)
            case .domain: domain.map(LeadField.Value.text)
            case .country: country.map(LeadField.Value.text)
            case .region: region.map(LeadField.Value.text)
            case .city: city.map(LeadField.Value.text)
            case .industry: industry.map(LeadField.Value.text)
            case .employees: employees.map(LeadField.Value.integer)
            case .revenue: revenue.map(LeadField.Value.number)
            case .source: source.map(LeadField.Value.text)
            case .id, .status, .tags, .score, .tier, .owner, .pool, .createdAt, .claimedAt, .lastActivityAt, .ageDays, .idleDays,
                .heldDays:
                nil
            }
        }
        set {
            switch field {
            case .externalID: externalID = newValue?.text
            case .company: company = newValue?.text ?? ""
            case .firstName: firstName = newValue?.text
            case .lastName: lastName = newValue?.text
            case .title: title = newValue?.text
            case .email: email = newValue?.text
            case .phone: phone = newValue?.text
            case .website: website = newValue?.text
            case .domain: domain = newValue?.text
            case .country: country = newValue?.text
            case .region: region = newValue?.text
            case .city: city = newValue?.text
            case .industry: industry = newValue?.text
            case .employees: employees = newValue?.integer
            case .revenue: revenue = newValue?.number
            case .source: source = newValue?.text
            case .id, .status, .tags, .score, .tier, .owner, .pool, .createdAt, .claimedAt, .lastActivityAt, .ageDays, .idleDays,
                .heldDays:
                break
            }
        }
    }
}
