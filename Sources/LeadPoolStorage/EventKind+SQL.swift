import LeadPoolCore

extension EventKind {
    /// The kind as an SQL literal, `'claimed'`. Kinds are fixed words, so statements name them
    /// inline, as a partial index on `kind = 'claimed'` needs (a bound parameter would not use it).
    package var sql: String { "'" + rawValue + "'" }

    /// The kind an `events.kind` value names; its CHECK admits no other, so another is a bug.
    package init(column word: String) throws {
        guard let kind = EventKind(rawValue: word) else { throw LeadPoolError.bug("an event of kind '\(word)', which leadpool does not know") }
        self = kind
    }
}

extension Sequence<EventKind> {
    /// The kinds as an SQL list for `kind IN …`: `('assigned', 'claimed')`.
    package var sql: String { "(" + map(\.sql).joined(separator: ", ") + ")" }
}
