import Foundation

/// A calendar date without a time or zone, as people write it: `2026-12-20`.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `2026-12-20` (and only that: no time, no zone); nil for anything else or a day
    /// the calendar does not have.
    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.utf8.count == 10, let seconds = ISOTime.seconds(fromISO: text) else { return nil }
        let (y, m, d) = ISOTime.civil(fromDays: seconds / 86_400)
        self.init(year: Int(y), month: Int(m), day: Int(d))
    }

    /// The day after (or `days` after; negative goes back).
    public func adding(days: Int) -> LocalDate {
        let (y, m, d) = ISOTime.civil(fromDays: daysSinceEpoch + Int64(days))
        return LocalDate(year: Int(y), month: Int(m), day: Int(d))
    }

    /// Days since 1970-01-01 (the proleptic Gregorian calendar's count).
    var daysSinceEpoch: Int64 { ISOTime.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day)) }

    /// Monday … Sunday.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (index 3 counting Monday as 0).
        let index = ((daysSinceEpoch + 3) % 7 + 7) % 7
        return Weekday.allCases[Int(index)]
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// `2026-12-20`.
    public var description: String {
        String(ISOTime.dateTime(daysSinceEpoch * 86_400).prefix(10))
    }
}

/// The days of the week, Monday first (ISO 8601), spelled as the rules file writes them.
public enum Weekday: String, Sendable, CaseIterable, Codable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    /// Monday = 0 … Sunday = 6.
    public var index: Int { Weekday.allCases.firstIndex(of: self)! }

    public static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }
}

/// A time zone by its IANA name, and the local days, dates and times it gives: daily limits
/// count from a rep's local midnight, away dates are the rep's local dates, people read times
/// in their own zone.
///
/// UTC is worked out by plain arithmetic (as ``Timestamp`` does, without loading ICU); other
/// zones use Foundation's Gregorian calendar in that zone, so daylight-saving days last 23 or
/// 25 hours and midnight is whatever instant the zone's clocks read 00:00 (or the first
/// instant of the day where midnight is skipped).
public struct TeamClock: Sendable, CustomStringConvertible {
    /// The name as written and stored: `Asia/Shanghai`, `UTC`.
    public let name: String
    public let timeZone: TimeZone
    private let calendar: Calendar?

