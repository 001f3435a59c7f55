import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension RulesetIssue {
    var json: JSON {
        .object([
            ("file", .string(location.file)), ("line", .of(location.line)), ("column", .of(location.column)),
            ("message", .string(message)), ("hint", .of(hint)),
        ])
    }
}
