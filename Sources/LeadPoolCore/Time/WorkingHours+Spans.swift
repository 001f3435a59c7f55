import Foundation

/// Working-time arithmetic: how far a span of working time reaches, and how much working time
/// lies between two instants, on a rep's wall clock. Nights, days off and weekends do not count;
/// a daylight-saving day's hours are the hours its wall clock shows (09:00–18:00 is nine hours
/// of working time whatever the offset did overnight).
extension WorkingHours {
    /// The working hours of `date` on `clock`, as instants; nil when `date` is no working day.
    public func window(on date: LocalDate, clock: TeamClock) -> Range<Date>? {
        guard days.contains(date.weekday) else { return nil }
        let start = clock.instant(date, minute: from)
        let end = to >= 1_440 ? clock.start(of: date.adding(days: 1)) : clock.instant(date, minute: to)
        return start < end ? start..<end : nil
    }

    /// The instant at which `seconds` of working time have passed since `start` (which may lie
    /// outside the hours: the count starts at the next working minute). A span of 0 ends at
    /// `start`. With ``always``, plain time.
    public func adding(_ seconds: TimeInterval, to start: Date, on clock: TeamClock) -> Date {
        guard seconds > 0 else { return start }
        if isAlways { return start.addingTimeInterval(seconds) }
        var left = seconds
        var date = clock.localDate(of: start).adding(days: -1)
        // Working days come at least once a week, so this ends; the bound only guards a bug.
        for _ in 0..<(Int(seconds / 3_600) * 7 + 30) {
            defer { date = date.adding(days: 1) }
            guard let window = window(on: date, clock: clock), window.upperBound > start else { continue }
            let from = max(window.lowerBound, start)
            let available = window.upperBound.timeIntervalSince(from)
            if left <= available { return from.addingTimeInterval(left) }
            left -= available
        }
        return start.addingTimeInterval(seconds)
    }

    /// The working time between `start` and `end` (0 when `end` is not after `start`).
    public func seconds(from start: Date, to end: Date, on clock: TeamClock) -> TimeInterval {
        guard end > start else { return 0 }
        if isAlways { return end.timeIntervalSince(start) }
        var total: TimeInterval = 0
        var date = clock.localDate(of: start).adding(days: -1)
        let last = clock.localDate(of: end).adding(days: 1)
        while date <= last {
            defer { date = date.adding(days: 1) }
            guard let window = window(on: date, clock: clock) else { continue }
            let from = max(window.lowerBound, start)
            let to = min(window.upperBound, end)
            if to > from { total += to.timeIntervalSince(from) }
        }
        return total
    }
}
