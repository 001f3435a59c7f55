import Foundation
import LeadPoolCore
import Testing

@Suite struct RulesetParsingTests {
    static let examplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/rules.yaml").path

    /// The errors a file gives, as `line:column: message` lines.
    private func errors(_ yaml: String) -> [RulesetIssue] {
        let result = Ruleset.check(yaml, fileName: "r.yaml")
        #expect(result.ruleset == nil, "expected errors")
        return result.errors
    }

    private func has(_ issues: [RulesetIssue], at line: Int, _ column: Int, _ fragment: String) -> Bool {
        issues.contains { $0.location.line == line && $0.location.column == column && $0.description.contains(fragment) }
    }

    // MARK: - Valid files

    @Test func exampleFileParsesWithEverySection() throws {
        let yaml = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        let ruleset = try Ruleset.parse(yaml, fileName: "rules.yaml")
        #expect(ruleset.defaults == .init(capacity: 50, dailyLimit: 20))
        #expect(ruleset.tiers.map(\.name) == ["A", "B", "C", "D"])
        #expect(ruleset.tiers.last?.isImplicitFloor == true)
        #expect((5...8).contains(ruleset.icp.count))
        #expect(Set(ruleset.segments.map(\.name)).isSuperset(of: ["emea", "dach", "na", "apac", "enterprise"]))
        #expect(Set(ruleset.rules.map(\.strategy)) == Set(Ruleset.Strategy.allCases))
        #expect(ruleset.rules.contains { $0.targets == [.team("emea")] && $0.territory })
        #expect(ruleset.reclaim.overrides.count == 2)
        #expect(ruleset.reclaim.exempt != nil)
    }

    @Test func anEmptyFileIsRefusedButAnEmptyMappingTakesEveryDefault() throws {
        for empty in ["", "# nothing\n", "\n\n"] {
            let result = Ruleset.check(empty, fileName: "r.yaml")
            #expect(result.ruleset == nil)
            #expect(result.errors.map(\.description).first?.hasPrefix("r.yaml:1:1: the rules file is empty") == true)
        }
        #expect(try Ruleset.parse("{}", fileName: "r.yaml") == .standard)
        let partial = try Ruleset.parse("defaults: { capacity: 10 }\nicp:\nreclaim:\n", fileName: "r.yaml")
        #expect(partial.defaults == .init(capacity: 10, dailyLimit: 20))
        #expect(partial.reclaim == .standard)
        #expect(partial.tiers == Ruleset.TierBand.standard)
    }

    @Test func spellingsOfTargets() throws {
        let ruleset = try Ruleset.parse(
            """
            rules:
              - { name: a, when: 'true', to: team:emea }
              - { name: b, when: 'true', to: rep:alice, strategy: weighted }
              - { name: c, when: 'true', to: [alice, 'rep:bob', team:sdr], strategy: least-loaded, territory: true }
            """,
            fileName: "r.yaml"
        )
        #expect(ruleset.rules.map(\.targets) == [[.team("emea")], [.rep("alice")], [.rep("alice"), .rep("bob"), .team("sdr")]])
        #expect(ruleset.rules.map(\.strategy) == [.roundRobin, .weighted, .leastLoaded])
        #expect(ruleset.rules.map(\.territory) == [false, false, true])
    }

    @Test func aBandAtZeroNamesTheFloor() throws {
        let ruleset = try Ruleset.parse("tiers: { Hot: 70, Warm: 30, Cold: 0 }", fileName: "r.yaml")
        #expect(ruleset.tiers.map(\.name) == ["Hot", "Warm", "Cold"])
        #expect(ruleset.tier(for: 0) == "Cold")
        #expect(ruleset.tier(for: 30) == "Warm")
        #expect(ruleset.tier(for: 100) == "Hot")
    }

