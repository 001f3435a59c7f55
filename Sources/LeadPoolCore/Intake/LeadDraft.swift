import Foundation

/// What one CSV row says about a lead: the fields it sets, already checked and normalized.
///
/// A field is nil when the row leaves it empty (or the file has no such column), so an
/// `--on-duplicate update` overwrites only ``givenFields``. `company` is always set.
public struct LeadDraft: Sendable, Equatable {
    /// The 1-based line where the row starts, for messages.
    public var line: Int
    public var externalID: String?
    public var company: String
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    /// As written (trimmed); see ``normalizedEmail`` for matching.
    public var email: String?
    public var phone: String?
    public var website: String?
    /// The domain column's, else the website's host, else a non-free-mail email's domain.
    public var domain: String?
    /// An ISO 3166-1 alpha-2 code when recognised (see ``CountryName``), else as written.
    public var country: String?
    /// Whether ``country`` is kept as written because it names no country leadpool knows.
    public var countryUnrecognised = false
    public var region: String?
    public var city: String?
    public var industry: String?
    public var employees: Int64?
    public var revenue: Double?
    public var source: String?
    /// In file order, without duplicates (ignoring case).
    public var tags: [String]
    /// `attr.NAME` values by NAME (without `attr.`); empty cells are left out.
    public var attributes: [String: String]

    public init(
        line: Int,
        externalID: String? = nil,
        company: String,
        firstName: String? = nil,
        lastName: String? = nil,
        title: String? = nil,
        email: String? = nil,
        phone: String? = nil,
        website: String? = nil,
        domain: String? = nil,
        country: String? = nil,
        region: String? = nil,
        city: String? = nil,
        industry: String? = nil,
        employees: Int64? = nil,
        revenue: Double? = nil,
        source: String? = nil,
        tags: [String] = [],
        attributes: [String: String] = [:]
    ) {
        self.line = line
        self.externalID = externalID
        self.company = company
        self.firstName = firstName
        self.lastName = lastName
        self.title = title
        self.email = email
        self.phone = phone
        self.website = website
        self.domain = domain
        self.country = country
        self.region = region
        self.city = city
        self.industry = industry
        self.employees = employees
        self.revenue = revenue
        self.source = source
        self.tags = tags
        self.attributes = attributes
    }

    /// The email as duplicates are matched: trimmed and lower-cased.
    public var normalizedEmail: String? { email.map(IntakeValue.normalizedEmail) }

    /// How a row finds its duplicate: by external id, else normalized email, else domain (SPEC).
    public enum MatchKey: Sendable, Hashable {
        case externalID(String)
        case email(String)
        /// Any lead with the domain: what a row with neither external id nor email matches.
        case domain(String)
        /// A lead with the domain and neither external id nor email: what a row that has one
        /// of them matches by domain, so that the two rows match whichever comes first.
        case domainOnly(String)
    }

    /// The keys to try, in order, to find the lead this row duplicates: its external id; else
    /// its email (also when the external id matches no lead); else its domain, against leads
    /// that have neither (``MatchKey/domainOnly``) unless the row itself has neither. Each pair
    /// of rows matches the same way whichever comes first.
    public var matchKeys: [MatchKey] {
        var keys: [MatchKey] = []
        _ = firstMatch(normalizedEmail: normalizedEmail) { (key: MatchKey) -> Int? in
            keys.append(key)
            return nil
        }
        return keys
    }

    /// Tries ``matchKeys`` in order with `find` (without building the list: import runs this
    /// for every row) and returns the first key it finds something for.
    @inline(__always)
    public func firstMatch<Found>(
        normalizedEmail: String?,
        _ find: (MatchKey) throws -> Found?
    ) rethrows -> (found: Found, key: MatchKey)? {
        if let externalID, let found = try find(.externalID(externalID)) { return (found, .externalID(externalID)) }
        if let normalizedEmail, let found = try find(.email(normalizedEmail)) { return (found, .email(normalizedEmail)) }
        if let domain {
            let key: MatchKey = externalID == nil && normalizedEmail == nil ? .domain(domain) : .domainOnly(domain)
            if let found = try find(key) { return (found, key) }
        }
        return nil
    }

    /// The strongest key the row has, or nil when it has none (it can only be new).
    public var matchKey: MatchKey? {
        if let externalID { return .externalID(externalID) }
        if let email = normalizedEmail { return .email(email) }
        if let domain { return .domain(domain) }
        return nil
    }

    /// Whether the row sets `field` (company: when not empty).
    func has(_ field: LeadField) -> Bool {
        switch field {
        case .company: !company.isEmpty
        case .tags: !tags.isEmpty
        default: self[field] != nil
        }
    }

    /// The canonical fields the row sets (company always; `tags` when it has any).
    public var givenFields: Set<LeadField> {
        Set(LeadField.allCases.filter(has)).union([.company])
    }

    /// A new pooled, open lead with the row's fields.
    public func makeLead(createdAt: Date) -> Lead {
        var lead = Lead(company: company, tags: Set(tags), createdAt: createdAt, attributes: attributes)
        for field in LeadField.importedColumns { lead[field] = self[field] }
        return lead
    }

    /// `--on-duplicate update`: overwrites the fields the row gives, adds its tags (a tag
    /// already there in another case is kept as it is) and sets its attributes.
    public func update(_ lead: inout Lead) {
        for field in LeadField.importedColumns {
            if let value = self[field] { lead[field] = value }
        }
        let held = Set(lead.tags.map { $0.lowercased() })
        for tag in tags where !held.contains(tag.lowercased()) { lead.tags.insert(tag) }
        lead.attributes.merge(attributes) { _, new in new }
    }
}
