import Foundation

/// Who may read which lead fields: the SPEC's "Visibility".
///
/// Contact fields are `first_name`, `last_name`, `email`, `phone`, every attribute whose name
/// says it holds contact data (``Visibility/isContactAttribute(_:)``) and the rules file's
/// `hidden:` list. Admins read every field; a rep reads every field of the leads they own and
/// no contact field of any other lead, nor may they use one in a condition (which runs over
/// leads they do not own). ``isHidden(_:from:on:)`` is the one decision; everything else here
/// applies it.
public struct Visibility: Sendable, Equatable {
    /// The rules file's `hidden:` list: fields hidden like contact fields.
    public var hidden: [Condition.Operand]
    /// Each pool's `hidden:` list: hidden like contact fields on that pool's leads.
    public var poolHidden: [String: [Condition.Operand]]

    public init(hidden: [Condition.Operand] = [], poolHidden: [String: [Condition.Operand]] = [:]) {
        self.hidden = hidden
        self.poolHidden = poolHidden
    }

    /// Whether `field` is a contact field: hidden from reps on leads they do not own.
    ///
    /// - Parameter pool: the pool of the lead shown, whose `hidden:` list adds to the file's;
    ///   nil for a condition, a sort or a count over leads in general, where a field any pool
    ///   hides counts.
    public func isContact(_ field: Condition.Operand, pool: String? = nil) -> Bool {
        switch field {
        case .field(let field): if field.isContact { return true }
        case .attribute(let name): if Self.isContactAttribute(name) { return true }
        }
        if hidden.contains(field) { return true }
        guard !poolHidden.isEmpty else { return false }
        if let pool { return poolHidden[pool]?.contains(field) ?? false }
        return poolHidden.values.contains { $0.contains(field) }
    }

    /// Whether `viewer` may not see `field` of `lead`.
    ///
    /// - Parameter lead: the lead shown; nil for a condition, a sort or a count, which run over
    ///   leads in general (the viewer's own and everyone else's), so a contact field is hidden
    ///   there from every non-admin.
    public func isHidden(_ field: Condition.Operand, from viewer: Rep, on lead: Lead?) -> Bool {
        // Cheapest test first: an export runs this for every field of every lead.
        guard viewer.role != .admin, lead == nil || lead?.owner != viewer.handle else { return false }
        return isContact(field, pool: lead?.pool)
    }

    /// Whether `viewer` sees every field of `lead`: an admin, or its owner.
    public func seesEverything(of lead: Lead, viewer: Rep) -> Bool {
        viewer.role == .admin || lead.owner == viewer.handle
    }

    /// The hidden fields of `lead` that hold a value, canonical fields first (in `LeadField`
    /// order), then attributes by name. Whether a lead has an email or a mobile number shows;
    /// the value does not.
    public func hiddenFields(of lead: Lead, from viewer: Rep) -> [Condition.Operand] {
        guard !seesEverything(of: lead, viewer: viewer) else { return [] }
        let canonical = LeadField.allCases.map(Condition.Operand.field).filter { operand in
            guard case .field(let field) = operand, isHidden(operand, from: viewer, on: lead) else { return false }
            return lead.value(of: field) != nil
        }
        let attributes = lead.attributes.keys.sorted().map(Condition.Operand.attribute)
            .filter { isHidden($0, from: viewer, on: lead) }
        return canonical + attributes
    }

    /// The first field `condition` reads that is hidden from `viewer`, directly or through the
    /// segments it names, with the chain of segments it went through. Whether a condition holds
    /// tells what the fields it reads hold, so its outcome is hidden where one of them is.
    ///
    /// - Parameter lead: the lead the outcome is about; nil (the default) for a filter or a
    ///   count over leads in general.
    public func firstHiddenRead(
        in condition: Condition,
        segments: [String: Condition],
        viewer: Rep,
        on lead: Lead? = nil
    ) -> (operand: Condition.Operand, via: [String])? {
        condition.firstRead(where: { isHidden($0, from: viewer, on: lead) }, segments: segments)
    }
}

