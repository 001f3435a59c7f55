// MARK: - Rendering back to text

extension Condition: CustomStringConvertible {
    /// The condition in the language's own syntax; parsing it gives back an equal condition.
    ///
    /// Times render as ISO-8601 UTC, text in double quotes with `\"` and `\\` escaped.
    public var description: String {
        switch self {
        case .constant(let value):
            return value ? "true" : "false"
        case .and(let terms):
            return terms.map(\.nested).joined(separator: " and ")
        case .or(let terms):
            return terms.map(\.nested).joined(separator: " or ")
        case .not(let inner):
            return "not " + inner.nested
        case .comparison(let operand, let op, let value):
            return "\(operand) \(op.rawValue) \(value)"
        case .oneOf(let operand, let values, let negated):
            return "\(operand) \(negated ? "not in" : "in") (\(values.map(\.description).joined(separator: ", ")))"
        case .isNull(let operand, let negated):
            return "\(operand) is \(negated ? "not null" : "null")"
        case .contains(let operand, let text):
            return "\(operand) contains \(Self.quoted(text))"
        case .glob(let operand, let pattern):
            return "\(operand) matches \(Self.quoted(pattern))"
        case .tag(let tag):
            return "tag(\(Self.quoted(tag)))"
        case .segment(let name):
            return "segment(\(Self.quoted(name)))"
        }
    }

    /// Parenthesized when it is itself an `and`/`or`, so the tree reads back the same.
    private var nested: String {
        switch self {
        case .and, .or: "(" + description + ")"
        default: description
        }
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension Condition.Value: CustomStringConvertible {
    /// The literal as written in a condition.
    public var description: String {
        switch self {
        case .text(let text): Condition.quoted(text)
        case .integer(let n): String(n)
        case .decimal(let d): d.description
        case .time(let seconds): Condition.quoted(ISOTime.iso(seconds))
        }
    }
}