    @Test func conditionsInBlockScalarsParse() throws {
        let ruleset = try Ruleset.parse(
            """
            segments:
              big: |
                employees >= 1000
            """,
            fileName: "r.yaml"
        )
        #expect(ruleset.segments.first?.condition == .comparison(.field(.employees), .greaterOrEqual, .integer(1000)))
    }

    // MARK: - Errors, with positions

    @Test func everyErrorIsReportedAtOnceInFileOrder() {
        let issues = errors(
            """
            defaults: { capacity: -5, daily-limit: many }
            tiers: { A: 80, B: 85, C: 40 }
            icp:
              - { name: fit, when: 'industy = "Software"', pionts: 10 }
              - { name: fit, when: 'score > 50', points: 10 }
            segments:
              a: 'segment("b")'
              b: 'segment("a")'
              c: 'segment("nope")'
            rules:
              - { name: r, when: 'true', to: team:x, strategy: fastest }
              - { name: r, when: 'true', to: teams:x }
            reclaim: { no-activity-days: -1, colldown-days: 3 }
            extra: 1
            """
        )
        #expect(has(issues, at: 1, 23, "capacity must be 0 or more"))
        #expect(has(issues, at: 1, 40, "daily-limit must be a whole number, found 'many'"))
        #expect(has(issues, at: 2, 20, "tier 'B' starts at 85, not below tier 'A' at 80"))
        // The condition error points inside the quoted scalar: `'` at column 24, `industy` at 25.
        // An unknown segment is reported at its quoted name (`"nope"` at column 15).
        #expect(has(issues, at: 4, 25, "did you mean 'industry'?"))
        #expect(has(issues, at: 4, 48, "unknown key 'pionts'"))
        #expect(has(issues, at: 4, 48, "did you mean 'points'?"))
        #expect(has(issues, at: 4, 5, "needs 'points'"))
        #expect(has(issues, at: 5, 13, "icp criterion 'fit' appears twice"))
        #expect(has(issues, at: 5, 24, "reads score, which the icp itself computes"))
        #expect(has(issues, at: 7, 3, "segment loop: a -> b -> a"))
        #expect(has(issues, at: 9, 15, "unknown segment 'nope'"))
        #expect(has(issues, at: 11, 52, "unknown strategy 'fastest'"))
        #expect(has(issues, at: 12, 13, "rule 'r' appears twice"))
        #expect(has(issues, at: 12, 34, "unknown target kind 'teams'"))
        #expect(has(issues, at: 13, 30, "no-activity-days must be 1 or more, found -1"))
        #expect(has(issues, at: 13, 34, "unknown key 'colldown-days'"))
        #expect(has(issues, at: 14, 1, "unknown key 'extra' in the rules file"))
        #expect(issues.count == 16, "\(issues.map(\.description).joined(separator: "\n"))")
        let sorted = issues.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        #expect(issues == sorted)
    }