    /// Coordinated Universal Time, the default.
    public static let utc = TeamClock(name: "UTC", zone: TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0)!, utc: true)

    private init(name: String, zone: TimeZone, utc: Bool) {
        self.name = name
        self.timeZone = zone
        if utc {
            self.calendar = nil
        } else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            calendar.locale = Locale(identifier: "en_US_POSIX")
            self.calendar = calendar
        }
    }

    /// The clock of an IANA zone name (`Asia/Shanghai`, `America/New_York`, `UTC`); nil for
    /// anything else, abbreviations (`EST`, `CET`) and offsets (`GMT+8`, `+08:00`) included:
    /// they do not follow a place's daylight-saving rules.
    public init?(named name: String) {
        guard TeamClock.check(name) == nil else { return nil }
        if TeamClock.utcNames.contains(name) {
            self.init(name: name, zone: TeamClock.utc.timeZone, utc: true)
            return
        }
        guard let zone = TimeZone(identifier: name) else { return nil }
        self.init(name: name, zone: zone, utc: false)
    }

    /// The clock of a zone Foundation already made, named by its identifier (`GMT` is UTC).
    public init(zone: TimeZone) {
        let utc = (zone.identifier == "GMT" || zone.identifier == "UTC")
        self.init(name: utc ? "UTC" : zone.identifier, zone: zone, utc: utc)
    }

    /// The names that mean UTC itself.
    static let utcNames: Set<String> = ["UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu", "UCT"]

    /// Why `name` is no IANA time zone name (with a hint), or nil when it is one.
    public static func check(_ name: String) -> (message: String, hint: String)? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        let hint = "write an IANA name like Asia/Shanghai, Europe/Berlin, America/New_York or UTC"
        if trimmed.isEmpty { return ("the time zone is empty", hint) }
        if utcNames.contains(trimmed), trimmed == name { return nil }
        let shaped =
            trimmed == name && name.contains("/") && name.utf8.count <= 64
            && name.utf8.allSatisfy { b in
                (65...90).contains(b) || (97...122).contains(b) || (48...57).contains(b) || b == 47 || b == 95 || b == 45 || b == 43
            }
        if shaped, !name.hasPrefix("/"), !name.hasSuffix("/"), !name.contains("//"), TimeZone(identifier: name) != nil {
            return nil
        }
        let suggestion = NameSuggestion.nearest(to: trimmed, among: TimeZone.knownTimeZoneIdentifiers + ["UTC"])
        return ("unknown time zone '\(name)'", suggestion.map { "did you mean '\($0)'?" } ?? hint)
    }

    /// The clock named `name`.
    ///
    /// - Throws: a usage error (exit 64) naming `option` and suggesting the nearest zone name.
    public static func named(_ name: String, option: String) throws(LeadPoolError) -> TeamClock {
        if let clock = TeamClock(named: name) { return clock }
        let problem = check(name) ?? ("unknown time zone '\(name)'", "")
        throw LeadPoolError.usage("\(option): \(problem.message)", hint: problem.hint)
    }

    public var isUTC: Bool { calendar == nil }

    public var description: String { name }

    // MARK: - Days

    /// The local day that contains `instant`: from its local midnight to the next one (23 or 25
    /// hours on a daylight-saving switch day).
    public func day(containing instant: Date) -> Range<Date> {
        let date = localDate(of: instant)
        return start(of: date)..<start(of: date.adding(days: 1))
    }

    /// The local date at `instant`.
    public func localDate(of instant: Date) -> LocalDate {
        guard let calendar else {
            let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
            let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
            let (y, m, d) = ISOTime.civil(fromDays: days)
            return LocalDate(year: Int(y), month: Int(m), day: Int(d))
        }
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The first instant of `date` here: its local midnight (or, where the clocks skip
    /// midnight, the first instant the day has).
    public func start(of date: LocalDate) -> Date {
        let utcMidnight = Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch * 86_400))
        guard let calendar else { return utcMidnight }
        // Noon exists on every day of every zone; the start of its day is the local midnight.
        let noon =
            calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))
            ?? utcMidnight
        return calendar.startOfDay(for: noon)
    }

    /// Whether `instant` is the first instant of its local day.
    public func isStartOfDay(_ instant: Date) -> Bool {
        start(of: localDate(of: instant)) == instant
    }

    /// The local wall-clock reading at `instant`: date, weekday and minutes since local midnight
    /// as the clock on the wall shows them (0–1439).
    public func wallClock(at instant: Date) -> (date: LocalDate, weekday: Weekday, minute: Int) {
        guard let calendar else {
            let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
            let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
            let date = localDate(of: instant)
            return (date, date.weekday, Int((seconds - days * 86_400) / 60))
        }
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let date = LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        return (date, date.weekday, (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// The instant the wall clock here reads `minute` minutes past midnight on `date`; in a
    /// daylight-saving gap, the instant just after it, in an overlap the earlier one.
    public func instant(_ date: LocalDate, minute: Int) -> Date {
        let utc = TimeInterval(date.daysSinceEpoch * 86_400 + Int64(minute) * 60)
        guard let calendar else { return Date(timeIntervalSince1970: utc) }
        let parts = DateComponents(year: date.year, month: date.month, day: date.day, hour: minute / 60, minute: minute % 60)
        return calendar.nextDate(
            after: start(of: date).addingTimeInterval(-1),
            matching: parts,
            matchingPolicy: .nextTime,
            repeatedTimePolicy: .first,
            direction: .forward
        ) ?? Date(timeIntervalSince1970: utc)
    }

    // MARK: - Text

    /// The zone's offset from UTC at `instant`: `+08:00`, `-05:00`, `+00:00`.
    public func offset(at instant: Date) -> String {
        let seconds = isUTC ? 0 : timeZone.secondsFromGMT(for: instant)
        let minutes = abs(seconds) / 60
        let pad = { (n: Int) in n < 10 ? "0\(n)" : String(n) }
        return (seconds < 0 ? "-" : "+") + pad(minutes / 60) + ":" + pad(minutes % 60)
    }

    /// A time for people in this zone, in ISO-8601 with the zone's offset, so it can be given
    /// back to `--now` or `--from` as it is: `2026-11-30T09:15:00+08:00`; in UTC
    /// `2026-11-30T01:15:00Z`, as ``Timestamp/string(_:)`` writes it.
    public func time(_ instant: Date) -> String {
        guard !isUTC else { return Timestamp.string(instant) }
        let seconds = TimeInterval(timeZone.secondsFromGMT(for: instant))
        let shifted = Timestamp.string(instant.addingTimeInterval(seconds))
        return String(shifted.dropLast()) + offset(at: instant)
    }

    /// The local date of `instant`: `2026-11-30`.
    public func date(_ instant: Date) -> String { localDate(of: instant).description }

    /// Reads a date or time the way `rep away` takes it: a date alone is the start of that local
    /// day; a time with `Z` or an offset is that instant; a time without one is local wall-clock
    /// time here. Nil when `text` is no ISO-8601 date or time.
    public func parse(_ text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let date = LocalDate(text) { return start(of: date) }
        guard let asUTC = Timestamp.parse(text) else { return nil }
        let rest = text.utf8.dropFirst(10)
        if rest.contains(where: { $0 == UInt8(ascii: "Z") || $0 == UInt8(ascii: "z") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }) {
            return asUTC
        }
        guard !isUTC else { return asUTC }
        let wall = TeamClock.utc.wallClock(at: asUTC)
        let second = asUTC.timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
        return instant(wall.date, minute: wall.minute).addingTimeInterval(second < 0 ? second + 60 : second)
    }

    /// The first day of a window that starts at `start`, as `--from` takes it: the local date
    /// at a local midnight, else the time (ISO-8601 UTC, as JSON writes times).
    public func firstDay(_ start: Date) -> String {
        isStartOfDay(start) ? date(start) : Timestamp.string(start)
    }

    /// The last day a window that excludes `end` covers, as `--until` takes it: `2026-12-10`
    /// for a window ending at the local midnight after it; an end within a day keeps its time.
    public func lastDay(_ end: Date) -> String {
        isStartOfDay(end) ? localDate(of: end).adding(days: -1).description : Timestamp.string(end)
    }

    /// The end of a window that excludes `end`, as people say it here: "through 2026-12-10" when
    /// it ends at a local midnight, else "until 2026-12-10T14:00:00+08:00".
    public func until(_ end: Date) -> String {
        isStartOfDay(end) ? "through \(lastDay(end))" : "until \(time(end))"
    }
}

extension TeamClock: Equatable {
    public static func == (a: TeamClock, b: TeamClock) -> Bool { a.name == b.name }
}
