// MARK: - Entry point

extension Condition {
    /// The longest condition text accepted, in UTF-8 bytes.
    public static let maximumLength = 64 * 1024
    /// The longest text value (`"…"`) accepted, in UTF-8 bytes.
    public static let maximumTextLength = 10_000
    /// The deepest nesting of parentheses and `not` accepted.
    public static let maximumDepth = 64

    /// Parses condition text, type-checking every predicate against its field.
    ///
    /// - Parameters:
    ///   - text: the condition, e.g. `industry in ("Software", "Fintech") and employees >= 200`.
    ///   - origin: where the text sits, so errors read `rules.yaml:12:19: …`.
    ///   - knownSegments: when given, `segment("x")` must name one of these.
    /// - Throws: `LeadPoolError.badInput` naming origin, line and column, quoting the line with a
    ///   caret under the problem and, where one is near, suggesting the intended name. Text over
    ///   64 KiB or nested deeper than 64 levels is refused the same way.
    public static func parse(
        _ text: String,
        origin: ConditionOrigin = .commandLine,
        knownSegments: Set<String>? = nil
    ) throws -> Condition {
        let diagnostics = ConditionDiagnostics(text: text, origin: origin)
        guard text.utf8.count <= maximumLength else {
            throw diagnostics.error(
                "condition is longer than \(maximumLength / 1024) KiB",
                at: SourcePosition(line: 0, column: 0),
                hint: "split it into named segments"
            )
        }
        var lexer = ConditionLexer(text, diagnostics: diagnostics)
        var parser = ConditionParser(
            tokens: try lexer.tokens(),
            diagnostics: diagnostics,
            knownSegments: knownSegments
        )
        return try parser.parseCondition()
    }
}

// MARK: - Parser

/// Recursive descent over the tokens; precedence `not` > `and` > `or`.
struct ConditionParser {
    private let tokens: [ConditionToken]
    private let diagnostics: ConditionDiagnostics
    private let knownSegments: Set<String>?
    private var index = 0
    private var depth = 0

    static let functions = ["tag", "segment"]
    static let keywords: Set<String> = ["and", "or", "not", "in", "is", "null", "contains", "matches", "true", "false"]
    static let statusHint = "a status is one of: " + LeadStatus.allCases.map(\.rawValue).joined(separator: ", ")

    init(tokens: [ConditionToken], diagnostics: ConditionDiagnostics, knownSegments: Set<String>?) {
        self.tokens = tokens
        self.diagnostics = diagnostics
        self.knownSegments = knownSegments
    }

    mutating func parseCondition() throws -> Condition {
        let condition = try parseOr()
        let token = current
        if token.kind != .end {
            if token.kind == .symbol(.close) {
                throw diagnostics.error("unbalanced ')'", at: token.position)
            }
            throw diagnostics.error(
                "expected 'and', 'or' or the end, found \(describe(token))",
                at: token.position,
                hint: token.kind.isValue ? "quote text values and separate list items with ','" : nil
            )
        }
        return condition
    }

    // MARK: - Boolean structure

    private var current: ConditionToken { tokens[index] }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private mutating func take(keyword: String) -> Bool {
        guard current.keyword == keyword else { return false }
        advance()
        return true
    }

