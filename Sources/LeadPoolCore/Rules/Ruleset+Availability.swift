import Foundation

extension Ruleset {
    /// Whether `now` falls inside `rep`'s working hours (their own, else the rules file's
    /// `working-hours`, else always) on the rep's clock: what a rule's `working-only` asks of
    /// its candidates, and `explain`'s "outside working hours".
    public func isInsideWorkingHours(_ rep: Rep, at now: Date) -> Bool {
        isWorking(rep, at: now)
    }
}
