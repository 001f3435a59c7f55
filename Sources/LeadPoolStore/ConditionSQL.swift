import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

/// A condition compiled to a SQL boolean expression over the `leads` table, with its arguments.
///
/// Use it in any statement whose FROM clause is `leads` (unaliased), e.g.
/// `SELECT id FROM leads WHERE \(sql)`. Every value from the condition, the clock and each
/// attribute's JSON path are bound arguments; the SQL text holds only column names, operators
/// and fixed constants, so conditions cannot inject SQL.
///
/// The expression follows ``Condition``'s two-valued semantics exactly, as the in-memory
/// ``Condition/matches(_:in:)`` does: each atomic predicate is wrapped to yield 0 or 1, never
/// NULL; text is compared under NOCASE, with LIKE or on `lower()` (all ASCII-only folding in
/// SQLite without ICU, which is what GRDB links on every platform we ship); `contains` and
/// `matches` become LIKE patterns with `%`, `_` and `\` escaped; tags go through `lead_tags`
/// (its `NOCASE` column); segments are inlined. It uses no custom SQL functions, so it runs at
/// SQLite speed over millions of rows.
struct ConditionSQL: Sendable {
    /// The boolean expression, with `?` placeholders.
    let sql: String
    /// The values for the placeholders, in order.
    let arguments: StatementArguments

    /// Compiles a condition against the context's clock and segments.
    ///
    /// - Throws: `LeadPoolError.notFound` for a `segment("x")` the context does not hold;
    ///   `LeadPoolError.badInput` for a segment that reaches itself, or a condition too large
    ///   for SQLite with its segments written out (``Condition/checkExpansion(segments:)``).
    init(_ condition: Condition, in context: ConditionContext) throws {
        try condition.checkExpansion(segments: context.segments)
        var compiler = ConditionSQLCompiler(context: context)
        try compiler.emit(condition)
        self.sql = compiler.sql
        self.arguments = StatementArguments(compiler.values)
    }
}

/// Writes SQL text and its arguments side by side, so placeholders and values stay in order.
private struct ConditionSQLCompiler {
    let context: ConditionContext
    var sql = ""
    var values: [DatabaseValue] = []
    var activeSegments: [String] = []

    init(context: ConditionContext) { self.context = context }

    private mutating func append(_ text: String) { sql += text }

    private mutating func bind(_ value: some DatabaseValueConvertible) {
        sql += "?"
        values.append(value.databaseValue)
    }

    // MARK: - Structure

    mutating func emit(_ condition: Condition) throws {
        switch condition {
        case .constant(let value):
            append(value ? "1" : "0")
        case .and(let terms):
            try emit(terms, joinedBy: " AND ", empty: "1")
        case .or(let terms):
            try emit(terms, joinedBy: " OR ", empty: "0")
        case .not(let inner):
            append("NOT (")
            try emit(inner)
            append(")")
        case .comparison(let operand, let op, let value):
            emitComparison(operand, op, value)
        case .oneOf(let operand, let values, let negated):
            try emitOneOf(operand, values, negated: negated)
        case .isNull(let operand, let negated):
            emitIsNull(operand, negated: negated)
        case .contains(let operand, let needle):
            guard operand.isText else { return append("0") }
            emitLike(operand, "%" + Self.likeLiteral(needle.unicodeScalars) + "%")
        case .glob(let operand, let pattern):
            guard operand.isText else { return append("0") }
            // `*` and `?` are the wildcards; everything else stands for itself.
            var like = ""
            for scalar in pattern.unicodeScalars {
                switch scalar {
                case "*": like += "%"
                case "?": like += "_"
                default: like += Self.likeLiteral(CollectionOfOne(scalar))
                }
            }
            emitLike(operand, like)
        case .tag(let tag):
            append("EXISTS (SELECT 1 FROM lead_tags WHERE lead_tags.lead_id = leads.id AND lead_tags.tag = ")
            bind(tag)
            append(")")
        case .segment(let name):
            guard let segment = context.segments[name] else {
                throw LeadPoolError.notFound("no segment named '\(name)'")
            }
            guard !activeSegments.contains(name) else {
                throw LeadPoolError.badInput(
                    "segment loop: "
                        + (activeSegments[activeSegments.firstIndex(of: name)!...] + [name])
                        .joined(separator: " -> ")
                )
            }
            activeSegments.append(name)
            defer { activeSegments.removeLast() }
            append("(")
            try emit(segment)
            append(")")
        }
    }

