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
        let a = foldedBytes(left)
        let b = foldedBytes(right)
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Case-insensitive substring test on bytes, like `instr(lower(x), lower(y)) > 0`.
    static func containsFolded(_ haystack: String, _ needle: String) -> Bool {
        let h = foldedBytes(haystack)
        let n = foldedBytes(needle)
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
        let s = Array(foldedText(text).unicodeScalars)
        let p = Array(foldedText(pattern).unicodeScalars)
        var si = 0
        var pi = 0
        var starP = -1
        var starS = 0
        while si < s.count {
            if pi < p.count, p[pi] == "?" || (p[pi] != "*" && p[pi] == s[si]) {
                si += 1
                pi += 1
            } else if pi < p.count, p[pi] == "*" {
                starP = pi
                starS = si
                pi += 1
            } else if starP >= 0 {
                starS += 1
                si = starS
                pi = starP + 1
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
