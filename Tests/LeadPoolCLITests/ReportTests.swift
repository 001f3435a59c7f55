import Foundation
import GRDB
import Testing

/// A hand-built database at `ReportTests.now` (2026-11-20T12:00Z), every figure worked out below.
///
/// Leads 1–2 imported 2026-08-01 (source list; DE, FR), 3–8 on 2026-11-01 (DE webinar, FR
/// tradeshow, US tradeshow, US no source, DE webinar, AT webinar). The ICP gives DE 85 points
/// (tier A), everyone else D; segment dach = DE, AT, CH; defaults capacity 40; idle from 11 days.
/// - alice (capacity 3): claims 3, 4 on 11-02 10:00, touches 3 a day later, converts it on 11-05.
/// - bob: claims 5, 6, 7 on 11-10, touches 5 at 12:00, releases 7 on 11-11, disqualifies 5 on
///   11-12, touches 6 on 11-18, claims 1 on 11-20 09:00.
/// - three `reclaimed` events from alice in November, and two rounds, inserted as reclaim and
///   the engine write them.
func reportSandbox() throws -> Sandbox {
    let box = Sandbox()
    box.initialized()
    func run(_ now: String, _ arguments: String...) {
        let result = box.leadpool(["--now", now] + arguments)
        precondition(result.status == 0, "\(arguments): \(result)")
    }
    run("2026-07-01", "rep", "add", "alice", "--name", "Alice", "--capacity", "3")
    run("2026-07-01", "rep", "add", "bob", "--name", "<b>Bob & Co</b>")
    try """
    defaults: { capacity: 40, daily-limit: 20 }
    icp:
      - { name: germany, when: 'country = "DE"', points: 85 }
    segments:
      dach: 'country in ("DE", "AT", "CH")'
    reclaim: { no-activity-days: 14, warn-days: 3 }
    """.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
    run("2026-07-01", "rules", "apply", box.path("rules.yaml"))
    try "Company,Country,Lead Source\nOld One,DE,list\nOld Two,FR,list\n"
        .write(toFile: box.path("old.csv"), atomically: true, encoding: .utf8)
    try """
    Company,Country,Lead Source
    Three,DE,webinar
    Four,FR,tradeshow
    Five,US,tradeshow
    Six,US,
    Seven,DE,webinar
    Eight,AT,webinar

    """.write(toFile: box.path("new.csv"), atomically: true, encoding: .utf8)
    run("2026-08-01T00:00:00Z", "import", box.path("old.csv"))
    run("2026-11-01T00:00:00Z", "import", box.path("new.csv"))
    run("2026-11-02T10:00:00Z", "--as", "alice", "claim", "3", "4")
    run("2026-11-03T10:00:00Z", "--as", "alice", "touch", "3")
    run("2026-11-05T10:00:00Z", "--as", "alice", "convert", "3")
    run("2026-11-10T00:00:00Z", "--as", "bob", "claim", "5", "6", "7")
    run("2026-11-10T12:00:00Z", "--as", "bob", "touch", "5")
    run("2026-11-11T00:00:00Z", "--as", "bob", "release", "7", "--reason", "wrong fit")
    run("2026-11-12T00:00:00Z", "--as", "bob", "disqualify", "5", "--reason", "no budget")
    run("2026-11-18T00:00:00Z", "--as", "bob", "touch", "6")
    run("2026-11-20T09:00:00Z", "--as", "bob", "claim", "1")
    // Reclaims and rounds the report reads, written as the store would have written them.
    var statements: [String] = []
    for (lead, day) in [(2, 5), (8, 12), (2, 19)] {
        let at = ReportTests.seconds("2026-11-\(String(format: "%02d", day))T01:00:00Z")
        statements.append("INSERT INTO events (lead_id, at, actor, kind, from_owner) VALUES (\(lead), \(at), 'system', 'reclaimed', 'alice')")
    }
    let summary = """
        '{"rules":[{"rule":"emea-top","matched":10,"assigned":8,"no_capacity":2}],\
        "reps":[{"handle":"alice","before":3,"given":2,"after":5,"capacity":50},{"handle":"bob","before":1,"given":6,"after":7,"capacity":50}],\
        "fairness":{"spread":0.12,"stddev":0.04}}'
        """
    for (clock, assigned, summary) in [("2026-11-15T06:00:00Z", 5, "NULL"), ("2026-11-19T06:00:00Z", 8, summary)] {
        let at = ReportTests.seconds(clock)
        statements.append(
            """
            INSERT INTO rounds (started_at, finished_at, clock, actor, ruleset_version, status,
                                considered, assigned, unrouted, no_capacity, skipped, summary)
            VALUES (\(at), \(at), \(at), 'admin', 1, 'complete', 12, \(assigned), 1, 2, 1, \(summary))
            """
        )
    }
    try Reliability.execute(box.db, statements)
    return box
}

