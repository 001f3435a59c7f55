import Foundation

/// When a rep works: some days of the week, from one local time to a later one the same day
/// (`mon-fri 09:00-18:00`), read on the wall clock of the rep's zone.
///
/// Written in the rules file as `working-hours: { days: mon-fri, from: "09:00", to: "18:00" }`
/// and per rep as `--working-hours "mon-fri 08:00-16:00"`. `from` is inside the hours, `to` is
/// not; `to` may be `24:00` (the end of the day). Hours do not run past midnight.
public struct WorkingHours: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The working days, Monday first, each once.
    public var days: [Weekday]
    /// Minutes after local midnight the hours start (0–1439).
    public var from: Int
    /// Minutes after local midnight they end, after `from` (1–1440).
    public var to: Int

    /// Builds hours from validated parts; see ``parse(_:)`` and ``problem(days:from:to:)``.
    public init(days: some Sequence<Weekday>, from: Int, to: Int) {
        self.days = Set(days).sorted()
        self.from = from
        self.to = to
    }

    /// Every day, all day: the hours of a rep when neither the rep nor the rules file sets any.
    public static let always = WorkingHours(days: Weekday.allCases, from: 0, to: 1_440)

    /// Monday to Friday, 09:00 to 18:00.
    public static let office = WorkingHours(days: [.mon, .tue, .wed, .thu, .fri], from: 540, to: 1_080)

    /// Whether `instant` falls inside these hours on the wall clock of `zone`.
    public func contains(_ instant: Date, in zone: TimeZone) -> Bool {
        contains(instant, on: TeamClock(zone: zone))
    }

    /// Whether `instant` falls inside these hours on `clock`'s wall clock.
    public func contains(_ instant: Date, on clock: TeamClock) -> Bool {
        if self == .always { return true }
        let wall = clock.wallClock(at: instant)
        return days.contains(wall.weekday) && from <= wall.minute && wall.minute < to
    }

    public var isAlways: Bool { self == .always }

    // MARK: - Text

    /// `mon-fri 09:00-18:00`, `mon,wed,sat 08:30-12:00`: what ``parse(_:)`` reads back.
    public var description: String {
        "\(WorkingHours.daysText(days)) \(WorkingHours.timeText(from))-\(WorkingHours.timeText(to))"
    }

    /// `mon-fri`, `mon-wed,fri`, `sat,sun` (runs of three or more days as ranges).
    public static func daysText(_ days: [Weekday]) -> String {
        var parts: [String] = []
        var run: [Weekday] = []
        func flush() {
            if run.count >= 3 { parts.append("\(run.first!.rawValue)-\(run.last!.rawValue)") } else { parts += run.map(\.rawValue) }
            run = []
        }
        for day in days.sorted() {
            if let last = run.last, last.index + 1 != day.index { flush() }
            run.append(day)
        }
        flush()
        return parts.joined(separator: ",")
    }

    /// `09:00`, `24:00`.
    public static func timeText(_ minutes: Int) -> String {
        let pad = { (n: Int) in n < 10 ? "0\(n)" : String(n) }
        return pad(minutes / 60) + ":" + pad(minutes % 60)
    }

    /// Reads `DAYS FROM-TO`: `mon-fri 08:00-16:00`, `mon,tue,sat 09:00-13:00`.
    ///
    /// - Throws: a usage error (exit 64) saying which part is wrong.
    public static func parse(_ text: String, option: String = "--working-hours") throws(LeadPoolError) -> WorkingHours {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        let example = "write days and hours like \"mon-fri 08:00-16:00\" or \"mon,tue,sat 09:00-13:00\""
        guard parts.count == 2 else {
            throw LeadPoolError.usage("\(option): '\(text)' is not days and hours", hint: example)
        }
        let days: [Weekday]
        switch Self.days(String(parts[0])) {
        case .success(let value): days = value
        case .failure(let problem): throw LeadPoolError.usage("\(option): \(problem.message)", hint: problem.hint)
        }
        let times = parts[1].split(separator: "-", omittingEmptySubsequences: false)
        guard times.count == 2 else {
            throw LeadPoolError.usage("\(option): '\(parts[1])' is not a span of hours", hint: example)
        }
        var minutes: [Int] = []
        for (time, end) in [(times[0], "from"), (times[1], "to")] {
            guard let value = Self.minutes(String(time), allowingEndOfDay: end == "to") else {
                throw LeadPoolError.usage("\(option): '\(time)' is not a time of day", hint: timeHint)
            }
            minutes.append(value)
        }
        if let problem = problem(from: minutes[0], to: minutes[1]) {
            throw LeadPoolError.usage("\(option): \(problem.message)", hint: problem.hint)
        }
        return WorkingHours(days: days, from: minutes[0], to: minutes[1])
    }

    /// How to write a time of day.
    public static let timeHint = "write a time of day as HH:MM, from 00:00 to 23:59 (24:00 ends the day)"

    /// What is wrong with hours from `from` to `to` (minutes after midnight), or nil.
    public static func problem(from: Int, to: Int) -> (message: String, hint: String)? {
        guard to > from else {
            return (
                "working hours end at \(timeText(to)), not after they start at \(timeText(from))",
                "hours run within one day: `to` comes after `from` (use 24:00 for the end of the day)"
            )
        }
        return nil
    }

    /// `HH:MM` as minutes after midnight (`24:00` only when `allowingEndOfDay`), or nil.
    public static func minutes(_ text: String, allowingEndOfDay: Bool) -> Int? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
            bytes.enumerated().allSatisfy({ $0.offset == 2 || (48...57).contains($0.element) })
        else { return nil }
        let hour = Int(bytes[0] - 48) * 10 + Int(bytes[1] - 48)
        let minute = Int(bytes[3] - 48) * 10 + Int(bytes[4] - 48)
        guard minute < 60 else { return nil }
        if hour == 24, minute == 0, allowingEndOfDay { return 1_440 }
        guard hour < 24 else { return nil }
        return hour * 60 + minute
    }

    /// Days written as `mon-fri`, `mon,tue,sat`, `mon-wed,fri` (names ignore case); each item of
    /// a list may be a day or a range. A range runs forward from Monday to Sunday.
    public static func days(_ text: String) -> Result<[Weekday], DayProblem> {
        var days: [Weekday] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            switch range(String(item)) {
            case .success(let value): days += value
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(Set(days).sorted())
    }

    /// One day (`mon`) or range (`mon-fri`).
    public static func range(_ text: String) -> Result<[Weekday], DayProblem> {
        let ends = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var found: [Weekday] = []
        for end in ends {
            guard let day = weekday(end) else {
                let names = Weekday.allCases.map(\.rawValue)
                return .failure(
                    DayProblem(
                        message: end.isEmpty ? "a day is missing in '\(text)'" : "unknown day '\(end)'",
                        hint: NameSuggestion.nearest(to: end, among: names).map { "did you mean '\($0)'? " }.map {
                            $0 + "days are " + names.joined(separator: ", ")
                        }
                            ?? "days are " + names.joined(separator: ", ") + "; a range like mon-fri"
                    )
                )
            }
            found.append(day)
        }
        switch found.count {
        case 1: return .success(found)
        case 2 where found[0] <= found[1]:
            return .success(Weekday.allCases.filter { found[0] <= $0 && $0 <= found[1] })
        case 2:
            return .failure(
                DayProblem(
                    message: "the range '\(text)' runs backwards",
                    hint: "a range runs from Monday to Sunday, like mon-fri; list days across the weekend: [fri, sat, sun, mon]"
                )
            )
        default:
            return .failure(DayProblem(message: "'\(text)' is not a day or a range of days", hint: "write mon, or a range like mon-fri"))
        }
    }

    /// `mon`, `Monday`, `TUE`: the day, or nil.
    static func weekday(_ text: String) -> Weekday? {
        let lowered = text.lowercased()
        if let day = Weekday(rawValue: lowered) { return day }
        let full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        return full.firstIndex(of: lowered).map { Weekday.allCases[$0] }
    }

    /// What is wrong with some days as written.
    public struct DayProblem: Error, Sendable, Equatable {
        public var message: String
        public var hint: String
    }
}
