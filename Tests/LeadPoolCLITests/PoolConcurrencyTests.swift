import Foundation
import Testing

/// Real processes claiming from several pools while a round moves leads between them.
@Suite(.bothBackends) struct PoolConcurrencyTests {
    @Test func claimsFromSeveralPoolsRacingARoundThatMovesLeads() throws {
        let box = Sandbox()
        box.initialized()
        try """
        defaults: { capacity: 30, daily-limit: 20 }
        pools:
          - { name: east, members: [team:east], claim: { daily-limit: 8, capacity: 10 } }
          - { name: west, members: [team:west], claim: { daily-limit: 6 } }
          - { name: recycle }
        rules:
          - { name: small-east, when: 'employees < 300', to: pool:recycle, pool: east }
          - { name: west-round, when: 'employees >= 900', to: team:west, pool: west, strategy: round-robin }
        """.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("rules", "apply", box.path("rules.yaml")).status == 0)
        for pool in ["east", "west"] {
            var csv = "Company,Email,Number of Employees\n"
            for i in 1...300 { csv += "\(pool) \(i),x\(i)@\(pool)\(i).com,\((i * 37) % 1_000)\n" }
            try csv.write(toFile: box.path("\(pool).csv"), atomically: true, encoding: .utf8)
            #expect(box.leadpool("import", box.path("\(pool).csv"), "--pool", pool).status == 0)
        }
        let east = (1...6).map { "e\($0)" }
        let west = (1...6).map { "w\($0)" }
        for rep in east { #expect(box.leadpool("rep", "add", rep, "--name", rep, "--team", "east").status == 0) }
        for rep in west { #expect(box.leadpool("rep", "add", rep, "--name", rep, "--team", "west").status == 0) }

        let round = try ConcurrencyTests.Running(["assign"], db: box.db)
        var running: [(String, ConcurrencyTests.Running)] = []
        for (k, rep) in (east + west).enumerated() {
            // Half take --next from their pools; half name ids across both pools (the other
            // pool's are refused) including leads the round is moving to recycle.
            let arguments =
                k % 2 == 0
                ? ["--as", rep, "claim", "--next", "-n", "15"]
                : ["--as", rep, "claim"] + (0..<30).map { String((k * 41 + $0 * 19) % 600 + 1) }
            running.append((rep, try ConcurrencyTests.Running(arguments, db: box.db)))
        }
        let roundRun = round.finish()
        let runs = running.map { ($0.0, $0.1.finish()) }
        #expect(roundRun.status == 0, "\(roundRun)")

        var claimed: [Int: String] = [:]
        for (rep, run) in runs {
            #expect([0, 1, 77].contains(run.status), "\(rep): \(run)")
            #expect(!run.stderr.localizedCaseInsensitiveContains("locked"), "\(run)")
            for line in run.stdout.split(separator: "\n") where line.hasPrefix("claimed  ") {
                let id = Int(line.dropFirst(9).prefix { $0 != " " })!
                #expect(claimed[id] == nil, "lead \(id) claimed twice")
                claimed[id] = rep
            }
        }
        #expect(!claimed.isEmpty)

        // Every claim and every move is exactly one event; owners agree with the claims.
        let claimEvents = Reliability.rows(box.db, "SELECT lead_id, to_owner, detail FROM events WHERE kind = 'claimed'").map { row in
            let detail = (try? JSONSerialization.jsonObject(with: Data((row["detail"] as String).utf8))) as? [String: Any]
            return (lead: row["lead_id"] as Int, rep: row["to_owner"] as String, pool: detail?["pool"] as? String ?? "?")
        }
        #expect(claimEvents.count == claimed.count)
        for event in claimEvents { #expect(claimed[event.lead] == event.rep) }
        let moves = Reliability.rows(box.db, "SELECT lead_id, count(*) AS n FROM events WHERE kind = 'moved' GROUP BY lead_id")
        #expect(moves.allSatisfy { ($0["n"] as Int) == 1 }, "each lead moved once")
        let recycled = Reliability.count(box.db, "SELECT count(*) FROM leads WHERE pool = 'recycle'")
        #expect(recycled == moves.count, "a lead is in recycle exactly when a move put it there")
        #expect(recycled > 0)
        // Nobody crossed into a pool they are not a member of, nor above a pool's limits.
        for event in claimEvents {
            #expect(event.pool == "recycle" || event.pool == (event.rep.hasPrefix("e") ? "east" : "west"), "\(event.rep) claimed from \(event.pool)")
        }
        let perPool = Dictionary(grouping: claimEvents) { "\($0.rep) \($0.pool)" }
        for (key, events) in perPool {
            if key.hasSuffix(" east") { #expect(events.count <= 8, "\(key): \(events.count)") }
            if key.hasSuffix(" west") { #expect(events.count <= 6, "\(key): \(events.count)") }
        }
        let held = Reliability.rows(box.db, "SELECT owner, count(*) AS n FROM leads WHERE owner IS NOT NULL AND pool = 'east' GROUP BY owner")
        #expect(held.allSatisfy { ($0["n"] as Int) <= 10 })
        let total = Reliability.rows(box.db, "SELECT owner, count(*) AS n FROM leads WHERE owner IS NOT NULL GROUP BY owner")
        #expect(total.allSatisfy { ($0["n"] as Int) <= 30 }, "nobody above capacity")
        let check = box.leadpool("check")
        #expect(check.status == 0, "\(check)")
    }
}
