/// The fields a condition, a CSV header, an export column or a JSON key can name.
///
/// One list, so that the condition language, intake and output agree on names and types.
public enum LeadField: String, Sendable, CaseIterable {
    case id
    case externalID = "external_id"
    case company
    case firstName = "first_name"
    case lastName = "last_name"
    case title, email, phone, website, domain, country, region, city, industry
    case employees, revenue, source, status, tags, score, tier, owner
    case createdAt = "created_at"
    case claimedAt = "claimed_at"
    case lastActivityAt = "last_activity_at"
    // Computed against the clock; readable in conditions, never imported.
    case ageDays = "age_days"
    case idleDays = "idle_days"
    case heldDays = "held_days"

    /// How values of the field compare.
    public enum Kind: Sendable, Equatable {
        case text, integer, number, time, tags
    }

    public var kind: Kind {
        switch self {
        case .id, .employees, .score, .ageDays, .idleDays, .heldDays: .integer
        case .revenue: .number
        case .createdAt, .claimedAt, .lastActivityAt: .time
        case .tags: .tags
        default: .text
        }
    }

    /// Fields an import or `lead add --field` may set.
    public var isImportable: Bool {
        switch self {
        case .id, .status, .score, .tier, .owner, .createdAt, .claimedAt, .lastActivityAt,
            .ageDays, .idleDays, .heldDays:
            false
        default: true
        }
    }

    /// The canonical fields that hold a person's contact details. `Visibility` adds contact
    /// attributes and the rules file's `hidden:` list, and decides who sees them.
    public var isContact: Bool {
        switch self {
        case .firstName, .lastName, .email, .phone: true
        default: false
        }
    }
}
