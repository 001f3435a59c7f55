import Foundation

extension Ruleset {
    /// Whether `now` falls inside `rep`'s working hours: what a rule's `working-only` asks of
    /// its candidates (and `explain`'s "outside working hours").
    ///
    /// Until the rules file's `working-hours` and the reps' zones exist, every instant is
    /// inside everyone's hours, so `working-only` leaves no rep out.
    public func isInsideWorkingHours(_ rep: Rep, at now: Date) -> Bool {
        true
    }
}
