/// Spreadsheet formula neutralisation of CSV cells (SPEC, "Files leadpool writes").
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and some skip a
/// leading tab or carriage return first), so a lead imported with `=HYPERLINK(…)` as its company
/// would run in the admin's spreadsheet. CSV leadpool writes gets a `'` before such cells, which
/// spreadsheets show as text. `export` also marks cells that start with `'` themselves, so
/// ``restored(_:)`` can take exactly one off every marked cell and the round trip through
/// `import` gives back every value as it was.
public enum CSVCell {
    /// `value` with a `'` before it when a spreadsheet would run it as a formula; for CSV read
    /// by people (`report --format csv`).
    public static func neutralised(_ value: String) -> String {
        guard let first = value.utf8.first, formulaStarts.contains(first) else { return value }
        return "'" + value
    }

    /// `value` as `export` writes it: neutralised, and with a `'` before a `'`, so that
    /// ``restored(_:)`` is its exact inverse.
    public static func exported(_ value: String) -> String {
        value.utf8.first == quote ? "'" + value : neutralised(value)
    }

    /// A cell of leadpool's own export as it was before ``exported(_:)``: one leading `'` removed.
    public static func restored(_ cell: String) -> String {
        cell.utf8.first == quote ? String(cell.unicodeScalars.dropFirst()) : cell
    }

    private static let quote = UInt8(ascii: "'")
    private static let formulaStarts: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"),
    ]
}
