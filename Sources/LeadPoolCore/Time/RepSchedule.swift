import Foundation

/// Where and when a rep works: the rep's own zone and hours, else the ruleset's.
extension Rep {
    /// The rep's clock: their own zone, else `team` (the ruleset's). A stored zone name this
    /// system no longer knows falls back to `team` as well.
    public func clock(team: TeamClock) -> TeamClock {
        guard let timeZone else { return team }
        return timeZone == team.name ? team : TeamClock(named: timeZone) ?? team
    }

    /// The rep's working hours: their own, else `team`'s, else ``WorkingHours/always``.
    public func workingHours(team: WorkingHours?) -> WorkingHours {
        workingHours ?? team ?? .always
    }

    /// Whole seconds of `span` during which the rep is away (the overlap of the away window
    /// with it); an open end of the window reaches as far as `span` does.
    public func awaySeconds(in span: Range<Date>) -> TimeInterval {
        guard awayFrom != nil || awayUntil != nil else { return 0 }
        let start = max(span.lowerBound, awayFrom ?? span.lowerBound)
        let end = min(span.upperBound, awayUntil ?? span.upperBound)
        return max(0, end.timeIntervalSince(start))
    }
}

extension Ruleset {
    /// The clock `rep` lives by: their own zone, else the ruleset's `timezone`.
    public func clock(of rep: Rep) -> TeamClock { rep.clock(team: clock) }

    /// The hours `rep` works: their own, else the ruleset's `working-hours`, else always.
    public func workingHours(of rep: Rep) -> WorkingHours { rep.workingHours(team: workingHours) }

    /// Whether `instant` lies inside `rep`'s working hours on `rep`'s wall clock.
    public func isWorking(_ rep: Rep, at instant: Date) -> Bool {
        workingHours(of: rep).contains(instant, on: clock(of: rep))
    }
}
