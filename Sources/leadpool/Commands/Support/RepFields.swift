import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension Role: ExpressibleByArgument {}

/// Options `rep add` and `rep update` share.
struct RepFields: ParsableArguments {
    @Option(help: "Display name.")
    var name: String?

    @Option(help: "Email address.")
    var email: String?

    @Option(help: "Team, as rules name it with team:NAME.")
    var team: String?

    @Option(help: "rep or admin.")
    var role: Role?

    // Unconditional: "-5" is a value to refuse with a reason, not an unknown option.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("Most open and qualified leads held at once, or 'default' for the ruleset's.", valueName: "n")
    )
    var capacity: LimitArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Most self-claims per day, or 'default' for the ruleset's.", valueName: "n"))
    var dailyLimit: LimitArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Share for the weighted strategy (1 or more).", valueName: "w"))
    var weight: Int?

    @Option(help: ArgumentHelp("Country or region codes, comma-separated (DE,FR,Bavaria).", valueName: "codes"))
    var territories: String?

    @Option(help: ArgumentHelp("The rep's IANA time zone (Asia/Shanghai), or 'default' for the ruleset's.", valueName: "Area/City"))
    var timezone: String?

    @Option(
        help: ArgumentHelp(
            "The rep's working hours, local to their zone (\"mon-fri 08:00-16:00\", \"mon,tue,sat 09:00-13:00\"), or 'default' for the ruleset's.",
            valueName: "days hours"
        )
    )
    var workingHours: String?

    func validate() throws {
        if let weight, weight < 1 { throw ValidationError("--weight must be 1 or more, got \(weight)") }
        for (option, limit) in [("--capacity", capacity), ("--daily-limit", dailyLimit)] {
            if let n = limit?.number, n < 0 { throw ValidationError("\(option) must be 0 or more, or 'default'; got \(n)") }
        }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        if let territories, territoryCodes(territories) == nil {
            throw ValidationError("--territories takes codes of letters, digits, '-' or '_', comma-separated (e.g. DE,FR,US-CA)")
        }
        if case .some(.some(let name)) = timeZoneChange, let problem = TeamClock.check(name) {
            throw ValidationError("--timezone: \(problem.message); \(problem.hint)")
        }
        if let workingHours, !Self.clears(workingHours) {
            do {
                _ = try WorkingHours.parse(workingHours)
            } catch {
                throw ValidationError(error.message + (error.hint.map { "; \($0)" } ?? ""))
            }
        }
    }

    /// `default` (or nothing) puts a rep back on the ruleset's setting.
    static func clears(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed == "default"
    }

    /// nil: unchanged; `.some(nil)`: back to the ruleset's zone.
    var timeZoneChange: String?? {
        guard let timezone else { return nil }
        return .some(Self.clears(timezone) ? nil : timezone.trimmingCharacters(in: .whitespaces))
    }

    /// nil: unchanged; `.some(nil)`: back to the ruleset's hours.
    var workingHoursChange: WorkingHours?? {
        guard let workingHours else { return nil }
        return .some(Self.clears(workingHours) ? nil : try? WorkingHours.parse(workingHours))
    }

    /// Upper-cased, de-duplicated, sorted codes; nil when one is malformed.
    func territoryCodes(_ text: String) -> [String]? {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        let codes = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        guard codes.allSatisfy({ $0.allSatisfy(allowed.contains) }) else { return nil }
        return Array(Set(codes)).sorted()
    }

    var changes: RepChanges {
        RepChanges(
            name: name,
            email: email,
            team: team,
            role: role,
            capacity: capacity?.change,
            dailyLimit: dailyLimit?.change,
            weight: weight,
            territories: territories.flatMap(territoryCodes),
            timeZone: timeZoneChange,
            workingHours: workingHoursChange
        )
    }
}