    @Test func thrownErrorListsEveryIssueWithFileLineColumn() {
        do {
            _ = try Ruleset.parse("tiers: { A: 80, B: 90 }\nrules: 5\n", fileName: "team/rules.yaml")
            Issue.record("expected an error")
        } catch let error as LeadPoolError {
            #expect(error.exitCode == 65)
            #expect(error.message.hasPrefix("team/rules.yaml: 2 errors:"))
            #expect(error.message.contains("team/rules.yaml:1:20: tier 'B'"))
            #expect(error.message.contains("team/rules.yaml:2:8: rules must be a list"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func criterionReadingTierThroughASegmentIsCircular() {
        let issues = errors(
            """
            segments: { hot: 'tier = "A"', warm: 'segment("hot") or employees > 10' }
            icp:
              - { name: warmth, when: 'segment("warm")', points: 5 }
            """
        )
        #expect(has(issues, at: 3, 27, "reads tier through segment 'warm' -> 'hot'"))
    }

    @Test func yamlSyntaxErrorHasPosition() {
        let issues = errors("icp:\n  - { name: x, when: 'true'\nrules: []\n")
        #expect(issues.count == 1)
        #expect(issues[0].message.hasPrefix("YAML: "))
        #expect(issues[0].location.line >= 2)
    }

    @Test func duplicateKeysAreRefused() {
        let issues = errors("segments:\n  a: 'true'\n  a: 'false'\n")
        #expect(issues.first?.message.contains("duplicate key 'a'") == true)
    }

    @Test func wrongTypesAreNamed() {
        let issues = errors(
            """
            tiers: [A, B]
            icp: { name: x }
            rules:
              - { name: r, when: [a], to: [], territory: maybe }
              - just-text
            reclaim:
              overrides:
                - { when: 'true' }
            """
        )
        #expect(has(issues, at: 1, 8, "tiers must be a mapping"))
        #expect(has(issues, at: 2, 6, "icp must be a list"))
        #expect(has(issues, at: 4, 22, "the condition of rule 'r' must be text, found a list"))
        #expect(has(issues, at: 4, 31, "routes to an empty list"))
        #expect(has(issues, at: 4, 46, "territory of rule 'r' must be true or false, found 'maybe'"))
        #expect(has(issues, at: 5, 5, "a rule must be a mapping"))
        #expect(has(issues, at: 8, 7, "sets neither no-activity-days nor max-hold-days"))
    }

    @Test func implicitFloorClashesWithABandNamedD() throws {
        let issues = errors("tiers: { A: 80, D: 20 }")
        #expect(has(issues, at: 1, 17, "'D' is the tier below the last band"))
        #expect(try Ruleset.parse("tiers: { A: 80, D: 20, E: 0 }", fileName: "r.yaml").tiers.map(\.name) == ["A", "D", "E"])
    }

    @Test func pointsAndTiersStayInRange() {
        let issues = errors("tiers: { A: 101 }\nicp:\n  - { name: x, when: 'true', points: 500 }\n")
        #expect(has(issues, at: 1, 13, "must be from 0 to 100"))
        #expect(has(issues, at: 3, 38, "must be from -100 to 100"))
    }

    // MARK: - Warnings

    @Test func poolMembersAndAdminsNamingNobodyAreWarnings() throws {
        let ruleset = try Ruleset.parse(
            """
            pools:
              - { name: east, members: [team:east, team:sales, ghost, alice], admins: [bob, nobody] }
            """,
            fileName: "p.yaml"
        )
        // Team east has only deactivated reps: it is known, and still nobody joins through it.
        let warnings = ruleset.warnings(teams: ["east", "sales"], handles: ["alice", "bob"], activeTeams: ["sales"])
        #expect(
            warnings.map(\.message) == [
                "pool 'east': members name team 'east', which no active rep is in; nobody joins the pool through it",
                "pool 'east': members name 'ghost', who is no rep",
                "pool 'east': admins name 'nobody', who is no rep",
            ]
        )
        #expect(warnings.allSatisfy { $0.description.hasPrefix("p.yaml:2:") })
        #expect(ruleset.warnings(teams: ["east", "sales"], handles: ["alice", "bob", "ghost", "nobody"]).isEmpty)
    }

    @Test func unknownTargetsAreWarningsWithSuggestions() throws {
        let ruleset = try Ruleset.parse(
            """
            rules:
              - { name: a, when: 'true', to: team:emae }
              - { name: b, when: 'true', to: [alice, bobb] }
            icp:
              - { name: fresh, when: 'age_days < 7', points: 5 }
            """,
            fileName: "r.yaml"
        )
        let warnings = ruleset.warnings(teams: ["emea"], handles: ["alice", "bob"])
        #expect(warnings.count == 3)
        #expect(warnings[0].description.contains("r.yaml:2:34: rule 'a': no rep is in team 'emae'"))
        #expect(warnings[0].hint == "did you mean 'team:emea'?")
        #expect(warnings[1].hint == "did you mean 'rep:bob'?")
        #expect(warnings[2].message.contains("reads age_days"))
    }
}
