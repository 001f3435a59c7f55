/// A position inside a condition's text: 0-based line and column (in characters).
struct SourcePosition: Equatable {
    var line: Int
    var column: Int
}

/// One lexical unit of the condition language.
struct ConditionToken: Equatable {
    enum Kind: Equatable {
        /// A field, function or keyword name: `industry`, `attr.plan`, `and`, `tag`.
        case word(String)
        case string(String)
        case integer(Int64)
        case decimal(Double)
        case symbol(Symbol)
        case end
    }

    enum Symbol: String {
        case open = "("
        case close = ")"
        case comma = ","
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    var kind: Kind
    var position: SourcePosition
    /// The token as written, for messages.
    var text: String

    /// The lower-cased word when this is a word token.
    var keyword: String? {
        if case .word(let w) = kind { return w.lowercased() }
        return nil
    }
}

/// Splits condition text into tokens, reporting the first lexical error with its position.
struct ConditionLexer {
    private let characters: [Character]
    private let diagnostics: ConditionDiagnostics
    private var index = 0
    private var line = 0
    private var column = 0

    init(_ text: String, diagnostics: ConditionDiagnostics) {
        self.characters = Array(text)
        self.diagnostics = diagnostics
    }

    mutating func tokens() throws -> [ConditionToken] {
        var result: [ConditionToken] = []
        while true {
            skipSpace()
            let start = SourcePosition(line: line, column: column)
            guard let c = peek() else {
                result.append(ConditionToken(kind: .end, position: start, text: "end of condition"))
                return result
            }
            let startIndex = index
            let kind: ConditionToken.Kind
            if c.isASCII, c.isLetter || c == "_" {
                while let n = peek(), n.isASCII, n.isLetter || n.isNumber || n == "_" || n == "." { advance() }
                kind = .word(String(characters[startIndex..<index]))
            } else if c.isASCII, c.isNumber || (c == "-" && peek(1).map { $0.isASCII && $0.isNumber } == true) {
                kind = try number(start: start)
            } else if c == "\"" || c == "'" {
                kind = .string(try string(quote: c, start: start))
            } else {
                kind = .symbol(try symbol(c, start: start))
            }
            result.append(ConditionToken(kind: kind, position: start, text: String(characters[startIndex..<index])))
        }
    }

    // MARK: - Pieces

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        if characters[index].isNewline {
            line += 1
            column = 0
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func skipSpace() {
        while let c = peek(), c.isWhitespace { advance() }
    }

    private mutating func digits() -> Bool {
        let start = index
        while let c = peek(), c.isASCII, c.isNumber { advance() }
        return index > start
    }

    private mutating func number(start: SourcePosition) throws -> ConditionToken.Kind {
        let startIndex = index
        if peek() == "-" { advance() }
        _ = digits()
        var isDecimal = false
        if peek() == ".", peek(1).map({ $0.isASCII && $0.isNumber }) == true {
            advance()
            _ = digits()
            isDecimal = true
        }
        if let e = peek(), e == "e" || e == "E" {
            let mark = (index, line, column)
            advance()
            if let sign = peek(), sign == "+" || sign == "-" { advance() }
            if digits() {
                isDecimal = true
            } else {
                (index, line, column) = mark
            }
        }
        let text = String(characters[startIndex..<index])
        if !isDecimal, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text), value.isFinite else {
            throw diagnostics.error("number \(text) is too large", at: start)
        }
        return .decimal(value)
    }

    private mutating func string(quote: Character, start: SourcePosition) throws -> String {
        advance()
        var value = ""
        while true {
            guard let c = peek(), !c.isNewline else {
                throw diagnostics.error(
                    "unterminated string",
                    at: start,
                    hint: "close it with \(quote) on the same line; write \\\(quote) for a quote inside"
                )
            }
            if c == quote {
                advance()
                // SQLite refuses LIKE patterns over 50,000 bytes, and no field holds text this long.
                guard value.utf8.count <= Condition.maximumTextLength else {
                    throw diagnostics.error(
                        "text value is longer than \(Condition.maximumTextLength) bytes",
                        at: start,
                        hint: "compare with a shorter text, e.g. contains \"…\" on a distinctive part"
                    )
                }
                return value
            }
            if c == "\\" {
                let escapePosition = SourcePosition(line: line, column: column)
                advance()
                guard let escaped = peek(), escaped == "\"" || escaped == "'" || escaped == "\\" else {
                    throw diagnostics.error(
                        "unknown escape in string",
                        at: escapePosition,
                        hint: "only \\\", \\' and \\\\ are escapes; write \\\\ for a backslash"
                    )
                }
                value.append(escaped)
                advance()
                continue
            }
            value.append(c)
            advance()
        }
    }

    private mutating func symbol(_ c: Character, start: SourcePosition) throws -> ConditionToken.Symbol {
        advance()
        switch c {
        case "(": return .open
        case ")": return .close
        case ",": return .comma
        case "=":
            if peek() == "=" {
                throw diagnostics.error("unexpected '=='", at: start, hint: "write '=' to compare")
            }
            return .equal
        case "!":
            if peek() == "=" {
                advance()
                return .notEqual
            }
        case "<":
            if peek() == "=" {
                advance()
                return .lessOrEqual
            }
            if peek() == ">" {
                throw diagnostics.error("unexpected '<>'", at: start, hint: "write '!=' for not equal")
            }
            return .less
        case ">":
            if peek() == "=" {
                advance()
                return .greaterOrEqual
            }
            return .greater
        case "&", "|":
            throw diagnostics.error(
                "unexpected '\(c)'",
                at: start,
                hint: "write 'and' / 'or'"
            )
        default: break
        }
        throw diagnostics.error("unexpected character '\(c)'", at: start)
    }
}
