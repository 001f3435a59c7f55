import Foundation
import LeadPoolCore

/// What one rep's digest mail would tell them now: the items no earlier mail that sendmail
/// accepted has told them.
public struct Digest: Sendable, Equatable {
    public var rep: Rep
    /// Given leads first, then deadlines, escalations and reclaim warnings, each by time.
    public var items: [DigestItem]

    public init(rep: Rep, items: [DigestItem]) {
        self.rep = rep
        self.items = items
    }
}
