import Foundation
import GRDB
import Testing

/// Figures and times the CLI prints are what the database holds, and valid.
@Suite(.bothBackends) struct TrustCorrectnessTests {
    /// A round killed after its batches but before its last transaction, which records the
    /// total: its leads are assigned and their events written, the round row still says 0.
    @Test(.sqliteOnly("inserts rows into the SQLite file with GRDB")) func aRoundStoppedBeforeItFinishedShowsWhatItAssigned() throws {
        let box = try assignSandbox(leads: [("DE", 10), ("DE", 20), ("US", 10)])
        #expect(box.leadpool("--now", "2026-11-02", "assign").status == 0)
        let queue = try DatabaseQueue(path: box.db)
        try queue.write { db in
            try db.execute(sql: "UPDATE rounds SET status = 'incomplete', assigned = 0, finished_at = NULL, summary = NULL WHERE id = 1")
        }
        try queue.close()

        let shown = box.leadpool("rounds", "show", "1")
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("considered 3, assigned 3,"), "\(shown)")
        #expect(shown.stdout.contains("not finished (still running, or stopped): 3 lead(s) assigned so far"), "\(shown)")
        #expect((box.leadpool("--json", "rounds", "show", "1").json as? [String: Any])?["assigned"] as? Int == 3)
        #expect((box.leadpool("--json", "rounds", "list").json as? [[String: Any]])?.first?["assigned"] as? Int == 3)
        let report = box.leadpool("--json", "report", "rounds").json as? [String: Any]
        let line = ((report?["rounds"] as? [String: Any])?["recent"] as? [[String: Any]])?.first
        #expect(line?["assigned"] as? Int == 3, "\(String(describing: report))")
        #expect(box.leadpool("check").status == 0)
    }

    /// A clock near the end of year 9999 is accepted; dates computed past it print as its last
    /// second, never with a five-digit year; a clock an offset pushes past it is refused.
    @Test func timesPastYear9999PrintValidAndTheClockAcceptsWhatPrints() throws {
        let box = try workflowSandbox()
        let now = ["--now", "9999-12-25T00:00:00Z"]
        #expect(box.leadpool(now + ["--as", "alice", "claim", "1"]).status == 0)
        let mine = box.leadpool(now + ["--as", "alice", "--json", "mine"])
        #expect(mine.status == 0, "\(mine)")
        let lead = (mine.json as? [[String: Any]])?.first
        #expect(lead?["reclaim_at"] as? String == "9999-12-31T23:59:59Z", "\(mine)")
        #expect(!box.leadpool(now + ["--as", "alice", "mine"]).stdout.contains("10000-"))

        let pushed = box.leadpool("--now", "9999-12-31T23:59:59-01:00", "rep", "list")
        #expect(pushed.status == 64, "\(pushed)")
        #expect(pushed.stderr.contains("a time from year 0000 to 9999"), "\(pushed)")
        #expect(box.leadpool("--now", "9999-12-31T23:59:59Z", "rep", "list").status == 0)

        // Day limits as large as the rules file takes put the reclaim date ages away.
        let rules = box.path("rules.yaml")
        try "reclaim: { no-activity-days: 9223372036854775807, max-hold-days: 9223372036854775807 }\n"
            .write(toFile: rules, atomically: true, encoding: .utf8)
        #expect(box.leadpool("rules", "apply", rules).status == 0)
        for json in [[], ["--json"]] {
            let far = box.leadpool(json + ["--now", "2026-11-02", "--as", "alice", "mine"])
            #expect(far.status == 0, "\(far)")
            #expect(far.stdout.contains("9999-12-31T23:59:59Z"), "\(far)")
        }
        #expect(box.leadpool("check").status == 0)
    }
}
