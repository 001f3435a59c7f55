import Foundation

/// A correction of a lead by hand (`lead update ID --field name=value…`): every field named is
/// set to the value an import reads from it, or cleared when given empty.
public struct LeadEdit: Sendable, Equatable {
    /// The canonical fields named.
    public var fields: Set<LeadField>
    /// The `attr.NAME`s named, by NAME.
    public var attributes: Set<String>
    /// The values, checked and normalized as an import does (a field given empty is nil here).
    public var draft: LeadDraft

    public init(fields: Set<LeadField>, attributes: Set<String>, draft: LeadDraft) {
        self.fields = fields
        self.attributes = attributes
        self.draft = draft
    }

    /// What a rep may correct on a lead they own: the company and what describes it and its
    /// contact. Ids, the source and what leadpool derives or owns are for admins.
    public static let repFields: Set<LeadField> = [
        .company, .firstName, .lastName, .title, .email, .phone, .website, .country, .region, .city, .industry,
        .employees, .revenue,
    ]

    /// Why `actor` may not make this edit on `lead` (exit 1 when the lead is not theirs, 77
    /// for a field that is for admins), or nil.
    public func refusal(by actor: Rep, on lead: Lead) -> LeadPoolError? {
        guard actor.role != .admin else { return nil }
        guard lead.owner == actor.handle else {
            return .refused("lead \(lead.id) is not yours: reps correct the leads they own, admins any lead")
        }
        if let field = fields.subtracting(Self.repFields).map(\.rawValue).sorted().first {
            return .permission(
                "\(field) is for admins to change",
                hint: "reps may change \(Self.repFields.map(\.rawValue).sorted().joined(separator: ", ")) and attr.NAME"
            )
        }
        return nil
    }

    /// `lead` with the edit made. A new website or email gives a new domain unless one is named.
    public func applied(to lead: Lead) -> Lead {
        var lead = lead
        for field in fields where field.isImportable { lead[field] = draft[field] }
        if !fields.contains(.domain), !fields.isDisjoint(with: [.website, .email]) {
            lead.domain = lead.website.flatMap(IntakeValue.domain(fromWebsite:)) ?? lead.email.flatMap(IntakeValue.domain(fromEmail:))
        }
        for name in attributes { lead.attributes[name] = draft.attributes[name] }
        return lead
    }

    /// What the edit changes, old → new, by field name (`phone`, `attr.plan`), in name order.
    public func changes(from old: Lead, to new: Lead) -> [(name: String, old: String?, new: String?)] {
        var names = fields.map(\.rawValue)
        if fields.contains(.website) || fields.contains(.email) { names.append(LeadField.domain.rawValue) }
        var changes: [(name: String, old: String?, new: String?)] = []
        for name in Set(names).sorted() {
            guard let field = LeadField(rawValue: name) else { continue }
            let (before, after) = (old.value(of: field), new.value(of: field))
            if before != after { changes.append((name, before, after)) }
        }
        for name in attributes.sorted() where old.attributes[name] != new.attributes[name] {
            changes.append(("attr." + name, old.attributes[name], new.attributes[name]))
        }
        return changes
    }
}
