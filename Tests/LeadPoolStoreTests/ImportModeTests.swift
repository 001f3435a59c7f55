import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage
import Testing

@testable import LeadPoolStore

/// An import finds duplicates either by the dedup indexes, row by row, or in bulk (keys in
/// memory, indexes dropped and built again). Both must give the same leads, counts and
/// problems, including when keys share a hash.
@Suite final class ImportModeTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    /// Every database a test makes, removed with it.
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("import-mode-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Rows drawn from small key spaces, so that many repeat an earlier row's or an existing
    /// lead's external id, email (in another case) or domain, alone or together.
    static func randomDrafts(_ count: Int, firstLine: Int, using rng: inout SeededGenerator) -> [LeadDraft] {
        (0..<count).map { index in
            let email: String? =
                Int.random(in: 0..<3, using: &rng) == 0
                ? nil
                : "Person\(Int.random(in: 0..<40, using: &rng))@" + (Bool.random(using: &rng) ? "ACME.example" : "acme.example")
            return LeadDraft(
                line: firstLine + index,
                externalID: Int.random(in: 0..<3, using: &rng) == 0 ? "00Q\(Int.random(in: 0..<30, using: &rng))" : nil,
                company: "Company \(index)",
                email: email,
                domain: Bool.random(using: &rng) ? "d\(Int.random(in: 0..<30, using: &rng)).example" : nil,
                tags: Bool.random(using: &rng) ? ["t\(Int.random(in: 0..<3, using: &rng))"] : []
            )
        }
    }

    /// Rules whose ICP reads the fields the drafts vary.
    static let rules = """
        icp:
          - { name: has-id, when: 'external_id is not null', points: 40 }
          - { name: mail, when: 'email contains "person1"', points: 30 }
          - { name: tagged, when: 'tag("t1")', points: 20 }
        """

    /// A fresh database holding `existing` (imported row by row), with `rules` applied when asked.
    func database(_ name: String, existing: [LeadDraft], scored: Bool = false) throws -> (Store, String) {
        let path = directory + "/\(name)-\(UUID().uuidString).db"
        let store = try Store.create(path: path, firstAdmin: Rep(handle: "admin", name: "Admin", role: .admin, createdAt: Self.now))
        _ = try store.importLeads(file: "existing.csv", source: nil, policy: .skip, dryRun: false, actor: "admin", at: Self.now) {
            for draft in existing { try $0.add(draft) }
        }
        if scored {
            _ = try store.applyRuleset(
                try Ruleset.parse(Self.rules, fileName: "rules.yaml"),
                source: Self.rules,
                fileName: "rules.yaml",
                actor: "admin",
                at: Self.now
            )
        }
        return (store, path)
    }

    /// Everything an import decides, as text: each lead's keys, tags and the line its event names, and the indexes.
    static func contents(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            let leads = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.external_id, l.email_norm, l.domain, l.company, l.score, l.tier,
                        (SELECT group_concat(tag) FROM lead_tags WHERE lead_id = l.id) AS tags,
                        (SELECT group_concat(json_extract(detail, '$.line')) FROM events WHERE lead_id = l.id) AS lines
                    FROM leads l ORDER BY l.id
                    """
            ).map { "\($0)" }
            let indexes = try String.fetchAll(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'leads' ORDER BY name")
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            return leads + indexes + integrity
        }
    }

    static func run(
        _ store: Store,
        _ drafts: [LeadDraft],
        policy: DuplicatePolicy,
        bulk: Bool,
        limits: ImportKeys.Limits = .init(),
        dryRun: Bool = false
    ) throws -> ImportSummary {
        try store.importLeads(
            file: "file.csv",
            source: nil,
            policy: policy,
            dryRun: dryRun,
            actor: "admin",
            at: now,
            expectedRows: bulk ? 1_000_000 : 0,
            keyLimits: limits
        ) { session in
            for draft in drafts { try session.add(draft) }
        }
    }

    @Test(arguments: [DuplicatePolicy.skip, .error])
    func bulkAndRowByRowAgree(policy: DuplicatePolicy) throws {
        var rng = SeededGenerator(seed: 20_261_123)
        for round in 0..<12 {
            let existing = Self.randomDrafts(Int.random(in: 0..<40, using: &rng), firstLine: 2, using: &rng)
            let file = Self.randomDrafts(Int.random(in: 1..<120, using: &rng), firstLine: 2, using: &rng)
            var results: [(summary: ImportSummary, contents: [String])] = []
            // Row by row; in bulk; in bulk with 3-bit hashes, so that most keys share a hash
            // with another; in bulk until the keys outgrow a limit, then row by row.
            let modes: [(bulk: Bool, limits: ImportKeys.Limits)] = [
                (false, .init()), (true, .init()), (true, .init(hashBits: 3)), (true, .init(keys: existing.count * 3 + 40)),
            ]
            for mode in modes {
                let (store, path) = try database("r\(round)", existing: existing, scored: round % 2 == 1)
                let summary = try Self.run(store, file, policy: policy, bulk: mode.bulk, limits: mode.limits)
                results.append((summary, try Self.contents(path)))
            }
            for result in results.dropFirst() {
                #expect(result.summary == results[0].summary, "round \(round)")
                #expect(result.contents.count == results[0].contents.count, "round \(round)")
                let differing = zip(result.contents, results[0].contents).filter { $0.0 != $0.1 }
                #expect(differing.isEmpty, "round \(round): first difference \(differing.first.map { "\($0.0) vs \($0.1)" } ?? "")")
            }
            #expect(results[0].summary.new + results[0].summary.skippedTotal + results[0].summary.problems.count == file.count)
        }
    }

    @Test func bulkFindsDuplicatesOfExistingLeadsAndWithinTheFile() throws {
        let existing = [LeadDraft(line: 2, externalID: "00QA", company: "Old", email: "anna@acme.example", domain: "acme.example")]
        let (store, path) = try database("dups", existing: existing)
        let file = [
            LeadDraft(line: 2, externalID: "00QA", company: "Same id"),
            LeadDraft(line: 3, company: "Same email", email: "ANNA@acme.example"),
            LeadDraft(line: 4, company: "Same domain", domain: "acme.example"),
            LeadDraft(line: 5, company: "New", email: "ben@beta.example", domain: "beta.example"),
            LeadDraft(line: 6, company: "Repeats line 5", email: "Ben@Beta.example"),
        ]
        let summary = try Self.run(store, file, policy: .skip, bulk: true)
        #expect(summary.new == 1)
        #expect(summary.skipped == ["same external_id": 1, "same email": 2, "same domain": 1])
        let names = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT company FROM leads ORDER BY id") }
        #expect(names == ["Old", "New"])
    }

    @Test func aRolledBackBulkImportLeavesTheIndexesAsTheyWere() throws {
        let (store, path) = try database("rollback", existing: [LeadDraft(line: 2, company: "Old", email: "a@a.example")])
        let before = try Self.contents(path)
        var rng = SeededGenerator(seed: 7)
        _ = try Self.run(store, Self.randomDrafts(50, firstLine: 2, using: &rng), policy: .skip, bulk: true, dryRun: true)
        #expect(try Self.contents(path) == before)
        let dup = [LeadDraft(line: 2, company: "X", email: "A@a.example")]
        let refused = try Self.run(store, dup, policy: .error, bulk: true)
        #expect(refused.problems.map(\.line) == [2])
        #expect(try Self.contents(path) == before)
    }
}