    private mutating func parseOr() throws -> Condition {
        var terms = [try parseAnd()]
        while take(keyword: "or") { terms.append(try parseAnd()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd() throws -> Condition {
        var terms = [try parseUnary()]
        while take(keyword: "and") { terms.append(try parseUnary()) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseUnary() throws -> Condition {
        guard current.keyword == "not" else { return try parsePrimary() }
        try enterNesting()
        advance()
        defer { depth -= 1 }
        return .not(try parseUnary())
    }

    private mutating func enterNesting() throws {
        depth += 1
        if depth > Condition.maximumDepth {
            throw diagnostics.error(
                "condition nests deeper than \(Condition.maximumDepth) levels",
                at: current.position,
                hint: "split it into named segments"
            )
        }
    }

    private mutating func parsePrimary() throws -> Condition {
        let token = current
        switch token.kind {
        case .symbol(.open):
            try enterNesting()
            advance()
            defer { depth -= 1 }
            let inner = try parseOr()
            guard current.kind == .symbol(.close) else {
                throw diagnostics.error(
                    "expected ')' to close the '(' at column \(diagnostics.filePosition(token.position).column), found \(describe(current))",
                    at: current.position
                )
            }
            advance()
            return inner
        case .word(let word):
            let lowered = word.lowercased()
            if lowered == "true" || lowered == "false" {
                advance()
                return .constant(lowered == "true")
            }
            if tokens[index + 1].kind == .symbol(.open) {
                return try parseFunction(lowered, token: token)
            }
            if Self.keywords.contains(lowered) {
                throw diagnostics.error("expected a condition, found '\(word)'", at: token.position)
            }
            return try parsePredicate()
        case .end:
            throw diagnostics.error("expected a condition, found the end", at: token.position)
        default:
            throw diagnostics.error(
                "expected a field, found \(describe(token))",
                at: token.position,
                hint: "a predicate starts with a field, e.g. industry = \"Software\""
            )
        }
    }

    private mutating func parseFunction(_ name: String, token: ConditionToken) throws -> Condition {
        guard Self.functions.contains(name) else {
            throw diagnostics.error(
                "unknown function '\(token.text)'",
                at: token.position,
                suggesting: NameSuggestion.nearest(to: name, among: Self.functions)
            )
        }
        advance()  // name
        advance()  // (
        let argument = current
        guard case .string(let value) = argument.kind else {
            throw diagnostics.error(
                "\(name)() takes one quoted name, found \(describe(argument))",
                at: argument.position,
                hint: "write \(name)(\"name\")"
            )
        }
        advance()
        guard current.kind == .symbol(.close) else {
            throw diagnostics.error(
                "expected ')' after the \(name) name, found \(describe(current))",
                at: current.position
            )
        }
        advance()
        if name == "tag" {
            guard !value.isEmpty else {
                throw diagnostics.error("tag name is empty", at: argument.position)
            }
            return .tag(value)
        }
        if let knownSegments, !knownSegments.contains(value) {
            throw diagnostics.error(
                "unknown segment '\(value)'",
                at: argument.position,
                suggesting: NameSuggestion.nearest(to: value, among: knownSegments.sorted())
            )
        }
        return .segment(value)
    }

    // MARK: - Predicates

    private mutating func parsePredicate() throws -> Condition {
        let fieldToken = current
        let operand = try parseOperand()
        advance()
        let operatorToken = current
        switch operatorToken.kind {
        case .symbol(let symbol):
            guard let op = Condition.ComparisonOperator(rawValue: symbol.rawValue) else { break }
            advance()
            try check(operand, allows: "'\(op.rawValue)'", at: operatorToken)
            if operand == .field(.status), op != .equal, op != .notEqual {
                throw diagnostics.error(
                    "status compares only with =, !=, in and not in",
                    at: operatorToken.position
                )
            }
            return .comparison(operand, op, try parseValue(for: operand))
        case .word:
            switch operatorToken.keyword {
            case "in":
                advance()
                return try parseList(for: operand, negated: false, operatorToken: operatorToken)
            case "not":
                advance()
                guard take(keyword: "in") else {
                    throw diagnostics.error(
                        "expected 'in' after '\(fieldToken.text) not', found \(describe(current))",
                        at: current.position,
                        hint: "to negate a predicate, put 'not' before it: not \(fieldToken.text) …"
                    )
                }
                return try parseList(for: operand, negated: true, operatorToken: operatorToken)
            case "is":
                advance()
                let negated = take(keyword: "not")
                guard take(keyword: "null") else {
                    throw diagnostics.error(
                        "expected 'null' after 'is\(negated ? " not" : "")', found \(describe(current))",
                        at: current.position
                    )
                }
                return .isNull(operand, negated: negated)
            case "contains", "matches":
                let isContains = operatorToken.keyword == "contains"
                advance()
                let valueToken = current
                if operand == .field(.tags), isContains {
                    guard case .string(let tag) = valueToken.kind else {
                        throw diagnostics.error(
                            "tags contains takes a quoted tag, found \(describe(valueToken))",
                            at: valueToken.position
                        )
                    }
                    advance()
                    return .tag(tag)
                }
                try check(operand, allows: "'\(operatorToken.keyword!)'", at: operatorToken, textOnly: true)
                guard case .string(let text) = valueToken.kind else {
                    throw diagnostics.error(
                        "'\(operatorToken.keyword!)' takes a quoted text, found \(describe(valueToken))",
                        at: valueToken.position,
                        hint: "write \(fieldToken.text) \(operatorToken.keyword!) \"\(valueToken.text)\""
                    )
                }
                advance()
                return isContains ? .contains(operand, text) : .glob(operand, text)
            default: break
            }
        default: break
        }
        if operatorToken.keyword == "like" {
            throw diagnostics.error(
                "unknown operator 'like'",
                at: operatorToken.position,
                hint: "write matches \"pattern\" with * and ?"
            )
        }
        throw diagnostics.error(
            "expected an operator after '\(fieldToken.text)', found \(describe(operatorToken))",
            at: operatorToken.position,
            hint: "operators: = != < <= > >= in, not in, is null, is not null, contains, matches"
        )
    }

    /// Reads the current word as a field or `attr.NAME` (leaving it current).
    private func parseOperand() throws -> Condition.Operand {
        let token = current
        guard case .word(let word) = token.kind else {
            throw diagnostics.error("expected a field, found \(describe(token))", at: token.position)
        }
        let lowered = word.lowercased()
        if lowered.hasPrefix("attr.") {
            let name = String(lowered.dropFirst(5))
            guard !name.isEmpty, name.utf8.allSatisfy({ (48...57).contains($0) || (97...122).contains($0) || $0 == 95 })
            else {
                throw diagnostics.error(
                    "invalid attribute name '\(word)'",
                    at: token.position,
                    hint: "attribute names are attr. followed by letters, digits and '_'"
                )
            }
            return .attribute(name)
        }
        if let field = LeadField(rawValue: lowered) { return .field(field) }
        let candidates = LeadField.allCases.map(\.rawValue) + Self.functions
        throw diagnostics.error(
            "unknown field '\(word)'",
            at: token.position,
            hint: NameSuggestion.nearest(to: lowered, among: candidates).map { "did you mean '\($0)'?" }
                ?? "fields are the lead fields (industry, employees, …) and attr.NAME for imported columns"
        )
    }

    /// Refuses operators a field does not support (`tags` takes only `contains` and `is null`;
    /// `contains` and `matches` need text).
    private func check(
        _ operand: Condition.Operand,
        allows operatorName: String,
        at token: ConditionToken,
        textOnly: Bool = false
    ) throws {
        guard case .field(let field) = operand else { return }
        switch field.kind {
        case .tags:
            throw diagnostics.error(
                "tags supports only contains \"x\", is null and is not null",
                at: token.position,
                hint: "write tag(\"x\") or tags contains \"x\""
            )
        case .integer, .number, .time:
            if textOnly {
                throw diagnostics.error(
                    "\(operatorName) needs a text field; '\(field.rawValue)' is a \(field.kind.noun)",
                    at: token.position
                )
            }
        case .text:
            if textOnly, field == .status {
                throw diagnostics.error(
                    "status compares only with =, !=, in and not in",
                    at: token.position
                )
            }
        }
    }

    private mutating func parseList(
        for operand: Condition.Operand,
        negated: Bool,
        operatorToken: ConditionToken
    ) throws -> Condition {
        try check(operand, allows: negated ? "'not in'" : "'in'", at: operatorToken)
        guard current.kind == .symbol(.open) else {
            throw diagnostics.error(
                "expected '(' after '\(negated ? "not in" : "in")', found \(describe(current))",
                at: current.position,
                hint: "write a list: in (\"a\", \"b\")"
            )
        }
        advance()
        if current.kind == .symbol(.close) {
            throw diagnostics.error("empty list", at: current.position, hint: "give at least one value")
        }
        var values = [try parseValue(for: operand)]
        while current.kind == .symbol(.comma) {
            advance()
            values.append(try parseValue(for: operand))
        }
        guard current.kind == .symbol(.close) else {
            throw diagnostics.error(
                "expected ',' or ')' in the list, found \(describe(current))",
                at: current.position
            )
        }
        advance()
        return .oneOf(operand, values, negated: negated)
    }

    /// Reads one literal and types it for the operand, or explains what to write instead.
    private mutating func parseValue(for operand: Condition.Operand) throws -> Condition.Value {
        let token = current
        let name = operand.description
        let value: Condition.Value
        switch (token.kind, operand) {
        case (.string(let text), .attribute):
            value = .text(text)
        case (.integer(let n), .attribute):
            value = .integer(n)
        case (.decimal(let d), .attribute):
            value = .decimal(d)
        case (.string(let text), .field(let field)):
            switch field.kind {
            case .text:
                if field == .status {
                    guard LeadStatus(rawValue: Condition.foldedText(text)) != nil else {
                        let suggestion = NameSuggestion.nearest(to: text, among: LeadStatus.allCases.map(\.rawValue))
                        throw diagnostics.error(
                            "'\(text)' is not a status",
                            at: token.position,
                            hint: suggestion.map { "did you mean '\($0)'? " }.map { $0 + Self.statusHint } ?? Self.statusHint
                        )
                    }
                }
                value = .text(text)
            case .time:
                guard let seconds = ISOTime.seconds(fromISO: text) else {
                    throw diagnostics.error(
                        "'\(text)' is not an ISO date",
                        at: token.position,
                        hint: "write \(name) as \"2026-01-01\" or \"2026-01-01T10:00:00Z\""
                    )
                }
                value = .time(seconds)
            case .integer, .number:
                let unquoted = Double(text) != nil ? text : "200"
                throw diagnostics.error(
                    "'\(name)' is a number: write the value without quotes",
                    at: token.position,
                    hint: "e.g. \(name) >= \(unquoted)"
                )
            case .tags:
                throw diagnostics.error("tags supports only contains \"x\", is null and is not null", at: token.position)
            }
        case (.integer, .field(let field)), (.decimal, .field(let field)):
            switch field.kind {
            case .integer, .number:
                if case .integer(let n) = token.kind {
                    value = .integer(n)
                } else if case .decimal(let d) = token.kind {
                    value = .decimal(d)
                } else {
                    preconditionFailure()
                }
            case .text:
                throw diagnostics.error(
                    "'\(name)' is text: quote the value",
                    at: token.position,
                    hint: "write \(name) = \"\(token.text)\""
                )
            case .time:
                throw diagnostics.error(
                    "'\(name)' is a time: give an ISO date in quotes",
                    at: token.position,
                    hint: "e.g. \(name) < \"2026-01-01\" or \"2026-01-01T10:00:00Z\"; or use age_days, idle_days, held_days"
                )
            case .tags:
                throw diagnostics.error("tags supports only contains \"x\", is null and is not null", at: token.position)
            }
        case (.word, _) where token.keyword == "null":
            throw diagnostics.error(
                "null is not a value",
                at: token.position,
                hint: "write \(name) is null / \(name) is not null"
            )
        case (.word(let word), _):
            throw diagnostics.error(
                "expected a value, found '\(word)'",
                at: token.position,
                hint: "quote text values: \"\(word)\""
            )
        default:
            throw diagnostics.error("expected a value, found \(describe(token))", at: token.position)
        }
        advance()
        return value
    }

    private func describe(_ token: ConditionToken) -> String {
        switch token.kind {
        case .end: "the end"
        default: "'\(token.text)'"
        }
    }
}

extension ConditionToken.Kind {
    fileprivate var isValue: Bool {
        switch self {
        case .string, .integer, .decimal: true
        default: false
        }
    }
}

extension LeadField.Kind {
    fileprivate var noun: String {
        switch self {
        case .text: "text field"
        case .integer, .number: "number"
        case .time: "time"
        case .tags: "tag set"
        }
    }
}
