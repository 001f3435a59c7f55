import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// Notes a rep above capacity after a manual change.
func warnAboveCapacity(_ handle: String, session: Session) throws {
    let standing = try session.store.repStanding(handle)
    if let capacity = try session.claimPolicy().capacity(of: standing.rep), standing.held > capacity {
        session.output.note("note: \(handle) now holds \(standing.held) open or qualified leads, above capacity \(capacity)")
    }
}

/// Notes a rep who is away at the session's clock after leads were given to them by hand:
/// nothing reclaims them meanwhile (days away are not idle days), but nobody works them either.
func warnAway(_ handle: String, session: Session) throws {
    let rep = try session.store.repStanding(handle).rep
    guard rep.isAway(at: session.now) else { return }
    let clock = rep.clock(team: try session.store.claimPolicy().defaultClock)
    let back =
        rep.awayUntil.map { until in
            "away \(clock.until(until)) (\(clock.name)), back \(clock.isStartOfDay(until) ? "on \(clock.date(until))" : "at \(clock.time(until))")"
        } ?? "away with no return date"
    session.output.note("note: \(handle) is \(back); the leads wait for them (days away do not count toward reclaim)")
}
