// MARK: - Segment references

extension Condition {
    /// The segment names this condition refers to directly, in order of first appearance.
    public var referencedSegments: [String] {
        var names: [String] = []
        collectSegments(into: &names)
        return names
    }

    private func collectSegments(into names: inout [String]) {
        switch self {
        case .segment(let name):
            if !names.contains(name) { names.append(name) }
        case .and(let terms), .or(let terms):
            for term in terms { term.collectSegments(into: &names) }
        case .not(let inner):
            inner.collectSegments(into: &names)
        default:
            break
        }
    }

    /// Checks a set of named segment conditions: every `segment("x")` names one of them, and no
    /// segment reaches itself.
    ///
    /// - Throws: `LeadPoolError.badInput`: `segment loop: a -> b -> a`, or
    ///   `segment 'a' refers to unknown segment 'x'` with the nearest name suggested.
    public static func validateSegments(_ segments: [String: Condition]) throws {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var path: [String] = []

        func visit(_ name: String) throws {
            switch marks[name] {
            case .done?: return
            case .visiting?:
                let cycle = path[path.firstIndex(of: name)!...] + [name]
                throw LeadPoolError.badInput(
                    "segment loop: " + cycle.joined(separator: " -> "),
                    hint: "a segment may not refer to itself, directly or through others"
                )
            case nil: break
            }
            marks[name] = .visiting
            path.append(name)
            for reference in segments[name]?.referencedSegments ?? [] {
                guard segments[reference] != nil else {
                    throw LeadPoolError.badInput(
                        "segment '\(name)' refers to unknown segment '\(reference)'",
                        hint: NameSuggestion.nearest(to: reference, among: segments.keys.sorted())
                            .map { "did you mean '\($0)'?" }
                    )
                }
                try visit(reference)
            }
            path.removeLast()
            marks[name] = .done
        }

        for name in segments.keys.sorted() { try visit(name) }
    }
}

// MARK: - Size once segments are written out

extension Condition {
    /// The most predicates and list values one condition may hold with its segments written out
    /// in place, as the database evaluates it.
    public static let maximumExpandedTerms = 20_000
    /// The deepest one condition may nest with its segments written out, counting each `not`,
    /// and each `and`/`or` as the depth of a balanced tree of its terms. The database refuses
    /// expressions deeper than 1,000 levels, and each level here costs it a few.
    public static let maximumExpandedDepth = 200

    /// How big a condition is with every `segment("x")` replaced by its condition.
    public struct Expansion: Sendable, Equatable {
        /// Predicates and list values.
        public var terms: Int
        /// Nesting, as ``Condition/maximumExpandedDepth`` counts it.
        public var depth: Int
    }

    /// The condition's size with its segments written out; each segment is measured once, so a
    /// segment used many times costs nothing extra to measure however large it grows. A segment
    /// that reaches itself counts as one term (loops are refused by ``validateSegments(_:)``).
    public func expansion(segments: [String: Condition]) -> Expansion {
        var measured: [String: Expansion] = [:]
        var open: Set<String> = []
        return measure(segments, &measured, &open)
    }

    private func measure(
        _ segments: [String: Condition],
        _ measured: inout [String: Expansion],
        _ open: inout Set<String>
    )
        -> Expansion
    {
        switch self {
        case .and(let terms), .or(let terms):
            var total = Expansion(terms: 0, depth: 0)
            for term in terms {
                let inner = term.measure(segments, &measured, &open)
                total.terms = Self.saturatingSum(total.terms, inner.terms)
                total.depth = max(total.depth, inner.depth)
            }
            // ⌈log₂ n⌉ levels of binary operators above the deepest term.
            total.depth += terms.count > 1 ? Int.bitWidth - (terms.count - 1).leadingZeroBitCount : 0
            return total
        case .not(let inner):
            var expansion = inner.measure(segments, &measured, &open)
            expansion.depth += 1
            return expansion
        case .oneOf(_, let values, _):
            return Expansion(terms: max(1, values.count), depth: 1 + (values.count > 1 ? Int.bitWidth - (values.count - 1).leadingZeroBitCount : 0))
        case .segment(let name):
            if let known = measured[name] { return known }
            guard let condition = segments[name], open.insert(name).inserted else { return Expansion(terms: 1, depth: 1) }
            let expansion = condition.measure(segments, &measured, &open)
            open.remove(name)
            measured[name] = expansion
            return expansion
        default:
            return Expansion(terms: 1, depth: 1)
        }
    }

    /// A measured size as a number, or words when it has grown past counting sensibly.
    public static func count(_ terms: Int) -> String {
        terms < 1_000_000_000 ? String(terms) : "over a billion"
    }

    private static func saturatingSum(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// Refuses a condition too large for the database once its segments are written out.
    ///
    /// - Throws: `LeadPoolError.badInput` naming the size and the limit.
    public func checkExpansion(segments: [String: Condition]) throws {
        let expansion = expansion(segments: segments)
        if let problem = Self.expansionProblem(expansion) {
            throw LeadPoolError.badInput(problem, hint: "narrow the condition, or use fewer or smaller segments in it")
        }
    }

    /// What is too large about `expansion`, or nil when it fits.
    public static func expansionProblem(_ expansion: Expansion) -> String? {
        if expansion.terms > maximumExpandedTerms {
            return
                "the condition holds \(count(expansion.terms)) predicates and list values with its segments written out; the most is \(maximumExpandedTerms)"
        }
        if expansion.depth > maximumExpandedDepth {
            return "the condition nests \(expansion.depth) levels deep with its segments written out; the most is \(maximumExpandedDepth)"
        }
        return nil
    }
}
