import Foundation

// MARK: - Case folding and text order

extension Condition {
    /// The text with ASCII letters lower-cased and every other character untouched.
    ///
    /// This is the case folding of the whole condition language, chosen because SQLite's built-in
    /// `lower()` does exactly this: in-memory and SQL evaluation then agree byte for byte.
    public static func foldedText(_ text: String) -> String {
        String(decoding: foldedBytes(text), as: UTF8.self)
    }

    static func foldedBytes(_ text: String) -> [UInt8] {
        text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
    }

    /// -1, 0 or 1 comparing the folded UTF-8 bytes, like SQLite's BINARY collation on `lower()`.
    static func compareFolded(_ left: String, _ right: String) -> Int {
        let a = foldedBytes(left), b = foldedBytes(right)
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Case-insensitive substring test on bytes, like `instr(lower(x), lower(y)) > 0`.
    static func containsFolded(_ haystack: String, _ needle: String) -> Bool {
        let h = foldedBytes(haystack), n = foldedBytes(needle)
        guard !n.isEmpty else { return true }
        guard n.count <= h.count else { return false }
        for start in 0...(h.count - n.count) where h[start] == n[0] {
            if h[start..<(start + n.count)].elementsEqual(n) { return true }
        }
        return false
    }

    /// Whole-string glob on Unicode scalars after folding: `*` any run, `?` one scalar.
    ///
    /// Iterative with single-star backtracking, so hostile patterns cost O(n·m), never recursion.
    static func globMatches(_ text: String, pattern: String) -> Bool {
        let s = Array(foldedText(text).unicodeScalars), p = Array(foldedText(pattern).unicodeScalars)
        var si = 0, pi = 0, starP = -1, starS = 0
        while si < s.count {
            if pi < p.count, p[pi] == "?" || (p[pi] != "*" && p[pi] == s[si]) {
                si += 1; pi += 1
            } else if pi < p.count, p[pi] == "*" {
                starP = pi; starS = si; pi += 1
            } else if starP >= 0 {
                starS += 1; si = starS; pi = starP + 1
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

// MARK: - Numbers

/// A number from a literal, a field or an attribute; integers stay exact.
enum ConditionNumber {
    case integer(Int64)
    case decimal(Double)

    /// -1, 0 or 1, exact across integer and decimal like SQLite's numeric comparison.
    static func compare(_ a: ConditionNumber, _ b: ConditionNumber) -> Int {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): x == y ? 0 : (x < y ? -1 : 1)
        case (.decimal(let x), .decimal(let y)): x == y ? 0 : (x < y ? -1 : 1)
        case (.integer(let x), .decimal(let y)): compare(x, y)
        case (.decimal(let x), .integer(let y)): -compare(y, x)
        }
    }

    private static func compare(_ a: Int64, _ b: Double) -> Int {
        if b >= 9_223_372_036_854_775_808.0 { return -1 }
        if b < -9_223_372_036_854_775_808.0 { return 1 }
        let whole = b.rounded(.towardZero)
        let bi = Int64(whole)
        if a != bi { return a < bi ? -1 : 1 }
        let fraction = b - whole
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }

    /// An attribute value read as a number: exactly `-?[0-9]+(\.[0-9]+)?`, nothing else (no
    /// spaces, `+`, exponent or thousands separator). Anything else is not a number and a
    /// numeric comparison against it is false.
    init?(attributeValue text: String) {
        let bytes = Array(text.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < bytes.count, (48...57).contains(bytes[i]) { i += 1 }
        guard i > intStart else { return nil }
        var isDecimal = false
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < bytes.count, (48...57).contains(bytes[i]) { i += 1 }
            guard i > fracStart else { return nil }
            isDecimal = true
        }
        guard i == bytes.count else { return nil }
        if !isDecimal, let value = Int64(text) {
            self = .integer(value)
        } else if let value = Double(text) {
            self = .decimal(value)
        } else {
            return nil
        }
    }
}

// MARK: - Time

/// ISO-8601 dates and date-times in whole UTC seconds, without Foundation's calendars.
enum ConditionTime {
    /// Parses `2026-01-01`, `2026-01-01T10:00`, `2026-01-01T10:00:00`, with optional fractional
    /// seconds (dropped) and an optional `Z` or `±HH:MM` offset (none means UTC); a space may
    /// stand for the `T`.
    static func seconds(fromISO text: String) -> Int64? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        if scanner.atEnd { return seconds }
        guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), hour < 24, minute < 60
        else { return nil }
        var second: Int64 = 0
        if scanner.skip(":") {
            guard let s = scanner.number(digits: 2), s < 60 else { return nil }
            second = s
            if scanner.skip(".") || scanner.skip(",") {
                guard scanner.skipDigits() else { return nil }
            }
        }
        seconds += hour * 3600 + minute * 60 + second
        if scanner.atEnd || ((scanner.skip("Z") || scanner.skip("z")) && scanner.atEnd) { return seconds }
        let sign: Int64
        if scanner.skip("+") { sign = 1 } else if scanner.skip("-") { sign = -1 } else { return nil }
        guard let offsetHours = scanner.number(digits: 2) else { return nil }
        _ = scanner.skip(":")
        guard let offsetMinutes = scanner.number(digits: 2), scanner.atEnd, offsetHours < 24, offsetMinutes < 60
        else { return nil }
        return seconds - sign * (offsetHours * 3600 + offsetMinutes * 60)
    }

    /// `2026-01-01` at midnight UTC, else `2026-01-01T10:00:00Z`.
    static func iso(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        let date = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
        if rest == 0 { return date }
        return date + "T" + pad(rest / 3600, 2) + ":" + pad(rest / 60 % 60, 2) + ":" + pad(rest % 60, 2) + "Z"
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private struct DigitScanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ c: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: c) else { return false }
            index += 1
            return true
        }

        mutating func number(digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for b in bytes[index..<(index + digits)] {
                guard (48...57).contains(b) else { return nil }
                value = value * 10 + Int64(b - 48)
            }
            index += digits
            return value
        }

        mutating func skipDigits() -> Bool {
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            return index > start
        }
    }
}
