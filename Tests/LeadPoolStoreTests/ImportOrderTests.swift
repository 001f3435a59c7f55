import Foundation
import LeadPoolCore
import Testing

@testable import LeadPoolStore

/// SPEC: duplicates are found "with the same result whatever the row order".
@Suite final class ImportOrderTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("import-order-\(UUID().uuidString)").path

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One company as a row with an id and an email, one with the email only and one with only a
    /// website; another company with only a website.
    static let rows = [
        LeadDraft(line: 2, externalID: "X1", company: "Acme", email: "eve@acme.example", domain: "acme.example"),
        LeadDraft(line: 3, company: "Acme", email: "EVE@acme.example", domain: "acme.example"),
        LeadDraft(line: 4, company: "Acme", domain: "acme.example"),
        LeadDraft(line: 5, company: "Globex", domain: "globex.example"),
    ]

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[T]] in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }

    @Test(arguments: [false, true])
    func everyOrderGivesTheSameLeadsAndCounts(bulk: Bool) throws {
        var outcomes: Set<String> = []
        for (n, order) in Self.permutations(Self.rows).enumerated() {
            let store = try Store.create(
                path: directory + "/\(bulk)-\(n).db", firstAdmin: Rep(handle: "admin", name: "Admin", role: .admin, createdAt: Self.now))
            let summary = try store.importLeads(
                file: "f.csv", source: nil, policy: .skip, dryRun: false, actor: "admin", at: Self.now,
                expectedRows: bulk ? 1_000_000 : 0
            ) { session in
                for draft in order { try session.add(draft) }
            }
            let companies = try store.leads(LeadQuery(), now: Self.now).map(\.company).sorted()
            outcomes.insert("\(summary.new) new, \(summary.skippedTotal) skipped, \(companies)")
        }
        #expect(outcomes == ["2 new, 2 skipped, [\"Acme\", \"Globex\"]"])
    }

    @Test func aRowWithAnUnknownExternalIDStillMatchesByEmail() throws {
        let store = try Store.create(
            path: directory + "/email.db", firstAdmin: Rep(handle: "admin", name: "Admin", role: .admin, createdAt: Self.now))
        let summary = try store.importLeads(
            file: "f.csv", source: nil, policy: .skip, dryRun: false, recordDuplicates: true, actor: "admin", at: Self.now
        ) { session in
            try session.add(LeadDraft(line: 2, company: "Acme", email: "eve@acme.example"))
            try session.add(LeadDraft(line: 3, externalID: "X9", company: "Acme", email: "eve@acme.example"))
        }
        #expect(summary.new == 1)
        #expect(summary.duplicates == [.init(line: 3, lead: 1, key: "email")])
    }

    @Test func matchKeysInOrder() {
        let full = LeadDraft(line: 1, externalID: "X", company: "A", email: "A@b.example", domain: "b.example")
        #expect(full.matchKeys == [.externalID("X"), .email("a@b.example"), .domainOnly("b.example")])
        #expect(LeadDraft(line: 1, company: "A", domain: "b.example").matchKeys == [.domain("b.example")])
        #expect(LeadDraft(line: 1, company: "A").matchKeys == [])
    }
}
