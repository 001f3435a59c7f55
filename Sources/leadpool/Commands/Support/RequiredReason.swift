import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// `--reason TEXT`, required and not blank: it is kept in the leads' history.
struct RequiredReason: ParsableArguments {
    @Option(help: "Why (required): it is kept in the lead's history.")
    var reason: String

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must not be empty") }
    }
}
