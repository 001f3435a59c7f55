import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// What `assign` prints, for a dry run or a written round.
struct RoundReport {
    let plan: RoundPlan
    let input: RoundInput
    /// nil for a dry run.
    let written: WrittenRound?
    let scope: RoundScope
    let actor: String
    let now: Date

    init(run: RoundRun, scope: RoundScope, actor: String, now: Date) {
        plan = run.plan
        input = run.input
        written = run.written
        self.scope = scope
        self.actor = actor
        self.now = now
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "-" : "\(Int((Double(part) / Double(whole) * 100).rounded()))%"
    }

    /// The round as written, or as a dry run would write it (no id, times or status: nothing was).
    var round: RoundRecord {
        written?.record
            ?? RoundRecord(
                id: 0,
                startedAt: now,
                finishedAt: nil,
                clock: now,
                actor: actor,
                rulesetVersion: input.ruleset.version,
                status: .running,
                filter: scope.description,
                considered: input.pool.count + input.moves.count,
                assigned: plan.assignments.count,
                unrouted: plan.unrouted.count,
                noCapacity: plan.noCapacity.count,
                skipped: 0,
                summary: RoundSummary(
                    plan: plan,
                    loads: plan.reps,
                    plannedMoves: input.moves.countByRule
                )
            )
    }

    /// Prints the round; human output shows its time on `clock` (the acting rep's zone).
    func print(to output: Output, clock: TeamClock = .utc) {
        let round = round
        let record = written?.record
        if output.json {
            let unwritten: Set<String> = record == nil ? ["id", "started_at", "finished_at", "status"] : []
            let skipped = written?.skipped ?? []
            let assignments = plan.assignments.filter { !skipped.contains($0.leadID) }.map { assignment -> JSON in
                .object([
                    ("id", .int(assignment.leadID)), ("owner", .string(assignment.rep)), ("rule", .string(assignment.rule)),
                    ("reason", .string(assignment.reason.description)),
                ])
            }
            let moves = self.moves.map { move -> JSON in
                .object([("id", .int(move.leadID)), ("pool", .string(move.pool)), ("rule", .string(move.rule))])
            }
            output.print(
                JSON.object(
                    [("dry_run", .bool(record == nil))] + round.jsonFields.map { ($0, unwritten.contains($0) ? .null : $1) }
                        + [("assignments", .array(assignments)), ("moves", .array(moves))]
                )
            )
            return
        }
        var head = record.map { "Round \($0.id)" } ?? "Dry run (nothing written)"
        head += " at \(clock.time(now)), ruleset v\(input.ruleset.version): \(round.considered) pool lead(s) considered, "
        head += "\(round.assigned) assigned, \(round.unrouted) unrouted, \(round.noCapacity) no capacity"
        if let limited = round.summary?.perRoundLimited, limited > 0 { head += ", \(limited) per-round limit" }
        if let moved = round.summary?.moved, moved > 0 { head += ", \(moved) moved to other pools" }
        if round.skipped > 0 { head += ", \(round.skipped) skipped (claimed meanwhile or rep filled up)" }
        output.print(head + "\n")
        guard let shown = round.summary else { return }
        output.print(shown.ruleTable)
        if !plan.unrouted.isEmpty { output.print("\(plan.unrouted.count) lead(s) matched no rule and stay in the pool.\n") }
        if !plan.perRoundLimited.isEmpty {
            output.print(
                "\(plan.perRoundLimited.count) lead(s) stay in the pool because their rule's reps had their per-round share; the next round offers them again.\n"
            )
        }
        output.print(shown.repTable)
        output.print(shown.fairnessLine)
        printMoves(to: output)
    }

    /// The pool moves of `to: pool:P` rules: planned (a dry run) or written.
    var moves: [PoolMove] { written?.moved ?? input.moves }

    private func printMoves(to output: Output) {
        guard !moves.isEmpty else { return }
        var counts: [String: Int] = [:]
        var order: [String] = []
        for move in moves {
            let key = "to pool \(move.pool) by rule '\(move.rule)'"
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        let verb = written == nil ? "would move" : "moved"
        output.print(order.map { "\(verb) \(counts[$0] ?? 0) lead(s) \($0)" }.joined(separator: "\n") + "\n")
    }
}
