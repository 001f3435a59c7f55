import Foundation

/// ISO-8601 reading and writing, UTC, whole seconds.
public enum Timestamp {
    /// Parses `2026-11-23`, `2026-11-23T09:00`, `2026-11-23T09:00:00Z`, `2026-11-23 09:00:00+01:00` and the like.
    /// A date alone is midnight UTC; a time without a zone is UTC.
    public static func parse(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10)
        else { return nil }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var offset = 0
        var index = 10
        if bytes.count > 10 {
            guard bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32,  // T, t or space
                let hour = number(11..<13), bytes.count > 13, bytes[13] == 58, let minute = number(14..<16)
            else { return nil }
            components.hour = hour
            components.minute = minute
            index = 16
            if bytes.count > 16, bytes[16] == 58 {
                guard let second = number(17..<19) else { return nil }
                components.second = second
                index = 19
                if bytes.count > 19, bytes[19] == 46 {  // fractional seconds: ignored
                    index = 20
                    while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
                }
            }
            if index < bytes.count {
                let zone = bytes[index]
                if zone == 90 || zone == 122 {  // Z
                    index += 1
                } else if zone == 43 || zone == 45 {  // + or -
                    guard let hours = number(index + 1..<index + 3) else { return nil }
                    var minutes = 0
                    var end = index + 3
                    if end < bytes.count, bytes[end] == 58 { end += 1 }
                    if end < bytes.count {
                        guard let m = number(end..<end + 2) else { return nil }
                        minutes = m
                        end += 2
                    }
                    offset = (zone == 43 ? 1 : -1) * (hours * 3600 + minutes * 60)
                    index = end
                }
            }
        }
        guard index == bytes.count, (1...12).contains(month), (1...31).contains(day),
            (0...23).contains(components.hour!), (0...59).contains(components.minute!), (0...60).contains(components.second!)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }

    /// Whether `text` is a date without a time (`2026-11-23`).
    public static func isDateOnly(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespaces).utf8.count == 10
    }

    /// `2026-11-23T09:00:00Z`.
    public static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `2026-11-23`, the UTC day.
    public static func day(_ date: Date) -> String {
        String(string(date).prefix(10))
    }
}