@Suite(.bothBackends) struct ReportTests {
    static let now = "2026-11-20T12:00:00Z"

    static func seconds(_ iso: String) -> Int64 {
        Int64(ISO8601DateFormatter().date(from: iso)!.timeIntervalSince1970)
    }

    static func json(_ box: Sandbox, _ arguments: String...) -> [String: Any] {
        let run = box.leadpool(["--now", now, "--json", "report"] + arguments)
        #expect(run.status == 0, "\(run)")
        return run.json as? [String: Any] ?? [:]
    }

    /// `[group: count]` from a breakdown's array of objects.
    static func counts(_ value: Any?, key: String, count: String = "leads") -> [String: Int] {
        Dictionary(
            uniqueKeysWithValues: (value as? [[String: Any]] ?? []).map {
                (($0[key] as? String) ?? "(none)", $0[count] as? Int ?? -1)
            }
        )
    }

    @Test func poolCountsOpenUnownedLeadsByTierSegmentSourceAndAge() throws {
        let box = try reportSandbox()
        let pool = Self.json(box, "pool")["pool"] as? [String: Any] ?? [:]
        // Pool: 2 (FR, list, 111 days), 7 (DE, webinar, released), 8 (AT, webinar).
        #expect(pool["leads"] as? Int == 3)
        let tiers = pool["by_tier"] as? [[String: Any]] ?? []
        #expect(tiers.map { $0["tier"] as? String } == ["A", "B", "C", "D"], "every tier, in the ruleset's order")
        #expect(Self.counts(tiers, key: "tier") == ["A": 1, "B": 0, "C": 0, "D": 2])
        #expect(Self.counts(pool["by_segment"], key: "segment") == ["dach": 2])
        #expect(Self.counts(pool["by_source"], key: "source") == ["webinar": 2, "list": 1])
        let ages = pool["by_age"] as? [[String: Any]] ?? []
        #expect(ages.map { $0["age_days"] as? String } == ["0-7", "8-30", "31-90", "91+"])
        #expect(Self.counts(ages, key: "age_days") == ["0-7": 0, "8-30": 2, "31-90": 0, "91+": 1])
    }

    @Test func repsShowLoadActivityIdleLeadsAndHoarding() throws {
        let box = try reportSandbox()
        let section = Self.json(box, "reps")["reps"] as? [String: Any] ?? [:]
        #expect(section["idle_threshold_days"] as? Int == 11)
        let reps = Dictionary(uniqueKeysWithValues: (section["by_rep"] as? [[String: Any]] ?? []).map { ($0["handle"] as! String, $0) })
        let alice = try #require(reps["alice"])
        #expect(alice["held"] as? Int == 1)
        #expect(alice["capacity"] as? Int == 3)
        #expect(alice["capacity_is_default"] as? Bool == false)
        #expect(alice["claimed_today"] as? Int == 0)
        #expect(alice["touches_7d"] as? Int == 0)
        #expect(alice["idle"] as? Int == 1, "lead 4: untouched since 11-02, 18 days")
        #expect(alice["converted"] as? Int == 1)
        #expect(alice["reclaimed"] as? Int == 3)
        #expect(alice["reclaimed_30d"] as? Int == 3)
        #expect(alice["hoarding"] as? Bool == false, "one idle lead of one held is no pattern, whatever was reclaimed")
        let bob = try #require(reps["bob"])
        #expect(bob["held"] as? Int == 2)
        #expect(bob["capacity"] as? Int == 40, "the ruleset's default")
        #expect(bob["capacity_is_default"] as? Bool == true)
        #expect(bob["claimed_today"] as? Int == 1)
        #expect(bob["touches_7d"] as? Int == 1)
        #expect(bob["idle"] as? Int == 0)
        #expect(bob["disqualified"] as? Int == 1)
        #expect(bob["released"] as? Int == 1)
        #expect(bob["exits_30d"] as? Int == 2)
        #expect(bob["hoarding"] as? Bool == false)

        let table = box.leadpool("--now", Self.now, "report", "reps")
        #expect(table.status == 0)
        #expect(table.stdout.contains("IDLE ≥11D"))
        #expect(!table.stdout.split(separator: "\n").contains { $0.contains("hoarding") && !$0.contains("Hoarding:") })
    }

