import Foundation

/// ISO-8601 reading and writing, UTC, whole seconds: the CLI's `--now`, `--from`, JSON times.
public enum Timestamp {
    /// Parses `2026-11-23`, `2026-11-23T09:00`, `2026-11-23T09:00:00Z`, `2026-11-23 09:00:00+01:00` and the like.
    /// A date alone is midnight UTC; a time without a zone is UTC; fractions of a second are dropped.
    public static func parse(_ text: String) -> Date? {
        ISOTime.seconds(fromISO: text.trimmingCharacters(in: .whitespaces)).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Whether `text` is a date without a time (`2026-11-23`).
    public static func isDateOnly(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespaces).utf8.count == 10
    }

    /// `2026-11-23T09:00:00Z`; a time past 9999-12-31T23:59:59Z prints as that (see ``ISOTime``).
    public static func string(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        // Clamped as a Double first: Int64(_:) traps on values it cannot hold.
        let bounded = min(max(seconds, Double(ISOTime.earliest)), Double(ISOTime.latest))
        return ISOTime.dateTime(bounded.isNaN ? 0 : Int64(bounded))
    }

    /// `2026-11-23`, the UTC day.
    public static func day(_ date: Date) -> String {
        String(string(date).prefix(10))
    }

    /// A span of time for people, rounded down to the unit shown: "2d 2h", "2d", "5h", "40m".
    public static func span(_ interval: TimeInterval) -> String {
        // Bounded first: Int(_:) traps on a span too long for it (a reclaim date ages away).
        let minutes = Int(min(max(0, interval / 60), 1e15))
        let (days, hours) = (minutes / 1_440, minutes % 1_440 / 60)
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        return hours > 0 ? "\(hours)h" : "\(minutes % 60)m"
    }
}
