import Foundation
import LeadPoolCore

/// The SQL a backend speaks, where conditions compile differently.
package enum SQLDialect: Sendable {
    /// `?` placeholders; text folded by `NOCASE` and `LIKE` (ASCII only, as the core folds).
    case sqlite
    /// `$n` placeholders; text folded with `translate()` (ASCII only, as the core folds) and
    /// compared byte by byte (`COLLATE "C"`), so results do not depend on the database's locale.
    case postgresql
}

/// A value bound to a placeholder.
package enum SQLValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case double(Double)
}

/// A condition compiled to a SQL boolean expression over the `leads` table, with its values.
///
/// Use it in any statement whose FROM clause is `leads` (unaliased), e.g.
/// `SELECT id FROM leads WHERE \(sql)`. Every value from the condition, the clock and each
/// attribute's name are bound; the SQL text holds only column names, operators and fixed
/// constants, so conditions cannot inject SQL.
///
/// The expression follows ``Condition``'s two-valued semantics exactly, as the in-memory
/// ``Condition/matches(_:in:)`` does: each atomic predicate is wrapped to yield false or true,
/// never NULL; text is compared folded (ASCII letters only, as ``Condition/foldedText(_:)``);
/// `contains` and `matches` become LIKE patterns with `%`, `_` and `\` escaped; tags go through
/// `lead_tags`; segments are inlined. It uses no custom SQL functions, so it runs at the
/// database's speed over millions of rows.
package struct CompiledCondition: Sendable {
    /// The boolean expression, with placeholders.
    package let sql: String
    /// The values for the placeholders, in order.
    package let values: [SQLValue]

    /// Compiles a condition against the context's clock and segments. On PostgreSQL the
    /// placeholders are numbered from `firstParameter`.
    ///
    /// - Throws: `LeadPoolError.notFound` for a `segment("x")` the context does not hold;
    ///   `LeadPoolError.badInput` for a segment that reaches itself, or a condition too large
    ///   with its segments written out (``Condition/checkExpansion(segments:)``).
    package init(_ condition: Condition, in context: ConditionContext, dialect: SQLDialect, firstParameter: Int = 1) throws {
        try condition.checkExpansion(segments: context.segments)
        var compiler = ConditionSQLCompiler(context: context, dialect: dialect, firstParameter: firstParameter)
        try compiler.emit(condition)
        self.sql = compiler.sql
        self.values = compiler.values
    }
}

/// Writes SQL text and its values side by side, so placeholders and values stay in order.
private struct ConditionSQLCompiler {
    let context: ConditionContext
    let dialect: SQLDialect
    let firstParameter: Int
    var sql = ""
    var values: [SQLValue] = []
    var activeSegments: [String] = []

    init(context: ConditionContext, dialect: SQLDialect, firstParameter: Int) {
        self.context = context
        self.dialect = dialect
        self.firstParameter = firstParameter
    }

    private mutating func append(_ text: String) { sql += text }

    private mutating func bind(_ value: SQLValue) {
        switch dialect {
        case .sqlite: sql += "?"
        case .postgresql: sql += "$\(firstParameter + values.count)"
        }
        values.append(value)
    }

    private var yes: String { dialect == .sqlite ? "1" : "TRUE" }
    private var no: String { dialect == .sqlite ? "0" : "FALSE" }

    /// Opens `x` that yields false where the predicate is NULL: `ifnull(x, 0)`.
    private mutating func openTwoValued() { append(dialect == .sqlite ? "ifnull(" : "coalesce(") }
    private mutating func closeTwoValued() { append(", \(no))") }

    // MARK: - Structure