    @Test func conversionShowsConvertedOverClosedWithCounts() throws {
        let box = try reportSandbox()
        let conversion = Self.json(box, "conversion")["conversion"] as? [String: Any] ?? [:]
        let overall = conversion["overall"] as? [String: Any] ?? [:]
        #expect(overall["converted"] as? Int == 1)
        #expect(overall["closed"] as? Int == 2)
        #expect(overall["rate"] as? Double == 0.5)
        #expect(Self.counts(conversion["by_source"], key: "source", count: "closed") == ["webinar": 1, "tradeshow": 1])
        #expect(Self.counts(conversion["by_source"], key: "source", count: "converted") == ["webinar": 1, "tradeshow": 0])
        #expect(Self.counts(conversion["by_segment"], key: "segment", count: "converted") == ["dach": 1])
        #expect(Self.counts(conversion["by_tier"], key: "tier", count: "closed") == ["A": 1, "B": 0, "C": 0, "D": 1])
        #expect(Self.counts(conversion["by_rep"], key: "handle", count: "converted") == ["alice": 1, "bob": 0])
        let table = box.leadpool("--now", Self.now, "report", "conversion").stdout
        #expect(table.contains("overall 1/2 (50%)"))
        #expect(table.contains("1/1 (100%)"))
        #expect(table.contains("0/1 (0%)"))
    }

    @Test func agingGivesMediansAndNinetiethPercentilesInDays() throws {
        let box = try reportSandbox()
        let aging = Self.json(box, "aging")["aging"] as? [String: Any] ?? [:]
        func stats(_ key: String) -> (Int?, Double?, Double?) {
            let s = aging[key] as? [String: Any] ?? [:]
            return (s["count"] as? Int, (s["median_days"] as? NSNumber)?.doubleValue, (s["p90_days"] as? NSNumber)?.doubleValue)
        }
        // First owners after 1.4167 (3, 4), 9 (5, 6, 7) and 111.375 days (1).
        let first = stats("to_first_owner")
        #expect(first.0 == 6)
        #expect(abs((first.1 ?? 0) - 9) < 1e-9)
        #expect(abs((first.2 ?? 0) - 60.1875) < 1e-9)
        // First touches 1 (3), 0.5 (5) and 8 days (6) after the claim.
        let touch = stats("claim_to_first_touch")
        #expect(touch.0 == 3)
        #expect(abs((touch.1 ?? 0) - 1) < 1e-9)
        #expect(abs((touch.2 ?? 0) - 6.6) < 1e-9)
        let conversion = stats("claim_to_conversion")
        #expect(conversion.0 == 1)
        #expect(abs((conversion.1 ?? 0) - 3) < 1e-9)
        #expect(abs((conversion.2 ?? 0) - 3) < 1e-9)
    }

