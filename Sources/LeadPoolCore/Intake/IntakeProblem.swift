/// One thing wrong with one CSV record: where it is and why it cannot be imported.
///
/// Intake reports problems as values so an import can list every bad row of a file
/// (the SPEC: "a file with any bad row imports nothing and lists every bad row").
public struct IntakeProblem: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based physical line where the record starts.
    public var line: Int
    /// The header of the column at fault, when the problem is about one column.
    public var column: String?
    /// What is wrong, for a person to act on.
    public var reason: String

    public init(line: Int, column: String? = nil, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 12: Email: "bob@" is not an email address`.
    public var description: String {
        if let column { return "line \(line): \(column): \(reason)" }
        return "line \(line): \(reason)"
    }

    /// `FILE:12: Email: "bob@" is not an email address`, the form the CLI prints.
    public func description(file: String) -> String {
        if let column { return "\(file):\(line): \(column): \(reason)" }
        return "\(file):\(line): \(reason)"
    }
}

extension LeadPoolError {
    /// A `badInput` error listing every bad row of `file`, one per line, in line order.
    public static func badRows(_ problems: [IntakeProblem], file: String) -> LeadPoolError {
        let sorted = problems.enumerated().sorted {
            ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
        }.map(\.element)
        let rows = Set(sorted.map(\.line)).count
        let list = sorted.map { $0.description(file: file) }.joined(separator: "\n")
        return .badInput(
            "\(file): \(rows) bad row\(rows == 1 ? "" : "s"); nothing was imported\n\(list)",
            hint: "fix the rows (or map a column elsewhere with --map \"Header=field\") and import again")
    }
}
