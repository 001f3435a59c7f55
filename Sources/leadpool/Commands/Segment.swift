import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadPool {
    struct SegmentCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "segment",
            abstract: "The ruleset's segments, with live counts.",
            subcommands: [List.self, Show.self])
    }
}

extension LeadPool.SegmentCommand {
    struct List: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Every segment with its condition and how many leads match now.")
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
            let counts = try session.store.countMatching(
                segments.map { .segment($0.name) }, segments: stored.ruleset.segmentConditions, now: session.now)
            if session.output.json {
                session.output.print(JSON.array(zip(segments, counts).map { segment, count in
                    .object([
                        ("name", .string(segment.name)), ("condition", .string(segment.text)),
                        ("leads", .of(count.leads)), ("pooled", .of(count.pooled)),
                    ])
                }))
                return
            }
            var table = Table([("SEGMENT", .left), ("LEADS", .right), ("IN POOL", .right), ("CONDITION", .left)])
            for (segment, count) in zip(segments, counts) {
                table.add([segment.name, String(count.leads), String(count.pooled), segment.text])
            }
            session.output.print(table)
            if segments.isEmpty { session.output.note("Ruleset version \(stored.version) defines no segments.") }
        }
    }

    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One segment: its condition, how many leads match, by tier.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The segment's name.")
        var name: String

        func run(in session: Session) throws {
            let ruleset = try StoredRuleset.requireCurrent(session.store).ruleset
            let segment = try ruleset.requireSegment(name)
            let query = LeadQuery(condition: .segment(segment.name), segments: ruleset.segmentConditions)
            let count = try session.store.countMatching(
                [.segment(segment.name)], segments: ruleset.segmentConditions, now: session.now)[0]
            let tiers = TierDistribution(ruleset: ruleset, counts: try session.store.tierCounts(query, expected: ruleset.tiers.map(\.name), now: session.now))
            if session.output.json {
                session.output.print(JSON.object([
                    ("name", .string(segment.name)), ("condition", .string(segment.text)),
                    ("leads", .of(count.leads)), ("pooled", .of(count.pooled)), ("tiers", tiers.json),
                ]))
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
