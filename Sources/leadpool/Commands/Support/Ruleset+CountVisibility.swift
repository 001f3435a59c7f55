import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension Ruleset {
    /// Whether counting the leads of a segment would tell `viewer` about fields hidden from them:
    /// the segment reads a contact field, directly or through other segments.
    func countIsHidden(segment name: String, from viewer: Rep) -> Bool {
        visibility.firstHiddenRead(in: .segment(name), segments: segmentConditions, viewer: viewer) != nil
    }
}
