import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage
import Testing

@testable import LeadPoolStore

@Suite struct ReportStoreTests {
    /// The percentile query over a list of durations given in days.
    static func stats(_ days: [Double]) throws -> DurationStats {
        let queue = try DatabaseQueue()
        let values = days.isEmpty ? "SELECT NULL WHERE 0" : "VALUES " + days.map { "(\($0 * 86_400))" }.joined(separator: ", ")
        return try queue.read { try Store.durationStats($0, seconds: values) }
    }

    @Test func percentilesInterpolateBetweenRanks() throws {
        let one = try Self.stats([4])
        #expect(one == DurationStats(count: 1, medianDays: 4, p90Days: 4))
        let two = try Self.stats([2, 1])
        #expect(two.medianDays == 1.5)
        #expect(abs(two.p90Days! - 1.9) < 1e-9)
        // 1…10: median 5.5, p90 at rank 8.1 → 9.1.
        let ten = try Self.stats((1...10).map(Double.init).shuffled())
        #expect(ten.count == 10)
        #expect(ten.medianDays == 5.5)
        #expect(abs(ten.p90Days! - 9.1) < 1e-9)
        #expect(try Self.stats([]) == DurationStats(count: 0, medianDays: nil, p90Days: nil))
    }

    @Test func percentilesMatchASortedListAtEverySize() throws {
        var rng = SeededGenerator(seed: 42)
        for n in 1...40 {
            let days = (0..<n).map { _ in Double(Int.random(in: 0...1000, using: &rng)) / 10 }
            let sorted = days.sorted()
            func quantile(_ p: Double) -> Double {
                let h = Double(n - 1) * p
                let lo = Int(h.rounded(.down))
                return sorted[lo] + (h - Double(lo)) * (sorted[min(lo + 1, n - 1)] - sorted[lo])
            }
            let stats = try Self.stats(days)
            #expect(stats.count == n)
            #expect(abs(stats.medianDays! - quantile(0.5)) < 1e-6, "n = \(n)")
            #expect(abs(stats.p90Days! - quantile(0.9)) < 1e-6, "n = \(n)")
        }
    }

    @Test func roundsReadTheEnginesSummaryAndSurviveABadOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let store = try Store.create(
            path: directory.appendingPathComponent("db").path,
            firstAdmin: Rep(handle: "ada", name: "Ada", role: .admin, createdAt: now)
        )
        try store.write { db in
            let summaries = [
                #"{"rules":[{"rule":"emea-top","matched":10,"assigned":8,"no_capacity":2}],"reps":[{"handle":"alice","before":3,"given":2,"after":5,"capacity":50}],"fairness":{"spread":0.12,"stddev":0.04}}"#,
                #"{"something":"else"}"#,
                #"{"reps":[{"handle":"bob"}]}"#,
            ]
            for (i, summary) in summaries.enumerated() {
                try db.execute(
                    sql: "INSERT INTO rounds (started_at, clock, actor, assigned, summary) VALUES (?, ?, 'ada', ?, ?)",
                    arguments: [1_795_000_000 + i, 1_795_000_000 + i, i, summary]
                )
            }
        }
        let rounds = try #require(try store.report([.rounds], ruleset: .standard, now: now, roundLimit: 10).rounds)
        #expect(rounds.total == 3)
        #expect(rounds.rounds.map(\.id) == [3, 2, 1])
        #expect(
            rounds.rounds[2].summary
                == RoundSummary(
                    rules: [.init(rule: "emea-top", matched: 10, assigned: 8, noCapacity: 2)],
                    reps: [.init(handle: "alice", before: 3, given: 2, after: 5, capacity: 50)],
                    fairness: .init(spread: 0.12, stddev: 0.04)
                )
        )
        #expect(rounds.rounds[1].summary == RoundSummary(), "unknown keys: an empty summary")
        #expect(rounds.rounds[0].summary == nil, "a rep without `given` is not read")
    }
}