// MARK: - History

extension Visibility {
    /// What `viewer` may see of `event`, an event of `lead`, and the names of what was left out.
    ///
    /// On a lead the viewer neither owns nor administers, the reasons and notes other people
    /// wrote (`release --reason`, `touch --note`, `transfer --reason`; reclaim reasons too, which
    /// may quote an override's condition on contact fields) are left out, and so is any detail
    /// naming a hidden field. A round's reason stays: the strategy's arithmetic, nothing about
    /// the lead. So does what happened, when, by whom and between which owners.
    ///
    /// - Parameter hiddenRules: routing rules whose outcome on the lead the viewer may not learn
    ///   (``Ruleset/rulesHidingOutcome(on:from:)``): an event naming one leaves the rule out.
    public func event(
        _ event: LeadEvent,
        of lead: Lead,
        seenBy viewer: Rep,
        hiddenRules: Set<String> = []
    ) -> (event: LeadEvent, hidden: [String]) {
        guard !seesEverything(of: lead, viewer: viewer), event.actor != viewer.handle else { return (event, []) }
        var shown = event
        var hidden: [String] = []
        if let rule = event.rule, hiddenRules.contains(rule) {
            shown.rule = nil
            hidden.append("rule")
        }
        if shown.reason != nil, event.roundID == nil || hidden.contains("rule") {
            shown.reason = nil
            hidden.append("reason")
        }
        if let detail = event.detail, let data = detail.data(using: .utf8),
            var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        {
            let left = object.keys.sorted().filter { key in
                key == "note" || key == "notes" || key == "text"
                    || LeadField(rawValue: key).map { isHidden(.field($0), from: viewer, on: lead) } == true
                    || (key.hasPrefix("attr.") && isHidden(.attribute(String(key.dropFirst(5))), from: viewer, on: lead))
            }
            if !left.isEmpty {
                for key in left { object[key] = nil }
                hidden += left.map { "detail." + $0 }
                shown.detail = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
                    .map { String(decoding: $0, as: UTF8.self) }
            }
        } else if event.detail != nil {
            // Not a JSON object leadpool wrote: nothing to tell apart, so nothing shows.
            shown.detail = nil
            hidden.append("detail")
        }
        return (shown, hidden)
    }
}

extension Ruleset {
    /// The routing rules whose outcome on `lead` is hidden from `viewer`: from the first whose
    /// condition reads a field hidden from them on, since the rule that routes a lead also tells
    /// that every rule before it did not hold.
    public func rulesHidingOutcome(on lead: Lead, from viewer: Rep) -> ArraySlice<Rule> {
        let visibility = visibility
        guard
            let first = rules.firstIndex(where: {
                visibility.firstHiddenRead(in: $0.when, segments: segmentConditions, viewer: viewer, on: lead) != nil
            })
        else { return [] }
        return rules[first...]
    }
}

// MARK: - Contact attributes

