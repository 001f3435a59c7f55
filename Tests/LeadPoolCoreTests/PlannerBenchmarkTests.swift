import Foundation
import LeadPoolCore
import Testing

/// Times one round over a million generated leads and 1,000 reps. Off by default; run by hand,
/// once, in a release build:
///
///     LEADPOOL_BENCH=1 swift test -c release --filter PlannerBenchmarkTests
struct PlannerBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["LEADPOOL_BENCH"] != nil))
    func millionLeadsThousandReps() throws {
        var random = SeededGenerator(seed: 42)
        let now = Fixture.now
        let countries = (0..<30).map { "C\($0)" }
        let regions = (0..<50).map { "R\($0)" }
        let handles = (0..<1_000).map { String(format: "rep%04d", $0) }
        let reps = handles.enumerated().map { i, handle in
            PlannerRep(
                handle: handle,
                active: i % 97 != 0,
                awayUntil: i % 89 == 0 ? now.addingTimeInterval(86_400) : nil,
                capacity: 1_000 + i % 1_000,
                held: i % 300,
                weight: 1 + i % 5,
                territories: [countries[i % 30], regions[i % 50]]
            )
        }
        func team(_ n: Int) -> [String] { Array(handles[(n * 50)..<(n * 50 + 50)]) }
        let rules = [
            PlannerRule(name: "emea-top", strategy: .leastLoaded, reps: team(0) + team(1), territory: true),
            PlannerRule(name: "sdr", strategy: .roundRobin, reps: team(2)),
            PlannerRule(name: "partners", strategy: .weighted, reps: team(3)),
            PlannerRule(name: "all-least-loaded", strategy: .leastLoaded, reps: handles),
            PlannerRule(name: "all-round-robin", strategy: .roundRobin, reps: handles),
            PlannerRule(name: "all-territory", strategy: .roundRobin, reps: handles, territory: true),
            PlannerRule(name: "all-weighted", strategy: .weighted, reps: handles),
        ]
        let leads = (1...1_000_000).map { id -> PoolLead in
            let previous = Int.random(in: 0..<10, using: &random) == 0 ? handles.randomElement(using: &random) : nil
            let ruleDraw = Int.random(in: 0..<20, using: &random)
            return PoolLead(
                id: Int64(id),
                score: Int.random(in: 0...100, using: &random),
                createdAt: now.addingTimeInterval(-Double(Int.random(in: 0..<31_536_000, using: &random))),
                country: countries.randomElement(using: &random),
                region: regions.randomElement(using: &random),
                previousOwner: previous,
                releasedAt: previous.map { _ in now.addingTimeInterval(-Double(Int.random(in: 0..<1_209_600, using: &random))) },
                // 5% unrouted; "all-weighted" (O(1,000) per pick) gets 5%, the others about 15% each.
                matchedRule: ruleDraw == 0 ? nil : ruleDraw == 1 ? 6 : ruleDraw % 6
            )
        }
        let planner = RoundPlanner(rules: rules, reps: reps, cooldownDays: 7, now: now)

        let clock = ContinuousClock()
        var plan: RoundPlan?
        let elapsed = try clock.measure { plan = try planner.plan(leads, state: StrategyState()) }
        let result = try #require(plan)
        print(
            """
            planner benchmark: \(leads.count) leads, \(reps.count) reps, \(rules.count) rules: \(elapsed)
              assigned \(result.assignments.count), no capacity \(result.noCapacity.count), unrouted \(result.unrouted.count)
              fairness spread \(result.fairness.spread), sd \(result.fairness.standardDeviation) over \(result.fairness.reps) reps
              peak memory of the test process (VmHWM): \(Self.peakMemory())
            """
        )
        for tally in result.rules { print("  \(tally)") }
        // After the peak memory reading: this copies the leads.
        let sorting = clock.measure { _ = RoundPlanner.processingOrder(leads) }
        print("  ordering alone (sort + copy of the leads): \(sorting)")
    }

    static func peakMemory() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "n/a" }
        return status.split(separator: "\n").first { $0.hasPrefix("VmHWM") }.map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) }
            ?? "n/a"
    }
}
