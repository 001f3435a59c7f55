import Foundation
import LeadPoolCore

/// How leads print: canonical field names, times in the viewer's zone (JSON: ISO-8601 UTC), and the fields the viewer may
/// not see (``Visibility``) left out: `(hidden)` in tables, absent from JSON objects and named
/// in their `hidden` array.
struct LeadPresenter {
    let viewer: Rep
    let now: Date
    let visibility: Visibility
    /// The viewer's zone, for times shown to people.
    var clock: TeamClock = .utc

    func isHidden(_ field: Condition.Operand, of lead: Lead) -> Bool {
        visibility.isHidden(field, from: viewer, on: lead)
    }

    /// The value of a canonical field as text; nil when empty, `(hidden)` when the viewer may not see it.
    func text(_ field: LeadField, of lead: Lead) -> String? {
        guard let value = lead.value(of: field) else { return nil }
        return isHidden(.field(field), of: lead) ? "(hidden)" : value
    }

    /// An attribute's value as text; `(hidden)` when the viewer may not see it.
    func text(attribute name: String, of lead: Lead) -> String? {
        guard let value = lead.attributes[name] else { return nil }
        return isHidden(.attribute(name), of: lead) ? "(hidden)" : value
    }

    func json(_ lead: Lead) -> JSON {
        var fields: [(String, JSON)] = []
        for field in LeadField.allCases where !isHidden(.field(field), of: lead) {
            let value: JSON
            if field.isComputed {
                value = .of(lead.figure(field, at: now))
            } else if field == .tags {
                value = .of(lead.tags.sorted())
            } else {
                switch lead[field] {
                case .text(let text): value = .string(text)
                case .integer(let integer): value = .int(integer)
                case .number(let number): value = .number(number)
                case .time(let time): value = .of(time)
                case nil: value = .null
                }
            }
            fields.append((field.rawValue, value))
        }
        for key in lead.attributes.keys.sorted() where !isHidden(.attribute(key), of: lead) {
            fields.append(("attr." + key, .of(lead.attributes[key])))
        }
        fields.append(("hidden", .of(visibility.hiddenFields(of: lead, from: viewer).map(\.description))))
        return .object(fields)
    }

    /// One line per lead for lists.
    func table(_ leads: [Lead]) -> Table {
        var table = Table(
            [
                ("ID", .right), ("COMPANY", .left), ("CONTACT", .left), ("COUNTRY", .left), ("INDUSTRY", .left),
                ("EMPL", .right), ("SCORE", .right), ("TIER", .left), ("STATUS", .left), ("OWNER", .left), ("IDLE", .right),
                ("TAGS", .left),
            ],
            optional: ["TAGS", "CONTACT", "IDLE", "EMPL", "INDUSTRY"]
        )
        for lead in leads {
            let names: [String] = [text(.firstName, of: lead), text(.lastName, of: lead)].compactMap { $0 }
            let contact: String = names.contains("(hidden)") ? "(hidden)" : names.joined(separator: " ")
            table.add([
                String(lead.id), Terminal.clip(lead.company, to: 28), Terminal.clip(contact, to: 20),
                text(.country, of: lead) ?? "", Terminal.clip(text(.industry, of: lead) ?? "", to: 16), text(.employees, of: lead) ?? "",
                String(lead.score), lead.tier ?? "-", lead.status.rawValue, lead.owner ?? "-", "\(lead.idleDays(at: now))d",
                Terminal.clip(lead.tags.sorted().joined(separator: ","), to: 24),
            ])
        }
        return table
    }

    /// Label/value lines for `lead show`.
    func fields(_ lead: Lead) -> [(String, String)] {
        var lines: [(String, String)] = []
        for field in LeadField.allCases {
            let value: String?
            if field.isComputed {
                value = lead.figure(field, at: now).map(String.init)
            } else if case .time(let time) = lead[field] {
                value = clock.time(time)
            } else {
                value = text(field, of: lead)
            }
            lines.append((field.rawValue, value ?? "-"))
        }
        for key in lead.attributes.keys.sorted() { lines.append(("attr." + key, text(attribute: key, of: lead) ?? "")) }
        return lines
    }
}

extension Session {
    /// Who may read which fields: the ruleset in force's `hidden:` list over the contact fields.
    func visibility() throws -> Visibility {
        try store.currentRuleset()?.ruleset.visibility ?? Visibility()
    }

    /// A presenter for the acting rep.
    func leadPresenter() throws -> LeadPresenter {
        LeadPresenter(viewer: actor, now: now, visibility: try visibility(), clock: clock)
    }
}
