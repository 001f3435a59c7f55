import Foundation
import LeadPoolCore
import LeadPoolStorage
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
                path: directory + "/\(bulk)-\(n).db",
                firstAdmin: Rep(handle: "admin", name: "Admin", role: .admin, createdAt: Self.now)
            )
            let summary = try store.importLeads(
                file: "f.csv",
                source: nil,
                policy: .skip,
                dryRun: false,
                actor: "admin",
                at: Self.now,
                expectedRows: bulk ? 1_000_000 : 0
            ) { session in
                for draft in order { try session.add(draft) }
            }
            let companies = try store.leads(LeadQuery(), now: Self.now).map(\.company).sorted()
            outcomes.insert("\(summary.new) new, \(summary.skippedTotal) skipped, \(companies)")
        }
        #expect(outcomes == ["2 new, 2 skipped, [\"Acme\", \"Globex\"]"])
    }

    /// A chain: A and B share an email, A and C an external id; D has B's id and a new email, E
    /// only C's website (domain), F repeats an existing lead's id with a new email and G has
    /// that email with an id nobody has; H stands alone. In any order: A–E are one lead, F and
    /// G are the existing lead, H is new.
    static let chain = [
        LeadDraft(line: 0, externalID: "X", company: "A", email: "e1@a.example"),
        LeadDraft(line: 0, externalID: "Y", company: "B", email: "E1@a.example"),
        LeadDraft(line: 0, externalID: "X", company: "C", email: "e2@c.example", domain: "c.example"),
        LeadDraft(line: 0, externalID: "Y", company: "D", email: "e4@d.example"),
        LeadDraft(line: 0, company: "E", domain: "c.example"),
        LeadDraft(line: 0, externalID: "Z", company: "F", email: "f@f.example"),
        LeadDraft(line: 0, externalID: "W", company: "G", email: "f@f.example"),
        LeadDraft(line: 0, externalID: "V", company: "H", email: "h@h.example", domain: "h.example"),
    ]

    /// The rows (by company) each lead of the import stands for, in `order`: the lead's own
    /// row, if the import made it, and the duplicates it reported for it.
    func groups(_ order: [LeadDraft], policy: DuplicatePolicy, bulk: Bool, name: String) throws -> (Set<Set<String>>, ImportSummary) {
        let store = try Store.create(
            path: directory + "/\(name).db",
            firstAdmin: Rep(handle: "admin", name: "Admin", role: .admin, createdAt: Self.now)
        )
        _ = try store.importLeads(file: "old.csv", source: nil, policy: .skip, dryRun: false, actor: "admin", at: Self.now) {
            try $0.add(LeadDraft(line: 2, externalID: "Z", company: "Old"))
        }
        let rows = order.enumerated().map { index, draft in
            var draft = draft
            draft.line = index + 2
            return draft
        }
        let summary = try store.importLeads(
            file: "f.csv",
            source: nil,
            policy: policy,
            dryRun: false,
            recordDuplicates: true,
            actor: "admin",
            at: Self.now,
            expectedRows: bulk ? 1_000_000 : 0
        ) { session in
            for draft in rows { try session.add(draft) }
        }
        var members: [Int64: Set<String>] = [:]
        for lead in try store.leads(LeadQuery(), now: Self.now) {
            let imported = try store.history(lead.id).first { $0.kind == "imported" }?.detail.flatMap { detail in
                try? JSONSerialization.jsonObject(with: Data(detail.utf8)) as? [String: Any]
            }
            let line = imported?["line"] as? Int ?? 0
            members[lead.id] = imported?["file"] as? String == "old.csv" ? ["Old"] : [rows[line - 2].company]
        }
        for duplicate in summary.duplicates { members[duplicate.lead, default: []].insert(rows[duplicate.line - 2].company) }
        return (Set(members.values), summary)
    }

    @Test(arguments: [false, true])
    func chainsGiveTheSameLeadsInEveryOrder(bulk: Bool) throws {
        let expected: Set<Set<String>> = [["A", "B", "C", "D", "E"], ["Old", "F", "G"], ["H"]]
        var rng = SeededGenerator(seed: 13)
        var orders = [Self.chain, Array(Self.chain.reversed())]
        for _ in 0..<30 { orders.append(Self.chain.shuffled(using: &rng)) }
        for (n, order) in orders.enumerated() {
            let (groups, summary) = try groups(order, policy: .skip, bulk: bulk, name: "chain-\(bulk)-\(n)")
            #expect(groups == expected, "order \(order.map(\.company))")
            #expect(summary.new == 2, "order \(order.map(\.company))")
            #expect(summary.skippedTotal == 6)
            #expect(summary.duplicates.count == 6)
        }
    }

    /// The issue's case: A(X, e1), B(Y, e1), C(X, e2) are one lead in either order, made by the
    /// first row; the others are its duplicates, by the key they share with it.
    @Test func theChainOfTheIssueIsOneLeadEitherWay() throws {
        let a = LeadDraft(line: 0, externalID: "X", company: "A", email: "e1@a.example")
        let b = LeadDraft(line: 0, externalID: "Y", company: "B", email: "e1@a.example")
        let c = LeadDraft(line: 0, externalID: "X", company: "C", email: "e2@a.example")
        for (n, order) in [[a, b, c], [c, b, a]].enumerated() {
            let (groups, summary) = try groups(order, policy: .skip, bulk: false, name: "issue-\(n)")
            #expect(groups.contains(["A", "B", "C"]), "\(groups)")
            #expect(summary.new == 1)
            #expect(summary.duplicates.map(\.line) == [3, 4])
        }
        let (_, reversed) = try groups([c, b, a], policy: .skip, bulk: false, name: "issue-keys")
        // B shares its email with A; A its id with C, which made the lead.
        #expect(reversed.duplicates.map(\.key) == ["email", "external_id"])
        #expect(reversed.skipped == ["same email": 1, "same external_id": 1])
    }

    @Test func updateAndErrorGroupTheSameWay() throws {
        let order = Array(Self.chain.reversed())
        let (updated, summary) = try groups(order, policy: .update, bulk: false, name: "update")
        #expect(updated == [["A", "B", "C", "D", "E"], ["Old", "F", "G"], ["H"]])
        #expect(summary.new == 2)
        #expect(summary.updated == 6)
        let (_, refused) = try groups(order, policy: .error, bulk: false, name: "error")
        #expect(Set(refused.problems.map(\.line)).count == 6)
        #expect(refused.problems.allSatisfy { $0.reason.contains("(--on-duplicate error)") })
    }

    @Test func aRowWithAnUnknownExternalIDStillMatchesByEmail() throws {
        let store = try Store.create(
            path: directory + "/email.db",
            firstAdmin: Rep(handle: "admin", name: "Admin", role: .admin, createdAt: Self.now)
        )
        let summary = try store.importLeads(
            file: "f.csv",
            source: nil,
            policy: .skip,
            dryRun: false,
            recordDuplicates: true,
            actor: "admin",
            at: Self.now
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
