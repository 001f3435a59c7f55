import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadConditions {
    /// Narrows `query` to the tags, and `--where` and `--segment` resolved against the ruleset
    /// in force.
    ///
    /// `--where` errors point into the expression (`--where:1:12: …`, exit 65); an unknown
    /// `--segment` is `notFound` (exit 66) with the nearest name suggested.
    ///
    /// A rep sees the leads of the pools they are a member of (and their own); `--pool` names
    /// pools of the rules file (66 otherwise), and a rep may only name their own (77).
    func narrow(_ query: inout LeadQuery, in session: Session) throws {
        query.tags = tag
        if let (condition, segments) = try Self.condition(where: condition, segment: segment, in: session) {
            query.condition = condition
            query.segments = segments
        }
        try Self.narrow(&query, toPools: pool, in: session)
    }

    /// Narrows `query` to `names` (none: every pool) and, for a rep, to the pools they may see.
    static func narrow(_ query: inout LeadQuery, toPools names: [String], in session: Session) throws {
        let isAdmin = session.actor.role == .admin
        guard !names.isEmpty || !isAdmin else { return }
        let ruleset = try session.ruleset()
        let pools = try names.map { try ruleset.requirePool($0) }
        if !isAdmin, let denial = pools.lazy.compactMap({ $0.denial(to: session.actor) }).first {
            throw LeadPoolError.permission(denial)
        }
        query.pools = names.isEmpty ? ruleset.pools(visibleTo: session.actor) : pools.map(\.name)
        if !isAdmin { query.alsoOwnedBy = session.actor.handle }
    }

    /// `--where` and `--segment` as one condition, with the segment definitions it may use;
    /// nil when neither was given.
    static func condition(
        where text: String?,
        segment: String?,
        in session: Session
    ) throws -> (Condition, [String: Condition])? {
        guard text != nil || segment != nil else { return nil }
        let ruleset = try session.store.currentRuleset()?.ruleset
        var terms: [Condition] = []
        if let segment {
            guard let ruleset else {
                throw LeadPoolError.notFound(
                    "no segment named '\(segment)': no ruleset has been applied yet",
                    hint: "an admin applies one with `leadpool rules apply FILE`"
                )
            }
            terms.append(.segment(try ruleset.requireSegment(segment).name))
        }
        if let text {
            terms.append(
                try Condition.parse(
                    text,
                    origin: .commandLine,
                    knownSegments: Set(ruleset?.segments.map(\.name) ?? [])
                )
            )
        }
        let condition = terms.count == 1 ? terms[0] : .and(terms)
        let segments = ruleset?.segmentConditions ?? [:]
        if let problem = Condition.expansionProblem(condition.expansion(segments: segments)) {
            throw LeadPoolError.badInput(
                "\(text != nil ? "--where" : "--segment"): \(problem)",
                hint: "narrow the condition, or split the work"
            )
        }
        // Contact fields are hidden from reps until they own a lead; a filter on them would
        // reveal them one guess at a time.
        let visibility = ruleset?.visibility ?? Visibility()
        if let read = visibility.firstHiddenRead(in: condition, segments: segments, viewer: session.actor) {
            throw LeadPoolError.permission(
                "filtering on \(read.operand) is for admins: contact details are hidden until you own a lead"
                    + (read.via.isEmpty ? "" : " (read through segment \(read.via.joined(separator: " → ")))")
            )
        }
        try noteUnknownAttributes(in: condition, in: session)
        return (condition, segments)
    }

    /// A note on stderr for each attribute `--where` reads that no lead has, with the nearest
    /// name: a misspelt `attr.*` matches nothing, silently.
    private static func noteUnknownAttributes(in condition: Condition, in session: Session) throws {
        let read = condition.operands.compactMap { operand -> String? in
            if case .attribute(let name) = operand { return name }
            return nil
        }
        // Cheap when the attribute exists (the first lead that has it ends the search); all the
        // names are read only for a name no lead has, to suggest the nearest.
        let unknown = try read.filter { try !session.store.hasAttribute($0) }
        guard !unknown.isEmpty else { return }
        let known = try session.store.attributeNames(LeadQuery(), now: session.now)
        for name in unknown {
            let nearest = NameSuggestion.nearest(to: name, among: known).map { "; did you mean attr.\($0)?" } ?? ""
            session.output.note("note: no lead has attr.\(name), so it matches nothing\(nearest)")
        }
    }
}
