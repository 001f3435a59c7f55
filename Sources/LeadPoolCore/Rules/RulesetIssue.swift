/// One problem found in a rules file: an error (the file is refused) or a warning (printed).
public struct RulesetIssue: Sendable, Equatable, CustomStringConvertible {
    public var location: Ruleset.Location
    /// What is wrong, without the position; a condition's message quotes its line with a caret.
    public var message: String
    /// What to do about it (`did you mean 'points'?`).
    public var hint: String?

    public init(_ location: Ruleset.Location, _ message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `rules.yaml:12:7: unknown key 'pionts' in an icp criterion`, then the hint on its own line.
    public var description: String {
        var text = "\(location): \(message)"
        if let hint { text += "\n    hint: \(hint)" }
        return text
    }
}

extension LeadPoolError {
    /// The error for a rules file with `issues`: every one listed, in file order. Exit 65.
    public static func rulesFile(_ fileName: String, issues: [RulesetIssue]) -> LeadPoolError {
        let count = issues.count == 1 ? "1 error" : "\(issues.count) errors"
        return .badInput(
            "\(fileName): \(count):\n" + issues.map(\.description).joined(separator: "\n"),
            hint: "fix the file and run `leadpool rules check \(fileName)` again"
        )
    }
}
