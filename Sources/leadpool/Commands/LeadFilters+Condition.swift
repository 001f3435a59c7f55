import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadFilters {
    /// The query with `--where` and `--segment` resolved against the ruleset in force.
    ///
    /// `--where` errors point into the expression (`--where:1:12: …`, exit 65); an unknown
    /// `--segment` is `notFound` (exit 66) with the nearest name suggested.
    func query(defaultSort: LeadQuery.Sort, in session: Session) throws -> LeadQuery {
        var query = plainQuery(defaultSort: defaultSort)
        guard condition != nil || segment != nil else { return query }
        let ruleset = try session.store.currentRuleset()?.ruleset
        var terms: [Condition] = []
        if let segment {
            guard let ruleset else {
                throw LeadPoolError.notFound(
                    "no segment named '\(segment)': no ruleset has been applied yet",
                    hint: "an admin applies one with `leadpool rules apply FILE`")
            }
            terms.append(.segment(try ruleset.requireSegment(segment).name))
        }
        if let condition {
            terms.append(try Condition.parse(
                condition, origin: .commandLine, knownSegments: Set(ruleset?.segments.map(\.name) ?? [])))
        }
        query.condition = terms.count == 1 ? terms[0] : .and(terms)
        query.segments = ruleset?.segmentConditions ?? [:]
        return query
    }
}