    @Test func roundsListTheRecentRoundsWithTheEnginesSummary() throws {
        let box = try reportSandbox()
        let section = Self.json(box, "rounds")["rounds"] as? [String: Any] ?? [:]
        #expect(section["total"] as? Int == 2)
        let rounds = section["recent"] as? [[String: Any]] ?? []
        #expect(rounds.map { $0["id"] as? Int } == [2, 1], "newest first")
        let latest = try #require(rounds.first)
        #expect(latest["now"] as? String == "2026-11-19T06:00:00Z", "the round's clock, as `rounds show` names it")
        let summary = latest["summary"] as? [String: Any]
        #expect(latest["assigned"] as? Int == 8)
        #expect(latest["no_capacity"] as? Int == 2)
        #expect(latest["ruleset_version"] as? Int == 1)
        #expect((summary?["fairness"] as? [String: Any])?["spread"] as? Double == 0.12)
        #expect(Self.counts(summary?["reps"], key: "handle", count: "given") == ["alice": 2, "bob": 6])
        #expect(rounds.last?["summary"] is NSNull, "a round without a summary")
        let limited = Self.json(box, "rounds", "--limit", "1")["rounds"] as? [String: Any]
        #expect((limited?["recent"] as? [Any])?.count == 1)
        let table = box.leadpool("--now", Self.now, "report", "rounds").stdout
        #expect(table.contains("alice 2, bob 6"))
    }

