import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// A capacity or daily limit on the command line: a number, or `default` for the ruleset's.
enum LimitArgument: ExpressibleByArgument, Equatable {
    case value(Int)
    case ruleset

    init?(argument: String) {
        if argument == "default" {
            self = .ruleset
        } else if let n = Int(argument) {
            self = .value(n)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["default"]) }

    var change: RepChanges.Limit {
        switch self {
        case .value(let n): .value(n)
        case .ruleset: .ruleset
        }
    }

    var number: Int? {
        if case .value(let n) = self { return n }
        return nil
    }
}
