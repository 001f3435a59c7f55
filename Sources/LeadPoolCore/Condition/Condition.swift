import Foundation

/// A parsed condition over leads: the one language of the rules file, segments, ICP criteria
/// and `--where`.
///
/// Build one with ``Condition/parse(_:origin:knownSegments:)``; evaluate it in memory with
/// ``Condition/matches(_:in:)``, or compile it to SQL in `LeadPoolStore`. Both follow the same
/// two-valued semantics:
/// - Every atomic predicate (comparison, `in`, `contains`, `matches`) is false when its field is
///   null or missing, `!=` and `not in` included; `not` simply negates, so `not email = "x"`
///   holds for a lead without an email while `email != "x"` does not.
/// - Text compares case-insensitively with ASCII case folding only (`A`–`Z` to `a`–`z`), which is
///   what SQLite's `lower()`, `NOCASE` and `LIKE` do; `É` and `é` differ. Ordering (`<`, `>`)
///   compares the folded UTF-8 bytes, and equality is byte equality, not Unicode equivalence.
/// - `and` and `or` are n-ary, so a long chain does not deepen the tree.
public indirect enum Condition: Sendable, Equatable {
    /// `true` or `false`.
    case constant(Bool)
    /// Every operand holds (`a and b and …`).
    case and([Condition])
    /// Some operand holds (`a or b or …`).
    case or([Condition])
    /// Negation; true when the operand is false, including because a field was null.
    case not(Condition)
    /// `field op value`.
    case comparison(Operand, ComparisonOperator, Value)
    /// `field in (…)` or, negated, `field not in (…)`: the same as `field = a or field = b …`
    /// and `field != a and field != b …`, so both are false on a null field.
    case oneOf(Operand, [Value], negated: Bool)
    /// `field is null` or, negated, `field is not null`. For `tags`: no tags / some tags.
    case isNull(Operand, negated: Bool)
    /// `field contains "text"`: a case-insensitive substring test.
    case contains(Operand, String)
    /// `field matches "pattern"`: a case-insensitive whole-string glob where `*` matches any run
    /// of characters and `?` exactly one Unicode scalar; every other character is literal.
    case glob(Operand, String)
    /// `tag("x")` or `tags contains "x"`: the lead carries the tag (case-insensitively).
    case tag(String)
    /// `segment("x")`: the lead matches the named segment's condition.
    case segment(String)

    /// What a predicate reads: a canonical lead field or an imported attribute.
    public enum Operand: Sendable, Hashable {
        case field(LeadField)
        /// `attr.NAME`, with NAME lower-cased (`[a-z0-9_]+`).
        case attribute(String)
    }

    /// The six comparison operators.
    public enum ComparisonOperator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        /// Whether an ordering of the left side against the right (-1, 0, 1) satisfies the operator.
        public func holds(for order: Int) -> Bool {
            switch self {
            case .equal: order == 0
            case .notEqual: order != 0
            case .less: order < 0
            case .lessOrEqual: order <= 0
            case .greater: order > 0
            case .greaterOrEqual: order >= 0
            }
        }
    }

    /// A literal on the right of a predicate, already typed for its field by the parser.
    public enum Value: Sendable, Equatable {
        /// A string, as written (folding happens when comparing).
        case text(String)
        case integer(Int64)
        case decimal(Double)
        /// An instant for a time field, in whole seconds since 1970-01-01 UTC.
        case time(Int64)
    }
}

extension Condition.Operand: CustomStringConvertible {
    /// The name as written in a condition: `industry`, `attr.plan`.
    public var description: String {
        switch self {
        case .field(let field): field.rawValue
        case .attribute(let name): "attr." + name
        }
    }
}

/// Where a condition's text comes from, so errors can point into the right file.
///
/// `line` and `column` (both 1-based) give where the condition text starts inside that file;
/// positions on the text's later lines are reported as if the text continued at column 1 of the
/// following file lines.
public struct ConditionOrigin: Sendable, Equatable {
    /// The file name, or `--where` for a condition given on the command line.
    public var name: String
    public var line: Int
    public var column: Int

    public init(_ name: String, line: Int = 1, column: Int = 1) {
        self.name = name
        self.line = max(1, line)
        self.column = max(1, column)
    }

    /// A condition given with `--where`.
    public static let commandLine = ConditionOrigin("--where")
}
