import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.SegmentCommand {
    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "One segment: its condition, how many leads match, by tier."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The segment's name.")
        var name: String

        func run(in session: Session) throws {
            let ruleset = try StoredRuleset.requireCurrent(session.store).ruleset
            let segment = try ruleset.requireSegment(name)
            if ruleset.countIsHidden(segment: segment.name, from: session.actor) {
                if session.output.json {
                    let head: [(String, JSON)] = [("name", .string(segment.name)), ("condition", .string(segment.text))]
                    session.output.print(JSON.object(head + MatchCount?.none.countFields))
                } else {
                    session.output.print(fields: [("segment", segment.name), ("condition", segment.text), ("leads", "hidden"), ("in pool", "hidden")])
                    session.output.note(MatchCount.hiddenNote)
                }
                return
            }
            let query = LeadQuery(condition: .segment(segment.name), segments: ruleset.segmentConditions)
            let count = try session.store.countMatching(
                [.segment(segment.name)],
                segments: ruleset.segmentConditions,
                now: session.now
            )[0]
            let tiers = TierDistribution(
                ruleset: ruleset,
                counts: try session.store.tierCounts(query, expected: ruleset.tiers.map(\.name), now: session.now)
            )
            if session.output.json {
                session.output.print(
                    JSON.object([
                        ("name", .string(segment.name)), ("condition", .string(segment.text)),
                        ("leads", .of(count.leads)), ("pooled", .of(count.pooled)), ("tiers", tiers.json), ("hidden", .array([])),
                    ])
                )
                return
            }
            session.output.print(fields: [
                ("segment", segment.name), ("condition", segment.text),
                ("leads", String(count.leads)), ("in pool", String(count.pooled)),
            ])
            session.output.print("")
            session.output.print(tiers.table)
        }
    }
}