    mutating func emit(_ condition: Condition) throws {
        switch condition {
        case .constant(let value):
            append(value ? yes : no)
        case .and(let terms):
            try emit(terms, joinedBy: " AND ", empty: yes)
        case .or(let terms):
            try emit(terms, joinedBy: " OR ", empty: no)
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
            guard operand.isText else { return append(no) }
            emitLike(operand, "%" + Self.likeLiteral(needle.unicodeScalars) + "%")
        case .glob(let operand, let pattern):
            guard operand.isText else { return append(no) }
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
            switch dialect {
            case .sqlite:
                append("EXISTS (SELECT 1 FROM lead_tags WHERE lead_tags.lead_id = leads.id AND lead_tags.tag = ")
                bind(.text(tag))
            case .postgresql:
                // lead_tags' key is lower(tag): tags compare as SQLite's NOCASE column does.
                append("EXISTS (SELECT 1 FROM lead_tags WHERE lead_tags.lead_id = leads.id AND lower(lead_tags.tag) = lower(")
                bind(.text(tag))
                append(")")
            }
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

    /// On SQLite `LIKE` folds ASCII case itself, as `lower()` does, without a lower-cased copy of
    /// every value (`contains`/`matches` on lower() copies took a third of scoring a million
    /// leads). On PostgreSQL the value is folded as the core folds and matched byte by byte.
    private mutating func emitLike(_ operand: Condition.Operand, _ pattern: String) {
        openTwoValued()
        switch dialect {
        case .sqlite:
            emitOperand(operand)
            append(" LIKE ")
            bind(.text(pattern))
        case .postgresql:
            emitFolded(operand)
            append(" LIKE ")
            bind(.text(Condition.foldedText(pattern)))
        }
        append(" ESCAPE '\\'")
        closeTwoValued()
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
                openTwoValued()
                emitFolded(operand)
                append(" \(op.rawValue) ")
                bind(.text(Condition.foldedText(text)))
                closeTwoValued()
            case .integer(let n):
                emitNumericAttribute(name, op, .integer(n))
            case .decimal(let d):
                emitNumericAttribute(name, op, .double(d))
            case .time:
                append(no)
            }
            return
        }
        guard let bound = typedValue(value, for: operand) else { return append(no) }
        openTwoValued()
        emitComparable(operand)
        append(" \(op.rawValue) ")
        bind(bound)
        closeTwoValued()
    }

    private mutating func emitNumericAttribute(_ name: String, _ op: Condition.ComparisonOperator, _ number: SQLValue) {
        // Numeric only when the whole value reads as -?[0-9]+(.[0-9]+)?, like
        // ConditionNumber(attributeValue:); anything else compares false.
        switch dialect {
        case .sqlite:
            append("ifnull((SELECT CASE WHEN v NOT GLOB '*[^0-9.-]*' AND (v GLOB '[0-9]*' OR v GLOB '-[0-9]*')")
            append(" AND v NOT GLOB '?*-*' AND v NOT GLOB '*.*.*' AND v NOT GLOB '*.'")
            append(" THEN CAST(v AS NUMERIC) \(op.rawValue) ")
            bind(number)
            append(" ELSE 0 END FROM (SELECT ")
            emitAttribute(name)
            append(" AS v)), 0)")
        case .postgresql:
            append("coalesce((SELECT CASE WHEN v ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN v::numeric \(op.rawValue) ")
            bind(number)
            append(" ELSE FALSE END FROM (SELECT ")
            emitAttribute(name)
            append(" AS v) AS attribute), FALSE)")
        }
    }