extension Visibility {
    /// Whether an attribute's name says it holds contact data.
    ///
    /// The name (`attr.NAME` without `attr.`) is folded to lower case without accents and split
    /// into its `_`-separated words. It is a contact attribute when a word
    /// - is a contact term (`name`, `email`, `mail`, `phone`, `mobile`, `tel`, `fax`, `wechat`,
    ///   `whatsapp`, `skype`, `linkedin`, `address`, `street`, their plurals, and the like in the
    ///   languages intake reads: `telefon`, `handy`, `adresse`, `vorname`, `nombre`, `correo`, …),
    /// - runs a longer term together with more (`mobilephone`, `linkedinurl`, `emailaddress`,
    ///   `firstname`, `workemail`, `telefonnummer`), `name` and `mail` only at the end
    ///   (`named_account` and `mailchimp_status` are not contact data),
    /// - is `tel` or `fax` with a number word (`telno`, `faxnr`),
    ///
    /// or the name holds a Chinese contact term (`手机`, `微信`, `邮箱`, …).
    ///
    /// A name qualified by an organisation (`company_name`, `accountname`, `product_name`) names a
    /// company or a thing, not a person: it is not a contact field. Over-hiding is the safe side
    /// otherwise: `ip_address` and `phone_verified` are hidden too.
    public static func isContactAttribute(_ name: String) -> Bool {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        if ContactTerms.chinese.contains(where: { folded.contains($0) }) { return true }
        let words = folded.split(separator: "_").map(String.init).filter { !$0.allSatisfy(\.isNumber) }
        for (index, word) in words.enumerated() {
            let previous = index > 0 ? words[index - 1] : nil
            if ContactTerms.names.contains(word) || ContactTerms.names.contains(singular(word)) {
                if let previous, ContactTerms.organisations.contains(previous) { continue }
                return true
            }
            if ContactTerms.exact.contains(word) || ContactTerms.exact.contains(singular(word)) { return true }
            if ContactTerms.runTogether.contains(where: { word.count > $0.count && (word.hasPrefix($0) || word.hasSuffix($0)) }) {
                return true
            }
            if ContactTerms.endings.contains(where: { word.count > $0.count && word.hasSuffix($0) }) { return true }
            if let name = ContactTerms.names.first(where: { word.count > $0.count && word.hasSuffix($0) }) {
                if ContactTerms.organisations.contains(String(word.dropLast(name.count))) { continue }
                return true
            }
            for short in ["tel", "fax"] where word.hasPrefix(short) {
                if ContactTerms.numberWords.contains(String(word.dropFirst(short.count))) { return true }
            }
        }
        return false
    }

    private static func singular(_ word: String) -> String {
        if word.hasSuffix("es"), word.count > 4, ContactTerms.exact.contains(String(word.dropLast(2))) {
            return String(word.dropLast(2))
        }
        return word.hasSuffix("s") ? String(word.dropLast()) : word
    }
}

/// The words `Visibility.isContactAttribute` looks for, folded (lower case, no accents).
private enum ContactTerms {
    /// Words for a person's name; not contact data after an organisation word (`company_name`).
    static let names: Set<String> = [
        "name", "naam", "nom", "nombre", "nazwisko", "imie", "apellido", "apellidos", "prenom", "vorname",
        "nachname", "surname", "nome", "cognome",
    ]

    /// Contact terms matched as whole words.
    static let exact: Set<String> = [
        "email", "mail", "phone", "mobile", "tel", "fax", "wechat", "weixin", "whatsapp", "skype", "linkedin",
        "xing", "twitter", "telegram", "viber", "qq", "address", "street", "telefon", "telefono", "telefoon",
        "handy", "mobil", "movil", "mobiel", "cell", "celular", "portable", "adresse", "adres", "direccion",
        "anschrift", "strasse", "straat", "calle", "ulica", "rue", "courriel", "correo", "contact",
    ]

    /// Terms that also match run together with more, at either end of a word (`mobilephone`,
    /// `linkedinurl`, `telefonnummer`).
    static let runTogether: [String] = [
        "email", "phone", "mobile", "wechat", "weixin", "whatsapp", "skype", "linkedin", "address", "street",
        "telefon", "telefoon", "adresse", "strasse", "celular", "mobiltelefon", "courriel", "correo",
    ]

    /// Terms that match only at the end of a run-together word (`workmail`, but not `mailchimp`).
    static let endings: [String] = ["mail"]

    /// Words after which `name` names a company or a thing, not a person.
    static let organisations: Set<String> = [
        "company", "account", "organization", "organisation", "org", "business", "firm", "firmen", "employer",
        "brand", "product", "campaign", "event", "file", "domain", "host", "list", "plan", "project", "team",
        "partner", "trade", "legal", "group",
    ]

    /// What follows `tel` or `fax` in a run-together number column.
    static let numberWords: Set<String> = ["no", "nr", "num", "number", "nummer", "numero"]

    static let chinese = ["姓名", "名字", "联系人", "电话", "手机", "座机", "邮箱", "邮件", "微信", "地址", "传真"]
}
