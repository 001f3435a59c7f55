import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// One or more lead ids.
struct LeadIDs: ParsableArguments {
    @Argument(help: ArgumentHelp("Lead ids.", valueName: "ids"))
    var runs: [LeadIDRun] = []

    var ids: [Int64] { runs.flatMap(\.ids) }

    func validate() throws {
        if ids.isEmpty { throw ValidationError("give at least one lead id") }
    }
}
