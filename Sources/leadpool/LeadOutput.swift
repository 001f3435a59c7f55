import Foundation
import LeadPoolCore

/// How leads print: canonical field names, ISO-8601 UTC times, contact fields hidden
/// from non-admins until they own the lead.
struct LeadPresenter {
    let viewer: Rep
    let now: Date

    func mayReadContact(_ lead: Lead) -> Bool {
        viewer.role == .admin || lead.owner == viewer.handle
    }

    /// The value of a canonical field as text; nil when empty.
    func text(_ field: LeadField, of lead: Lead) -> String? {
        if field.isContact, !mayReadContact(lead) {
            return lead.value(of: field) == nil ? nil : "(hidden)"
        }
        return lead.value(of: field)
    }

    func json(_ lead: Lead) -> JSON {
        var fields: [(String, JSON)] = []
        for field in LeadField.allCases {
            let value: JSON
            switch field {
            case .id: value = .int(lead.id)
            case .employees: value = .of(lead.employees)
            case .revenue: value = .of(lead.revenue)
            case .score: value = .of(lead.score)
            case .tags: value = .of(lead.tags.sorted())
            case .createdAt: value = .of(lead.createdAt)
            case .claimedAt: value = .of(lead.claimedAt)
            case .lastActivityAt: value = .of(lead.lastActivityAt)
            case .ageDays: value = .of(lead.ageDays(at: now))
            case .idleDays: value = .of(lead.idleDays(at: now))
            case .heldDays: value = .of(lead.heldDays(at: now))
            default:
                value = field.isContact && !mayReadContact(lead) ? .null : .of(lead.value(of: field))
            }
            fields.append((field.rawValue, value))
        }
        for key in lead.attributes.keys.sorted() { fields.append(("attr." + key, .of(lead.attributes[key]))) }
        return .object(fields)
    }

    /// One line per lead for lists.
    func table(_ leads: [Lead]) -> Table {
        var table = Table([
            ("ID", .right), ("COMPANY", .left), ("CONTACT", .left), ("COUNTRY", .left), ("INDUSTRY", .left),
            ("EMPL", .right), ("SCORE", .right), ("TIER", .left), ("STATUS", .left), ("OWNER", .left), ("IDLE", .right),
            ("TAGS", .left),
        ], optional: ["TAGS", "CONTACT", "IDLE", "EMPL", "INDUSTRY"])
        for lead in leads {
            let contact = mayReadContact(lead)
                ? [lead.firstName, lead.lastName].compactMap { $0 }.joined(separator: " ")
                : (lead.firstName == nil && lead.lastName == nil ? "" : "(hidden)")
            table.add([
                String(lead.id), Self.clip(lead.company, 28), Self.clip(contact, 20), lead.country ?? "",
                Self.clip(lead.industry ?? "", 16), lead.employees.map(String.init) ?? "", String(lead.score),
                lead.tier ?? "-", lead.status.rawValue, lead.owner ?? "-", "\(lead.idleDays(at: now))d",
                Self.clip(lead.tags.sorted().joined(separator: ","), 24),
            ])
        }
        return table
    }

    /// Label/value lines for `lead show`.
    func fields(_ lead: Lead) -> [(String, String)] {
        var lines: [(String, String)] = []
        for field in LeadField.allCases {
            let value: String?
            switch field {
            case .ageDays: value = "\(lead.ageDays(at: now))"
            case .idleDays: value = "\(lead.idleDays(at: now))"
            case .heldDays: value = lead.heldDays(at: now).map(String.init)
            default: value = text(field, of: lead)
            }
            lines.append((field.rawValue, value ?? "-"))
        }
        for key in lead.attributes.keys.sorted() { lines.append(("attr." + key, lead.attributes[key] ?? "")) }
        return lines
    }

    static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
