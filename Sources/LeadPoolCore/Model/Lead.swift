import Foundation

/// Where a lead is in its life. Only `open` leads sit in the pool.
public enum LeadStatus: String, Sendable, Codable, CaseIterable {
    case open, qualified, converted, disqualified
}

/// A prospect company or contact, with the SPEC's canonical fields.
public struct Lead: Sendable, Equatable, Codable {
    public var id: Int64
    public var externalID: String?
    public var company: String
    public var firstName: String?
    public var lastName: String?
    public var title: String?
    public var email: String?
    public var phone: String?
    public var website: String?
    public var domain: String?
    public var country: String?
    public var region: String?
    public var city: String?
    public var industry: String?
    public var employees: Int64?
    public var revenue: Double?
    public var source: String?
    public var status: LeadStatus
    public var tags: Set<String>
    public var score: Int
    public var tier: String?
    public var owner: String?
    /// The pool the lead belongs to (`main` unless placed elsewhere); an owned lead keeps it
    /// and returns to it (or its `reclaim.to`) when it leaves its owner.
    public var pool: String
    public var createdAt: Date
    public var claimedAt: Date?
    public var lastActivityAt: Date?
    /// The previous owner, set when a lead is released or reclaimed; drives the cooldown.
    public var previousOwner: String?
    /// When the previous owner lost the lead.
    public var releasedAt: Date?
    /// When the lead last moved into its pool from another (`lead move`, a `to: pool:P` rule).
    public var movedAt: Date?
    /// Every imported column that is not a canonical field, by `attr.NAME` name (without `attr.`).
    public var attributes: [String: String]

    public init(
        id: Int64 = 0,
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
        status: LeadStatus = .open,
        tags: Set<String> = [],
        score: Int = 0,
        tier: String? = nil,
        owner: String? = nil,
        pool: String = Ruleset.mainPool,
        createdAt: Date,
        claimedAt: Date? = nil,
        lastActivityAt: Date? = nil,
        previousOwner: String? = nil,
        releasedAt: Date? = nil,
        movedAt: Date? = nil,
        attributes: [String: String] = [:]
    ) {
        self.id = id
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
        self.status = status
        self.tags = tags
        self.score = score
        self.tier = tier
        self.owner = owner
        self.pool = pool
        self.createdAt = createdAt
        self.claimedAt = claimedAt
        self.lastActivityAt = lastActivityAt
        self.previousOwner = previousOwner
        self.releasedAt = releasedAt
        self.movedAt = movedAt
        self.attributes = attributes
    }
}

// MARK: - Derived clock figures

extension Lead {
    /// Whole days since the lead was created.
    public func ageDays(at now: Date) -> Int { Lead.wholeDays(from: createdAt, to: now) }

    /// Whole days since the later of the last activity and the claim (or creation when neither).
    public func idleDays(at now: Date) -> Int {
        Lead.wholeDays(from: idleSince, to: now)
    }

    /// The instant idle days count from.
    public var idleSince: Date {
        max(lastActivityAt ?? createdAt, claimedAt ?? createdAt)
    }

    /// Whole days since the current owner claimed the lead; nil in the pool.
    public func heldDays(at now: Date) -> Int? {
        claimedAt.map { Lead.wholeDays(from: $0, to: now) }
    }

    /// Floor of elapsed days; negative spans (a `--now` before the event) count as 0.
    public static func wholeDays(from start: Date, to end: Date) -> Int {
        let seconds = end.timeIntervalSince(start)
        return seconds <= 0 ? 0 : Int(seconds / 86_400)
    }

    /// When the lead last entered its pool: created, released or reclaimed into it, or moved
    /// there; a pool's `claimable-after` counts from it.
    public var pooledSince: Date {
        max(createdAt, releasedAt ?? createdAt, movedAt ?? createdAt)
    }

    /// In the pool: open and unowned.
    public var isPooled: Bool { status == .open && owner == nil }
}

// MARK: - Field values

extension Lead {
    /// A canonical field's value as text (times ISO-8601, tags joined with `;`); nil when empty.
    public func value(of field: LeadField) -> String? {
        switch self[field] {
        case .text(let text): text
        case .integer(let integer): String(integer)
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .time(let time): Timestamp.string(time)
        case nil: field == .tags && !tags.isEmpty ? tags.sorted().joined(separator: ";") : nil
        }
    }
}
