/// The longest free text leadpool stores, by what it is: enough for any real value, small
/// enough that no one can fill the database or every table and report with one argument.
///
/// Lengths count UTF-8 bytes, as SQLite stores them. Imported CSV cells have their own limit
/// (1 MiB, ``CSVReader``); these apply to what is typed on the command line.
public enum TextLimit: Sendable {
    /// Tags, handles, teams, territories, sources, header names in `--map`: 200 bytes.
    case label
    /// Names, emails, companies and other lead fields given by hand: 1,000 bytes.
    case name
    /// Notes and reasons kept in a lead's history: 10,000 bytes.
    case note

    /// The most UTF-8 bytes accepted.
    public var bytes: Int {
        switch self {
        case .label: 200
        case .name: 1_000
        case .note: 10_000
        }
    }

    /// Refuses `text` when it is longer than this limit.
    ///
    /// - Parameter what: how the message names the value, e.g. `--note` or `tag`.
    /// - Throws: `LeadPoolError.badInput` (exit 65) naming the value, its length and the limit.
    public func check(_ text: String, _ what: String) throws(LeadPoolError) {
        let length = text.utf8.count
        guard length > bytes else { return }
        let start = String(text.prefix(24))
        throw .badInput(
            "\(what) is \(length) bytes long (\"\(start)…\"); the most is \(bytes)",
            hint: "shorten it"
        )
    }

    /// ``check(_:_:)`` for each of `texts`.
    public func check(_ texts: some Sequence<String>, _ what: String) throws(LeadPoolError) {
        for text in texts { try check(text, what) }
    }
}

extension Lead {
    /// The text a lead was given by hand, by the name a message uses for it: each text field
    /// set (but `company`, which callers check as `--company`, and `domain`), and each
    /// attribute as `attr.NAME` (its name and its value).
    public var textFields: [(name: String, value: String)] {
        Self.handTextFields.compactMap { field in self[field]?.text.map { (field.rawValue, $0) } }
            + attributes.sorted { $0.key < $1.key }.flatMap { [("an attribute name", $0.key), ("attr." + $0.key.prefix(40), $0.value)] }
    }
}

extension Lead {
    /// The importable text fields ``textFields`` checks, in `LeadField` order.
    fileprivate static let handTextFields = LeadField.importedColumns.filter {
        $0.kind == .text && $0 != .company && $0 != .domain
    }
}
