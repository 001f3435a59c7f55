/// How intake reads and normalizes one value: the rules `import` applies to each cell
/// (and `lead add --field` can share). Pure functions over strings.
public enum IntakeValue {
    /// Why a value was refused, phrased to follow the column name.
    public struct Invalid: Error, Sendable, Equatable {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
    }

    // MARK: - Text

    /// The value without surrounding white space (including no-break spaces); nil when empty.
    @inline(__always)
    public static func trimmed(_ value: String) -> String? {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return nil }
        // Most cells have nothing to trim: skip the Character walk for them.
        if first > 0x20 && first < 0x80 && last > 0x20 && last < 0x80 { return value }
        let trimmed = value.trimmingSpaces
        return trimmed.isEmpty ? nil : trimmed
    }

    // MARK: - Numbers

    /// A head count: digits, optionally grouped by thousands (`1,200`, `1.200`, `1 200`), or a
    /// whole number written with a zero fraction (`1200.0`). Refuses fractions, words, ranges
    /// and negative numbers.
    public static func employees(_ text: String) -> Result<Int64, Invalid> {
        var bytes = Array(text.utf8)
        if bytes.first == UInt8(ascii: "-") {
            return .failure(Invalid("\"\(text)\" is negative; employees must be a whole number of at least 0"))
        }
        bytes.removeAll { $0 == 0x20 }
        if let grouped = ungrouped(bytes, separators: [UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "'")]) {
            bytes = grouped
        } else if let dot = bytes.firstIndex(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") }),
            dot > 0, dot + 1 < bytes.count, bytes[(dot + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") })
        {
            bytes.removeSubrange(dot...)
        }
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit), let value = Int64(String(decoding: bytes, as: UTF8.self)) else {
            // `5K`, `1.5k`: a head count written as an amount.
            if let last = text.last, "kKmM".contains(last), case .success(let amount) = revenue(text),
                amount == amount.rounded(), amount < 1e15
            {
                return .success(Int64(amount))
            }
            return .failure(Invalid("\"\(text)\" is not a whole number of employees"))
        }
        return .success(value)
    }

    /// A range's lower bound: `51-200`, `51 – 200`, `51 to 200`, `10001+`, `$10M - $50M` give
    /// `51`, `51`, `51`, `10001`, `$10M` (each still to be read as a number); nil when `text` is
    /// not a range. Both bounds must read as numbers by `parse`.
    public static func rangeLowerBound<T>(_ text: String, _ parse: (String) -> Result<T, Invalid>) -> T? {
        var text = Substring(text)
        if text.last == "+" {
            text = text.dropLast()
            guard let lower = trimmed(String(text)), case .success(let value) = parse(lower) else { return nil }
            return value
        }
        for separator in [" to ", " bis ", " à ", " a ", "–", "—", "~", "～", "-"] {
            // Not the sign of a negative number: something comes before the separator.
            guard let range = text.range(of: separator), range.lowerBound > text.startIndex,
                let lower = trimmed(String(text[..<range.lowerBound])), let upper = trimmed(String(text[range.upperBound...])),
                case .success(let value) = parse(lower), case .success = parse(upper)
            else { continue }
            return value
        }
        return nil
    }

    /// An amount: `1200000`, `1,200,000.50`, `1.200.000,50`, `$1.2M`, `€ 850k`, `3.5 bn`,
    /// `1.2E6`. A currency sign or code (`$ € £ ¥`, `USD EUR GBP CHF`) is dropped; `k`, `m`/`mm`/`mn`/`mio`
    /// and `b`/`bn`/`mrd` multiply. With both `,` and `.` the later one is the decimal mark; a lone
    /// `,` or `.` followed by exactly three digits groups thousands when repeated, and a single
    /// `,` before three digits groups too (`1,200` is 1200); otherwise it is the decimal mark.
    /// Refuses negative amounts and anything else.
    public static func revenue(_ text: String) -> Result<Double, Invalid> {
        if let first = text.utf8.first, isDigit(first), text.utf8.allSatisfy({ isDigit($0) || $0 == UInt8(ascii: ".") }),
            text.utf8.count(where: { $0 == UInt8(ascii: ".") }) <= 1, let value = Double(text)
        {
            return .success(value)  // the usual plain `1200000` or `1200000.50`
        }
        let invalid = Invalid("\"\(text)\" is not an amount (e.g. 1200000, 1,200,000.50 or $1.2M)")
        var s = Substring(text.lowercased())
        func dropSpaces() {
            s = s.drop { $0.isWhitespace }
            while s.last?.isWhitespace == true { s.removeLast() }
        }
        dropSpaces()
        if s.first == "-" || s.hasSuffix("-") || (s.first == "(" && s.last == ")") {
            return .failure(Invalid("\"\(text)\" is negative; revenue must be at least 0"))
        }
        for sign in currencySigns {
            if s.hasPrefix(sign) {
                s = s.dropFirst(sign.count)
                dropSpaces()
            }
            if s.hasSuffix(sign) {
                s = s.dropLast(sign.count)
                dropSpaces()
            }
        }
        if s.first == "-" { return .failure(Invalid("\"\(text)\" is negative; revenue must be at least 0")) }
        var factor = 1.0
        if s.last == "." { s = s.dropLast() }  // `Mio.`, `Mrd.`
        for (suffix, value) in multipliers where s.hasSuffix(suffix) {
            s = s.dropLast(suffix.count)
            dropSpaces()
            factor = value
            break
        }
        var bytes = Array(s.utf8).filter { $0 != 0x20 && $0 != UInt8(ascii: "'") }
        guard let first = bytes.first, isDigit(first) || first == UInt8(ascii: ".") else { return .failure(invalid) }
        let comma = UInt8(ascii: ",")
        let dot = UInt8(ascii: ".")
        if bytes.contains(UInt8(ascii: "e")) {
            // Excel's scientific notation: digits only around the mark.
            guard factor == 1, !bytes.contains(comma), let value = Double(String(decoding: bytes, as: UTF8.self)) else {
                return .failure(invalid)
            }
            return value.isFinite && value >= 0 ? .success(value) : .failure(invalid)
        }
        let lastComma = bytes.lastIndex(of: comma)
        let lastDot = bytes.lastIndex(of: dot)
        var decimalMark: UInt8? = nil
        switch (lastComma, lastDot) {
        case (let c?, let d?): decimalMark = c > d ? comma : dot
        case (let c?, nil):
            let count = bytes.count(where: { $0 == comma })
            if count == 1 && !(bytes.count - c - 1 == 3 && c <= 3) { decimalMark = comma }
        case (nil, _?):
            if bytes.count(where: { $0 == dot }) == 1 { decimalMark = dot }
        case (nil, nil): break
        }
        var integer = bytes[...]
        var fraction: ArraySlice<UInt8> = []
        if let mark = decimalMark, let at = bytes.lastIndex(of: mark) {
            integer = bytes[..<at]
            fraction = bytes[(at + 1)...]
        }
        let group = decimalMark == comma ? dot : comma
        let otherMark = decimalMark == nil ? nil : group
        if integer.contains(where: { !isDigit($0) }) {
            // Grouped thousands: the first group 1–3 digits, the rest exactly 3.
            let separators = otherMark.map { [$0] } ?? [comma, dot]
            guard let plain = ungrouped(Array(integer), separators: separators) else { return .failure(invalid) }
            integer = plain[...]
        }
        guard fraction.allSatisfy(isDigit), !(integer.isEmpty && fraction.isEmpty) else { return .failure(invalid) }
        bytes = Array(integer.isEmpty ? [UInt8(ascii: "0")] : integer)
        if !fraction.isEmpty {
            bytes.append(dot)
            bytes.append(contentsOf: fraction)
        }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else { return .failure(invalid) }
        let amount = factor == 1 ? value : (value * factor * 100).rounded() / 100
        return .success(amount)
    }

    /// Currency signs and codes an amount may carry (longer first: `us$` before `$`).
    static let currencySigns = [
        "usd", "eur", "gbp", "chf", "jpy", "cny", "rmb", "inr", "brl", "aud", "cad", "sek", "nok", "dkk", "pln",
        "us$", "r$", "a$", "c$", "au$", "ca$", "hk$", "s$", "zł", "kr", "$", "€", "£", "¥", "₹", "₩", "元",
    ]

    /// Words and letters that multiply an amount (longer first: `million` before `m`).
    static let multipliers: [(String, Double)] = [
        ("milliarden", 1e9), ("billions", 1e9), ("billion", 1e9), ("millionen", 1e6), ("millions", 1e6),
        ("million", 1e6), ("thousand", 1e3), ("tausend", 1e3), ("mill", 1e6), ("mrd", 1e9), ("bln", 1e9),
        ("tsd", 1e3), ("bn", 1e9), ("mio", 1e6), ("mm", 1e6), ("mn", 1e6), ("b", 1e9), ("m", 1e6), ("k", 1e3),
        ("亿", 1e8), ("万", 1e4),
    ]

    /// `bytes` without thousands separators when they group correctly (one separator kind,
    /// first group 1–3 digits, later groups 3), else nil. Plain digits are returned as they are.
    static func ungrouped(_ bytes: [UInt8], separators: [UInt8]) -> [UInt8]? {
        guard let separator = bytes.first(where: { !isDigit($0) }) else { return bytes.isEmpty ? nil : bytes }
        guard separators.contains(separator) else { return nil }
        let groups = bytes.split(separator: separator, omittingEmptySubsequences: false)
        guard groups.count >= 2, let head = groups.first, (1...3).contains(head.count),
            groups.allSatisfy({ $0.allSatisfy(isDigit) }),
            groups.dropFirst().allSatisfy({ $0.count == 3 })
        else { return nil }
        return bytes.filter(isDigit)
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    // MARK: - Email

    /// Whether `email` looks like an address: one `@`, something before it, a dot inside the
    /// domain (not at its ends, no empty label), no white space, control characters or `,;<>()[]"\`.
    public static func isEmail(_ email: String) -> Bool {
        var at = -1
        var index = 0
        var lastDot = -1
        var previous: UInt8 = 0
        for b in email.utf8 {
            switch b {
            case UInt8(ascii: "@"):
                if at >= 0 { return false }
                at = index
            case UInt8(ascii: "."):
                if at >= 0 {
                    if previous == UInt8(ascii: ".") || previous == UInt8(ascii: "@") { return false }
                    lastDot = index
                }
            case 0...0x20, 0x7F, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\""),
                UInt8(ascii: "\\"):
                return false
            default: break
            }
            if b == 0xC2 || b == 0xE2 || b == 0xE3 {
                // No-break, ideographic and other Unicode spaces (U+00A0, U+2000–U+205F, U+3000).
                if email.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return false }
            }
            previous = b
            index += 1
        }
        return at > 0 && lastDot > at + 1 && lastDot < index - 1
    }

    /// The dedup key for an email: trimmed and lower-cased.
    public static func normalizedEmail(_ email: String) -> String {
        (trimmed(email) ?? "").lowercased()
    }

    // MARK: - Domain

    /// The host of a website: lower-cased, without scheme, `www.`, user, port, path, query or
    /// trailing dot. Nil when what is left does not look like a domain name (`n/a`, `localhost`).
    ///
    /// `https://www.Example.com:8080/about` → `example.com`; `example.co.uk/` → `example.co.uk`.
    public static func domain(fromWebsite website: String) -> String? {
        var bytes = Array(website.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return unicodeDomain(fromWebsite: website) }
        // ASCII (nearly every website): work on bytes, one String at the end.
        for k in bytes.indices where bytes[k] >= 0x41 && bytes[k] <= 0x5A { bytes[k] |= 0x20 }
        var start = 0
        var end = bytes.count
        while start < end && bytes[start] <= 0x20 { start += 1 }
        while end > start && bytes[end - 1] <= 0x20 { end -= 1 }
        var k = start
        while k + 2 < end {
            if bytes[k] == UInt8(ascii: ":") && bytes[k + 1] == UInt8(ascii: "/") && bytes[k + 2] == UInt8(ascii: "/") {
                start = k + 3
                break
            }
            if bytes[k] == UInt8(ascii: "/") || bytes[k] == UInt8(ascii: ".") { break }
            k += 1
        }
        if start + 1 < end && bytes[start] == UInt8(ascii: "/") && bytes[start + 1] == UInt8(ascii: "/") { start += 2 }
        if let cut = bytes[start..<end].firstIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            end = cut
        }
        if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")) { start = at + 1 }
        if let colon = bytes[start..<end].firstIndex(of: UInt8(ascii: ":")) { end = colon }
        while end > start && bytes[end - 1] == UInt8(ascii: ".") { end -= 1 }
        if end - start > 4 && bytes[start..<start + 4].elementsEqual("www.".utf8) { start += 4 }
        let host = bytes[start..<end]
        guard isASCIIDomainName(host) else { return nil }
        return String(decoding: host, as: UTF8.self)
    }

    private static func unicodeDomain(fromWebsite website: String) -> String? {
        var host = Substring(website.lowercased())
        host = host.drop { $0.isWhitespace }
        if let scheme = host.range(of: "://") { host = host[scheme.upperBound...] } else if host.hasPrefix("//") { host = host.dropFirst(2) }
        if let end = host.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { host = host[..<end] }
        if let at = host.lastIndex(of: "@") { host = host[host.index(after: at)...] }
        if let colon = host.firstIndex(of: ":") { host = host[..<colon] }
        while host.last == "." || host.last?.isWhitespace == true { host = host.dropLast() }
        if host.hasPrefix("www.") { host = host.dropFirst(4) }
        return isDomainName(host) ? String(host) : nil
    }

    /// Lower-case ASCII labels of letters, digits and hyphens, at least two.
    static func isASCIIDomainName(_ host: ArraySlice<UInt8>) -> Bool {
        var labels = 1
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for b in host {
            if b == UInt8(ascii: ".") {
                if labelLength == 0 || previous == UInt8(ascii: "-") { return false }
                labels += 1
                labelLength = 0
            } else if (b >= 0x61 && b <= 0x7A) || isDigit(b) || (b == UInt8(ascii: "-") && labelLength > 0) {
                labelLength += 1
            } else {
                return false
            }
            previous = b
        }
        return labels >= 2 && labelLength > 0 && previous != UInt8(ascii: "-")
    }

    /// The domain of a company address; nil for free-mail providers (``FreeMail``) and non-addresses.
    public static func domain(fromEmail email: String) -> String? {
        guard let at = email.utf8.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let tail = email.utf8[email.utf8.index(after: at)...]
        if tail.allSatisfy({ $0 < 0x80 }) {
            var bytes = ArraySlice(tail.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
            while bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
            guard isASCIIDomainName(bytes) else { return nil }
            let domain = String(decoding: bytes, as: UTF8.self)
            return FreeMail.isFreeMail(domain: domain) ? nil : domain
        }
        var domain = Substring(email[email.utf8.index(after: at)...].lowercased())
        while domain.last == "." { domain = domain.dropLast() }
        guard isDomainName(domain), !FreeMail.isFreeMail(domain: String(domain)) else { return nil }
        return String(domain)
    }

    /// Labels of letters, digits and hyphens (any script, for IDNs), at least two of them.
    static func isDomainName(_ host: Substring) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        }
    }

    // MARK: - Names

    /// A person's whole name into `draft`: the first word is the first name, the rest the last
    /// name; a single word (or a name in a script written without spaces, `张伟`) is the last name.
    public static func splitName(_ name: String, into draft: inout LeadDraft) {
        guard let space = name.firstIndex(where: { $0 == " " || $0 == "\u{3000}" }) else {
            draft.lastName = name
            return
        }
        draft.firstName = String(name[..<space])
        draft.lastName = trimmed(String(name[name.index(after: space)...]))
    }

    // MARK: - Tags

    /// Tags from a cell: split on `;` or `,`, trimmed, empty ones dropped, duplicates (ignoring
    /// case, as the database compares tags) dropped keeping the first spelling.
    public static func tags(_ text: String) -> [String] {
        var seen: Set<String> = []
        var tags: [String] = []
        for part in text.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            guard let tag = trimmed(String(part)) else { continue }
            if seen.insert(tag.lowercased()).inserted { tags.append(tag) }
        }
        return tags
    }
}

extension String {
    /// Without leading and trailing white space (Unicode's definition, so no-break spaces too).
    var trimmingSpaces: String {
        guard let start = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let end = lastIndex(where: { !$0.isWhitespace })!
        return String(self[start...end])
    }
}
