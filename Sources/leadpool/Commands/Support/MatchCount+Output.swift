import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension Optional where Wrapped == MatchCount {
    /// `leads` and `pooled`, or, when the count is hidden, neither and a `hidden` array naming them.
    var countFields: [(String, JSON)] {
        switch self {
        case .some(let count): [("leads", .of(count.leads)), ("pooled", .of(count.pooled)), ("hidden", .array([]))]
        case .none: [("hidden", .of(["leads", "pooled"]))]
        }
    }
}

extension MatchCount {
    static let hiddenNote = "Segments that read contact fields show no counts to reps: a count would tell what those fields hold."
}