    /// `LIKE` folds ASCII case itself, as `lower()` does, without a lower-cased copy of every
    /// value (`contains`/`matches` on lower() copies took a third of scoring a million leads).
    private mutating func emitLike(_ operand: Condition.Operand, _ pattern: String) {
        append("ifnull(")
        emitOperand(operand)
        append(" LIKE ")
        bind(pattern)
        append(" ESCAPE '\\', 0)")
    }

    /// Text that matches itself in a LIKE pattern with `\` as the escape character.
    private static func likeLiteral(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var text = ""
        for scalar in scalars {
            if scalar == "%" || scalar == "_" || scalar == "\\" { text += "\\" }
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    /// An n-ary `and`/`or` as a balanced tree of binary operators: SQLite parses `a OR b OR c …`
    /// into a chain as deep as it is long, and refuses expressions deeper than 1,000 levels, so a
    /// flat chain of a thousand terms would fail; balanced, it is about 10 levels deep.
    private mutating func emit(_ terms: [Condition], joinedBy separator: String, empty: String) throws {
        guard !terms.isEmpty else { return append(empty) }
        try emitBalanced(terms[...], joinedBy: separator)
    }

    private mutating func emitBalanced(_ terms: ArraySlice<Condition>, joinedBy separator: String) throws {
        guard terms.count > 1 else { return try emit(terms[terms.startIndex]) }
        let middle = terms.startIndex + terms.count / 2
        append("(")
        try emitBalanced(terms[..<middle], joinedBy: separator)
        append(separator)
        try emitBalanced(terms[middle...], joinedBy: separator)
        append(")")
    }

    // MARK: - Predicates

    private mutating func emitComparison(_ operand: Condition.Operand, _ op: Condition.ComparisonOperator, _ value: Condition.Value) {
        if case .attribute(let name) = operand {
            switch value {
            case .text(let text):
                append("ifnull(lower(")
                emitAttribute(name)
                append(") \(op.rawValue) ")
                bind(Condition.foldedText(text))
                append(", 0)")
            case .integer(let n):
                emitNumericAttribute(name, op, n.databaseValue)
            case .decimal(let d):
                emitNumericAttribute(name, op, d.databaseValue)
            case .time:
                append("0")
            }
            return
        }
        guard let bound = typedValue(value, for: operand) else { return append("0") }
        append("ifnull(")
        emitComparable(operand)
        append(" \(op.rawValue) ")
        bind(bound)
        append(", 0)")
    }

    private mutating func emitNumericAttribute(_ name: String, _ op: Condition.ComparisonOperator, _ number: DatabaseValue) {
        // Numeric only when the whole value reads as -?[0-9]+(.[0-9]+)?, like
        // ConditionNumber(attributeValue:); anything else compares false.
        append("ifnull((SELECT CASE WHEN v NOT GLOB '*[^0-9.-]*' AND (v GLOB '[0-9]*' OR v GLOB '-[0-9]*')")
        append(" AND v NOT GLOB '?*-*' AND v NOT GLOB '*.*.*' AND v NOT GLOB '*.'")
        append(" THEN CAST(v AS NUMERIC) \(op.rawValue) ")
        bind(number)
        append(" ELSE 0 END FROM (SELECT ")
        emitAttribute(name)
        append(" AS v)), 0)")
    }

    private mutating func emitOneOf(_ operand: Condition.Operand, _ list: [Condition.Value], negated: Bool) throws {
        guard !list.isEmpty else { return append(negated ? "1" : "0") }
        if case .attribute = operand {
            // Spelled out as `= a OR = b` / `!= a AND != b`, since each value may compare as
            // text or as a number; balanced, as `and`/`or` are, so a long list stays shallow.
            let op: Condition.ComparisonOperator = negated ? .notEqual : .equal
            return try emitBalanced(
                list.map { .comparison(operand, op, $0) }[...],
                joinedBy: negated ? " AND " : " OR "
            )
        }
        // A value of the wrong type never equals: it drops out of `in` and falsifies `not in`.
        let typed = list.compactMap { typedValue($0, for: operand) }
        if negated, typed.count < list.count { return append("0") }
        guard !typed.isEmpty else { return append("0") }
        append("ifnull(")
        emitComparable(operand)
        append(negated ? " NOT IN (" : " IN (")
        for (i, value) in typed.enumerated() {
            if i > 0 { append(", ") }
            bind(value)
        }
        append("), 0)")
    }

    private mutating func emitIsNull(_ operand: Condition.Operand, negated: Bool) {
        if operand == .field(.tags) {
            append(negated ? "EXISTS" : "NOT EXISTS")
            return append(" (SELECT 1 FROM lead_tags WHERE lead_tags.lead_id = leads.id)")
        }
        append("(")
        emitOperand(operand)
        append(negated ? " IS NOT NULL)" : " IS NULL)")
    }

    // MARK: - Operands

    /// The literal as bound for a field, or nil when its type does not fit the field.
    private func typedValue(_ value: Condition.Value, for operand: Condition.Operand) -> DatabaseValue? {
        guard case .field(let field) = operand else { return nil }
        switch (field.kind, value) {
        case (.text, .text(let text)): return Condition.foldedText(text).databaseValue
        case (.integer, .integer(let n)), (.number, .integer(let n)): return n.databaseValue
        case (.integer, .decimal(let d)), (.number, .decimal(let d)): return d.databaseValue
        case (.time, .time(let seconds)): return seconds.databaseValue
        default: return nil
        }
    }

    /// The operand as compared: text under NOCASE (the same ASCII-only folding as `lower()`,
    /// without making a lower-cased copy of every value: 15% of scoring a million leads),
    /// everything else as is. Attributes keep `lower()`: JSON values are not all text.
    private mutating func emitComparable(_ operand: Condition.Operand) {
        emitOperand(operand)
        if operand.isText, case .field = operand { append(" COLLATE NOCASE") }
    }

    private mutating func emitOperand(_ operand: Condition.Operand) {
        switch operand {
        case .attribute(let name):
            emitAttribute(name)
        case .field(let field):
            switch field {
            case .ageDays:
                append("max(0, (")
                bind(context.nowSeconds)
                append(" - leads.created_at) / 86400)")
            case .idleDays:
                append("max(0, (")
                bind(context.nowSeconds)
                append(" - max(coalesce(leads.last_activity_at, leads.created_at), coalesce(leads.claimed_at, leads.created_at))) / 86400)")
            case .heldDays:
                // NULL in the pool: scalar max() is NULL when an argument is.
                append("max(0, (")
                bind(context.nowSeconds)
                append(" - leads.claimed_at) / 86400)")
            case .tags:
                append("NULL")
            default:
                // Every other field's canonical name is its column name, qualified: a statement
                // may join another table with a column of the same name (json_each has `id`).
                append("leads." + field.rawValue)
            }
        }
    }

    private mutating func emitAttribute(_ name: String) {
        append("json_extract(leads.attrs, ")
        // The name is [a-z0-9_]+ from the parser, but quoting it keeps any name a single key.
        bind("$.\"" + name.replacingOccurrences(of: "\"", with: "") + "\"")
        append(")")
    }
}

extension Condition.Operand {
    /// Compared as text: text fields and attributes.
    fileprivate var isText: Bool {
        switch self {
        case .attribute: true
        case .field(let field): field.kind == .text
        }
    }
}
