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
