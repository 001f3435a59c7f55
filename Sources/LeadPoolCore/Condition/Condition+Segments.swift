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
                    hint: "a segment may not refer to itself, directly or through others")
            case nil: break
            }
            marks[name] = .visiting
            path.append(name)
            for reference in segments[name]?.referencedSegments ?? [] {
                guard segments[reference] != nil else {
                    throw LeadPoolError.badInput(
                        "segment '\(name)' refers to unknown segment '\(reference)'",
                        hint: NameSuggestion.nearest(to: reference, among: segments.keys.sorted())
                            .map { "did you mean '\($0)'?" })
                }
                try visit(reference)
            }
            path.removeLast()
            marks[name] = .done
        }

        for name in segments.keys.sorted() { try visit(name) }
    }
}
