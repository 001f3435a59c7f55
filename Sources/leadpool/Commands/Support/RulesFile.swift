import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// A rules file read from disk: its text and the name messages use.
struct RulesFile {
    /// The path as given, so `rules.yaml:12:7` points where the user looks.
    let path: String
    let source: String

    /// The name stored with the version: the file's last path component.
    var storedName: String { URL(fileURLWithPath: path).lastPathComponent }

    init(path: String) throws {
        // Read no more than the limit allows, whatever the file claims to be (a device, a FIFO).
        guard let handle = FileHandle(forReadingAtPath: path),
            let data = try? handle.read(upToCount: Ruleset.maximumFileSize + 1) ?? Data()
        else {
            throw LeadPoolError.notFound(
                "cannot read the rules file \(path)",
                hint: "check the path; `leadpool rules example > rules.yaml` gives one to start from"
            )
        }
        try? handle.close()
        guard data.count <= Ruleset.maximumFileSize else {
            throw LeadPoolError.badInput(
                "\(path):1:1: the rules file is larger than \(Ruleset.maximumFileSize / 1024) KiB",
                hint: "a rules file holds settings and conditions; put long lists of leads in tags or segments"
            )
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw LeadPoolError.badInput("\(path):1:1: the rules file is not UTF-8 text")
        }
        self.path = path
        self.source = source
    }

    /// Parses and validates, and works out the warnings against the reps in the database.
    func check(in session: Session) throws -> (Ruleset, [RulesetIssue], [Rep]) {
        let ruleset = try Ruleset.parse(source, fileName: path)
        let reps = try session.store.repStandings().map(\.rep)
        // The attribute names leads have, read only when the file reads any (a pass over every lead).
        let attributes =
            ruleset.attributesRead.isEmpty
            ? nil : Set(try session.store.attributeNames(LeadQuery(), now: session.now))
        let warnings = ruleset.warnings(
            teams: Set(reps.compactMap(\.team)),
            handles: Set(reps.map(\.handle)),
            activeTeams: Set(reps.filter(\.active).compactMap(\.team)),
            attributes: attributes
        )
        return (ruleset, warnings, reps)
    }
}
