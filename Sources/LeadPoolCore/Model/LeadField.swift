/// The fields a condition, a CSV header, an export column or a JSON key can name.
///
/// The one description of a lead's fields: each case carries its name (which is also its column
/// in the `leads` table, ``column``), how its values compare (``kind``), whether it is worked out
/// from the clock (``isComputed``) and whether imports may set it (``isImportable``); `Lead` and
/// `LeadDraft` read and write it by ``Value`` (`lead[.email]`). The store's statements, the
/// export's columns and the JSON keys are derived from this list, in this order.
public enum LeadField: String, Sendable, CaseIterable {
    case id
    case externalID = "external_id"
    case company
    case firstName = "first_name"
    case lastName = "last_name"
    case title, email, phone, website, domain, country, region, city, industry
    case employees, revenue, source, status, tags, score, tier, owner, pool
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

    /// Worked out from the clock when read (`age_days`, `idle_days`, `held_days`): no column
    /// holds it, and exports leave it out.
    public var isComputed: Bool {
        switch self {
        case .ageDays, .idleDays, .heldDays: true
        default: false
        }
    }

    /// The column of the `leads` table holding the field (its name); nil for `tags`, which
    /// `lead_tags` holds, and for the fields worked out from the clock.
    public var column: String? {
        isComputed || self == .tags ? nil : rawValue
    }

    /// Fields an import or `lead add --field` may set.
    public var isImportable: Bool {
        switch self {
        case .id, .status, .score, .tier, .owner, .pool, .createdAt, .claimedAt, .lastActivityAt,
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

extension LeadField {
    /// The fields a column of `leads` holds, in `LeadField` order.
    public static let stored: [LeadField] = allCases.filter { $0.column != nil }

    /// The fields an import writes to a column of `leads` (every importable field but `tags`),
    /// in `LeadField` order.
    public static let importedColumns: [LeadField] = allCases.filter { $0.isImportable && $0.column != nil }
}
