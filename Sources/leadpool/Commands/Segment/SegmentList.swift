import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.SegmentCommand {
    struct List: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Every segment with its condition and how many leads match now."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        func run(in session: Session) throws {
            guard let stored = try session.store.currentRuleset() else {
                if session.output.json { session.output.print(JSON.array([])) }
                session.output.note("No ruleset has been applied yet, so there are no segments; an admin runs `leadpool rules apply FILE`.")
                return
            }
            let segments = stored.ruleset.segments
            let shown = segments.filter { !stored.ruleset.countIsHidden(segment: $0.name, from: session.actor) }
            let counted = try session.store.countMatching(
                shown.map { .segment($0.name) },
                segments: stored.ruleset.segmentConditions,
                now: session.now
            )
            let counts = Dictionary(zip(shown.map(\.name), counted), uniquingKeysWith: { a, _ in a })
            if session.output.json {
                session.output.print(
                    JSON.array(
                        segments.map { segment -> JSON in
                            let head: [(String, JSON)] = [("name", .string(segment.name)), ("condition", .string(segment.text))]
                            return .object(head + counts[segment.name].countFields)
                        }
                    )
                )
                return
            }
            var table = Table([("SEGMENT", .left), ("LEADS", .right), ("IN POOL", .right), ("CONDITION", .left)])
            for segment in segments {
                let count = counts[segment.name]
                table.add([segment.name, count.map { String($0.leads) } ?? "hidden", count.map { String($0.pooled) } ?? "hidden", segment.text])
            }
            session.output.print(table)
            if counts.count < segments.count { session.output.note(MatchCount.hiddenNote) }
            if segments.isEmpty { session.output.note("Ruleset version \(stored.version) defines no segments.") }
        }
    }
}
