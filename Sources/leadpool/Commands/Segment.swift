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
            let shown = segments.filter { !stored.ruleset.countIsHidden(segment: $0.name, from: session.actor) }
            let counted = try session.store.countMatching(
                shown.map { .segment($0.name) }, segments: stored.ruleset.segmentConditions, now: session.now)
            let counts = Dictionary(zip(shown.map(\.name), counted), uniquingKeysWith: { a, _ in a })
            if session.output.json {
                session.output.print(JSON.array(segments.map { segment -> JSON in
                    let head: [(String, JSON)] = [("name", .string(segment.name)), ("condition", .string(segment.text))]
                    return .object(head + counts[segment.name].countFields)
                }))
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
                [.segment(segment.name)], segments: ruleset.segmentConditions, now: session.now)[0]
            let tiers = TierDistribution(ruleset: ruleset, counts: try session.store.tierCounts(query, expected: ruleset.tiers.map(\.name), now: session.now))
            if session.output.json {
                session.output.print(JSON.object([
                    ("name", .string(segment.name)), ("condition", .string(segment.text)),
                    ("leads", .of(count.leads)), ("pooled", .of(count.pooled)), ("tiers", tiers.json), ("hidden", .array([])),
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

extension Ruleset {
    /// Whether counting the leads of a segment would tell `viewer` about fields hidden from them:
    /// the segment reads a contact field, directly or through other segments.
    func countIsHidden(segment name: String, from viewer: Rep) -> Bool {
        visibility.firstHiddenRead(in: .segment(name), segments: segmentConditions, viewer: viewer) != nil
    }
}

extension Optional where Wrapped == MatchCount {
    /// `leads` and `pooled`, or, when the count is hidden, neither and a `hidden` array naming them.
    var countFields: [(String, JSON)] {
        switch self {
        case .some(let count): [("leads", .of(count.leads)), ("pooled", .of(count.pooled)), ("hidden", .array([]))]
        case .none: [("hidden", .of(["leads", "pooled"]))]
        }
    }
}

extension MatchCount {
    static let hiddenNote = "Segments that read contact fields show no counts to reps: a count would tell what those fields hold."
}