    @Test func allSectionsByDefaultInOneJSONDocument() throws {
        let box = try reportSandbox()
        let document = Self.json(box)
        #expect(Set(document.keys) == ["now", "pool", "reps", "conversion", "aging", "rounds", "sla"])
        #expect(document["now"] as? String == Self.now)
        let formatJSON = box.leadpool("--now", Self.now, "report", "pool", "--format", "json")
        #expect((formatJSON.json as? [String: Any])?.keys.sorted() == ["now", "pool"])
        let table = box.leadpool("--now", Self.now, "report")
        #expect(table.status == 0)
        for heading in ["POOL:", "REPS:", "CONVERSION:", "AGING:", "ROUNDS:"] { #expect(table.stdout.contains(heading)) }
    }

    @Test func csvHasAHeaderAndOneRowPerGroup() throws {
        let box = try reportSandbox()
        let pool = box.leadpool("--now", Self.now, "report", "pool", "--format", "csv")
        #expect(pool.status == 0, "\(pool)")
        let lines = pool.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "dimension,group,leads")
        // 4 tiers + 1 segment + 2 sources + 4 age bands + 1 pool (`main`, by pool: SPEC's report pool).
        #expect(lines.count == 1 + 12)
        #expect(
            lines.contains(
                "pool,main,\(lines.filter { $0.hasPrefix("age_days,") }.compactMap { Int($0.split(separator: ",").last ?? "") }.reduce(0, +))"
            )
        )
        #expect(lines.contains("source,webinar,2"))
        #expect(lines.contains("age_days,91+,1"))
        let reps = box.leadpool("--now", Self.now, "report", "reps", "--format", "csv").stdout
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(reps.first?.hasPrefix("handle,name,active,held,capacity") == true)
        #expect(reps.count == 1 + 3, "header, then the admin, alice and bob")
        #expect(reps.contains { $0.hasPrefix("bob,<b>Bob & Co</b>,true,2,40,") })
        let aging = box.leadpool("--now", Self.now, "report", "aging", "--format", "csv").stdout
        #expect(aging.hasPrefix("step,count,median_days,p90_days\r\nto_first_owner,6,9.0000,60.1875\r\n"))
    }

    @Test func csvNeedsExactlyOneSection() throws {
        let box = try reportSandbox()
        #expect(box.leadpool("report", "--format", "csv").status == 64)
        #expect(box.leadpool("report", "pool", "reps", "--format", "csv").status == 64)
        #expect(box.leadpool("report", "pool", "pool", "--format", "csv").status == 0, "the same section twice is one")
        #expect(box.leadpool("report", "nonsense").status == 64)
        #expect(box.leadpool("report", "rounds", "--limit", "0").status == 64)
    }

    @Test func htmlIsOneSelfContainedFileWithChartsAndEscapedText() throws {
        let box = try reportSandbox()
        let file = box.path("report.html")
        let run = box.leadpool("--now", Self.now, "report", "--format", "html", "-o", file)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: file + ".partial"))
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("http://") && !html.contains("https://"), "nothing fetched")
        #expect(!html.contains("<script") && !html.contains("<link"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 4, "load, tier, age and conversion charts")
        #expect(html.contains("@media print") && html.contains("break-before: page"))
        #expect(html.contains("&lt;b&gt;Bob &amp; Co&lt;/b&gt;"))
        #expect(!html.contains("<b>Bob"))
        for id in ["pool", "reps", "conversion", "aging", "rounds"] { #expect(html.contains("<section id=\"\(id)\">")) }
    }

    @Test func conversionCSVAndHTMLCountDisqualificationsAndReleasesPerReason() throws {
        let box = try reportSandbox()  // bob released 7 "wrong fit", disqualified 5 "no budget"
        #expect(box.leadpool("--now", Self.now, "--as", "bob", "disqualify", "6", "--reason", "No Budget").status == 0)
        #expect(box.leadpool("--now", Self.now, "--as", "bob", "release", "1", "--reason", "<ask> & see").status == 0)

        let csv = box.leadpool("--now", Self.now, "report", "conversion", "--format", "csv")
        #expect(csv.status == 0, "\(csv)")
        let lines = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "dimension,group,converted,closed,rate,leads")
        #expect(lines.contains("overall,,1,3,0.3333,"), "\(lines)")
        // Most first, then by name; reasons that differ only by case are one.
        #expect(lines.suffix(3) == ["disqualify_reason,No Budget,,,,2", "release_reason,<ask> & see,,,,1", "release_reason,wrong fit,,,,1"])

        let file = box.path("conversion.html")
        #expect(box.leadpool("--now", Self.now, "report", "conversion", "--format", "html", "-o", file).status == 0)
        let html = try String(contentsOfFile: file, encoding: .utf8)
        guard let start = html.range(of: "<section id=\"reasons\">") else {
            Issue.record("no reasons section: \(html)")
            return
        }
        let reasons = String(html[start.lowerBound...]).components(separatedBy: "</section>")[0]
        #expect(reasons.contains("2 disqualification(s) and 2 release(s)"), "\(reasons)")
        #expect(reasons.components(separatedBy: "<svg").count - 1 == 2, "a bar chart for each")
        #expect(reasons.contains("<figcaption>Disqualified by reason</figcaption>"))
        #expect(reasons.contains("<figcaption>Released by reason</figcaption>"))
        #expect(reasons.contains("<td>No Budget</td><td class=\"n\">2</td><td class=\"n\">100%</td>"), "\(reasons)")
        #expect(reasons.contains("<td>wrong fit</td><td class=\"n\">1</td><td class=\"n\">50%</td>"))
        #expect(reasons.contains("&lt;ask&gt; &amp; see") && !reasons.contains("<ask>"), "escaped")
        #expect(html.range(of: "<section id=\"conversion\">")!.lowerBound < start.lowerBound, "right after conversion")

        // Nothing given yet: the section says so.
        let empty = Sandbox()
        empty.initialized()
        let none = empty.leadpool("report", "conversion", "--format", "html").stdout
        #expect(none.contains("No disqualifications yet.") && none.contains("No releases yet."), "\(none)")
        let emptyCSV = empty.leadpool("report", "conversion", "--format", "csv").stdout
        #expect(emptyCSV.hasPrefix("dimension,group,converted,closed,rate,leads\r\noverall,,0,0,,\r\n"))
        #expect(!emptyCSV.contains("_reason"), "\(emptyCSV)")
    }

    @Test func reportIsForAdmins() throws {
        let box = try reportSandbox()
        let run = box.leadpool("--as", "bob", "report", env: ["LEADPOOL_USER": "bob"])
        #expect(run.status == 77, "\(run)")
    }

    @Test func emptyDatabaseReportsZerosNotErrors() throws {
        let box = Sandbox()
        box.initialized()
        let document = box.leadpool("--json", "report").json as? [String: Any]
        let pool = document?["pool"] as? [String: Any]
        #expect(pool?["leads"] as? Int == 0)
        let aging = (document?["aging"] as? [String: Any])?["to_first_owner"] as? [String: Any]
        #expect(aging?["count"] as? Int == 0)
        #expect(aging?["median_days"] is NSNull)
        #expect(box.leadpool("report").status == 0)
        #expect(box.leadpool("report", "--format", "html").stdout.contains("<svg"))
    }
}