    private mutating func emitOneOf(_ operand: Condition.Operand, _ list: [Condition.Value], negated: Bool) throws {
        guard !list.isEmpty else { return append(negated ? yes : no) }
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
        if negated, typed.count < list.count { return append(no) }
        guard !typed.isEmpty else { return append(no) }
        openTwoValued()
        emitComparable(operand)
        append(negated ? " NOT IN (" : " IN (")
        for (i, value) in typed.enumerated() {
            if i > 0 { append(", ") }
            bind(value)
        }
        append(")")
        closeTwoValued()
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
    private func typedValue(_ value: Condition.Value, for operand: Condition.Operand) -> SQLValue? {
        guard case .field(let field) = operand else { return nil }
        switch (field.kind, value) {
        case (.text, .text(let text)): return .text(Condition.foldedText(text))
        case (.integer, .integer(let n)), (.number, .integer(let n)): return .integer(n)
        case (.integer, .decimal(let d)), (.number, .decimal(let d)): return .double(d)
        case (.time, .time(let seconds)): return .integer(seconds)
        default: return nil
        }
    }

    /// The operand as compared: text folded (on SQLite under NOCASE, the same ASCII-only
    /// folding as `lower()`, without making a lower-cased copy of every value: 15% of scoring a
    /// million leads), everything else as is. On SQLite attributes keep `lower()`: JSON values
    /// are not all text.
    private mutating func emitComparable(_ operand: Condition.Operand) {
        guard operand.isText, case .field = operand else { return emitOperand(operand) }
        switch dialect {
        case .sqlite:
            emitOperand(operand)
            append(" COLLATE NOCASE")
        case .postgresql:
            emitFolded(operand)
        }
    }

    /// Text folded as ``Condition/foldedText(_:)`` folds it (ASCII letters only), to compare
    /// byte by byte with a folded value.
    private mutating func emitFolded(_ operand: Condition.Operand) {
        switch dialect {
        case .sqlite:
            append("lower(")
            emitOperand(operand)
            append(")")
        case .postgresql:
            append("(translate(")
            emitOperand(operand)
            append(", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE \"C\")")
        }
    }

    private mutating func emitOperand(_ operand: Condition.Operand) {
        switch operand {
        case .attribute(let name):
            emitAttribute(name)
        case .field(let field):
            // SQLite's scalar max() is NULL when an argument is; PostgreSQL's GREATEST skips NULLs.
            let greatest = dialect == .sqlite ? "max" : "GREATEST"
            switch field {
            case .ageDays:
                append("\(greatest)(0, (")
                bind(.integer(context.nowSeconds))
                append(" - leads.created_at) / 86400)")
            case .idleDays:
                append("\(greatest)(0, (")
                bind(.integer(context.nowSeconds))
                append(
                    " - \(greatest)(coalesce(leads.last_activity_at, leads.created_at), coalesce(leads.claimed_at, leads.created_at))) / 86400)"
                )
            case .heldDays:
                // NULL in the pool.
                if dialect == .postgresql { append("(CASE WHEN leads.claimed_at IS NOT NULL THEN ") }
                append("\(greatest)(0, (")
                bind(.integer(context.nowSeconds))
                append(" - leads.claimed_at) / 86400)")
                if dialect == .postgresql { append(" END)") }
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
        switch dialect {
        case .sqlite:
            append("json_extract(leads.attrs, ")
            // The name is [a-z0-9_]+ from the parser, but quoting it keeps any name a single key.
            bind(.text("$.\"" + name.replacingOccurrences(of: "\"", with: "") + "\""))
            append(")")
        case .postgresql:
            append("(leads.attrs ->> ")
            bind(.text(name))
            append(")")
        }
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

/// A ``LeadQuery`` compiled to a WHERE clause over `leads` and its ORDER BY, with its values.
package struct CompiledLeadQuery: Sendable {
    /// The WHERE clause (without `WHERE`), with placeholders.
    package let whereSQL: String
    /// The ORDER BY list (without `ORDER BY`).
    package let order: String
    /// The values for the placeholders, in order.
    package let values: [SQLValue]

    package init(_ query: LeadQuery, now: Date, dialect: SQLDialect, firstParameter: Int = 1) throws {
        var clauses: [String] = []
        var values: [SQLValue] = []
        /// A placeholder for `value`, appended to the values.
        func bind(_ value: SQLValue) -> String {
            values.append(value)
            return dialect == .sqlite ? "?" : "$\(firstParameter + values.count - 1)"
        }
        switch query.ownership {
        case .any: break
        case .pooled: clauses.append("owner IS NULL AND status = 'open'")
        case .ownedBy(let handle): clauses.append("owner = \(bind(.text(handle)))")
        }
        if let pools = query.pools {
            let inPools =
                pools.isEmpty ? (dialect == .sqlite ? "0" : "FALSE") : "pool IN (\(pools.map { bind(.text($0)) }.joined(separator: ", ")))"
            if let owner = query.alsoOwnedBy {
                clauses.append("(\(inPools) OR owner = \(bind(.text(owner))))")
            } else {
                clauses.append(inPools)
            }
        }
        let filters = query.tags.map(Condition.tag) + (query.condition.map { [$0] } ?? [])
        for filter in filters {
            let compiled = try CompiledCondition(
                filter,
                in: ConditionContext(now: now, segments: query.segments),
                dialect: dialect,
                firstParameter: firstParameter + values.count
            )
            clauses.append(compiled.sql)
            values += compiled.values
        }
        let greatest = dialect == .sqlite ? "max" : "GREATEST"
        switch query.sort {
        case .score: order = "score DESC, created_at, leads.id"
        case .age: order = "created_at, leads.id"
        case .idle: order = "\(greatest)(coalesce(last_activity_at, created_at), coalesce(claimed_at, created_at)), leads.id"
        case .id: order = "leads.id"
        }
        self.whereSQL = clauses.isEmpty ? (dialect == .sqlite ? "1" : "TRUE") : clauses.joined(separator: " AND ")
        self.values = values
    }
}

/// The reclaim policy compiled to SQL over `leads` at one clock: the same conditions, the same
/// idle and held days as `--where` and the in-memory evaluation. Bind ``dueValues`` and
/// ``overrideValues`` in the order of their text on SQLite (``bindingOrder``); on PostgreSQL the
/// due clause's placeholders are numbered first, from `firstParameter`, then the override
/// index's, so a statement may use the due clause alone.
package struct CompiledReclaim: Sendable {
    /// The leads a reclaim looks at, whatever the clock.
    package static let scope = "owner IS NOT NULL AND status IN ('open', 'qualified')"

    /// True when the owner is deactivated.
    package static func inactiveOwner(_ dialect: SQLDialect) -> String {
        "owner IN (SELECT handle FROM reps WHERE \(dialect == .sqlite ? "active = 0" : "NOT active"))"
    }

    /// True for a lead now in one of `pools` (`reclaim --pool`), whoever owns it; for every lead
    /// when nil. On PostgreSQL its placeholders are numbered from `firstParameter`.
    package static func inPools(_ pools: [String]?, dialect: SQLDialect, firstParameter: Int = 1) -> (sql: String, values: [SQLValue]) {
        guard let pools else { return (dialect == .sqlite ? "1" : "TRUE", []) }
        guard !pools.isEmpty else { return (dialect == .sqlite ? "0" : "FALSE", []) }
        let marks = pools.indices.map { dialect == .sqlite ? "?" : "$\(firstParameter + $0)" }
        return ("pool IN (" + marks.joined(separator: ", ") + ")", pools.map(SQLValue.text))
    }

    /// True when a lead in scope is due: its owner is deactivated, or it is not exempt and past
    /// the limits of its first matching override (the general ones when none matches).
    package let due: String
    package let dueValues: [SQLValue]
    /// The index of the first matching override, -1 when none matches.
    package let overrideIndex: String
    package let overrideValues: [SQLValue]

    package init(_ ruleset: Ruleset, at clock: Date, dialect: SQLDialect, firstParameter: Int = 1) throws {
        let policy = ruleset.reclaimPolicy
        let context = ruleset.conditionContext(now: clock)
        typealias Policy = Ruleset.ReclaimPolicy
        var values: [SQLValue] = []
        var start = firstParameter
        /// Compiles `condition` as the next text of its clause; its values follow the ones before.
        func next(_ condition: Condition) throws -> String {
            let compiled = try CompiledCondition(condition, in: context, dialect: dialect, firstParameter: start + values.count)
            values += compiled.values
            return compiled.sql
        }
        let exempt = try policy.exempt.map(next) ?? (dialect == .sqlite ? "0" : "FALSE")
        var stale: String
        if policy.overrides.isEmpty {
            stale = try next(Policy.staleCondition(policy.limits(overrideIndex: nil)))
        } else {
            stale = "CASE"
            for (i, override) in policy.overrides.enumerated() {
                stale += " WHEN \(try next(override.when)) THEN \(try next(Policy.staleCondition(policy.limits(overrideIndex: i))))"
            }
            stale += " ELSE \(try next(Policy.staleCondition(policy.limits(overrideIndex: nil)))) END"
        }
        due = "(\(Self.inactiveOwner(dialect)) OR (NOT (\(exempt)) AND (\(stale))))"
        dueValues = values
        values = []
        start = firstParameter + dueValues.count
        var index = "-1"
        if !policy.overrides.isEmpty {
            index = "CASE"
            for (i, override) in policy.overrides.enumerated() { index += " WHEN \(try next(override.when)) THEN \(i)" }
            index += " ELSE -1 END"
        }
        overrideIndex = index
        overrideValues = values
    }

    /// The values of a statement that has the override index before the due clause (SQLite's
    /// `?` take them in the order of the text; PostgreSQL's `$n` in the order they were numbered).
    package func bindingOrder(_ dialect: SQLDialect) -> [SQLValue] {
        dialect == .sqlite ? overrideValues + dueValues : dueValues + overrideValues
    }
}

/// `report sla`'s statements over `events` and `leads`, the same on both backends: every lead
/// given to a rep (``EventKind/givings``) with the first activity the rep recorded on it before
/// it left them, and whether first-touch's `when` holds for the lead (``receipts``, columns
/// `to_owner, at, applies, first_touch`, binding ``values``); each rep's escalations
/// (``escalations``, columns `from_owner, count`). The core counts them in working hours.
package struct CompiledSLA: Sendable {
    package let receipts: String
    package let values: [SQLValue]
    package static let escalations =
        "SELECT from_owner, count(*) FROM events WHERE kind = \(EventKind.escalated.sql) AND from_owner IS NOT NULL GROUP BY from_owner"

    package init(_ ruleset: Ruleset, at now: Date, dialect: SQLDialect) throws {
        let (yes, no) = dialect == .sqlite ? ("1", "0") : ("TRUE", "FALSE")
        var applies = yes
        var values: [SQLValue] = []
        if let condition = ruleset.firstTouch?.when {
            let compiled = try CompiledCondition(condition, in: ruleset.conditionContext(now: now), dialect: dialect)
            applies = "CASE WHEN \(compiled.sql) THEN \(yes) ELSE \(no) END"
            values = compiled.values
        }
        let ends = EventKind.ownershipChanges.filter { $0 != .converted && $0 != .disqualified }
        let activity: [EventKind] = [.touched, .qualified, .converted, .disqualified]
        receipts = """
            SELECT e.to_owner, e.at, l.applies,
                (SELECT min(t.at) FROM events t
                 WHERE t.lead_id = e.lead_id AND t.id > e.id AND t.actor = e.to_owner AND t.kind IN \(activity.sql)
                   AND t.id < coalesce((SELECT min(o.id) FROM events o WHERE o.lead_id = e.lead_id AND o.id > e.id
                                        AND o.kind IN \(ends.sql)), 9223372036854775807)) AS first_touch
            FROM events e JOIN (SELECT id AS lead, \(applies) AS applies FROM leads) l ON l.lead = e.lead_id
            WHERE e.kind IN \(EventKind.givings.sql) AND e.to_owner IS NOT NULL
            """
        self.values = values
    }
}
