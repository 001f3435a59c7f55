/// ISO-8601 dates and date-times in whole UTC seconds, by plain calendar arithmetic
/// (proleptic Gregorian, UTC): Foundation's calendars and date formatters load ICU, which
/// costs every short-lived CLI process milliseconds at start.
enum ISOTime {
    /// The first instant with a four-digit year, 0000-01-01T00:00:00Z.
    static let earliest: Int64 = -62_167_219_200
    /// The last instant with a four-digit year, 9999-12-31T23:59:59Z: ISO-8601 without the
    /// expanded (5+ digit, signed) years that few readers accept.
    static let latest: Int64 = 253_402_300_799

    /// Parses `2026-01-01`, `2026-01-01T10:00`, `2026-01-01T10:00:00`, with optional fractional
    /// seconds (dropped) and an optional `Z` or `±HH:MM` offset (none means UTC); a space may
    /// stand for the `T`. An instant outside ``earliest``...``latest`` (a zone offset can push
    /// one there) is refused, so whatever parses prints back as given.
    static func seconds(fromISO text: String) -> Int64? {
        guard let seconds = unbounded(fromISO: text), (earliest...latest).contains(seconds) else { return nil }
        return seconds
    }

    private static func unbounded(fromISO text: String) -> Int64? {
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
        let text = dateTime(seconds)
        return text.hasSuffix("T00:00:00Z") ? String(text.prefix(10)) : text
    }

    /// `2026-01-01T10:00:00Z`, always with the time. An instant past 9999 (a reclaim date
    /// thousands of years away) prints as ``latest``, one before year 0 as ``earliest``: a valid
    /// ISO-8601 time, in the same order.
    static func dateTime(_ unclamped: Int64) -> String {
        let seconds = min(max(unclamped, earliest), latest)
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let rest = seconds - days * 86_400
        let (y, m, d) = civil(fromDays: days)
        let date = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
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
