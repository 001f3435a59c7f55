/// How a rule picks one rep among a lead's candidates.
///
/// The raw values are the rules file's spelling.
public enum Strategy: String, Sendable, Codable, CaseIterable {
    /// The next candidate, in handle order, after the rep this rule assigned last.
    case roundRobin = "round-robin"
    /// The lowest held/capacity ratio, then the fewest held, then the first handle.
    case leastLoaded = "least-loaded"
    /// Smooth weighted round-robin by each rep's `weight`.
    case weighted
}

/// Where each rule's strategy left off: what persists from one round to the next.
///
/// Mirrors the `round_robin_positions` and `weighted_totals` tables. Rules that a round
/// does not touch keep their entries unchanged.
public struct StrategyState: Sendable, Equatable, Codable {
    /// Round-robin: rule name → handle of the last rep the rule gave a lead to.
    public var lastAssigned: [String: String]
    /// Weighted: rule name → rep handle → running total. A missing total counts as 0.
    public var weightedTotals: [String: [String: Int]]

    public init(lastAssigned: [String: String] = [:], weightedTotals: [String: [String: Int]] = [:]) {
        self.lastAssigned = lastAssigned
        self.weightedTotals = weightedTotals
    }
}

// MARK: - Handle order

/// Handles sort byte-wise (UTF-8), the same order SQLite's default `BINARY` collation gives,
/// so the planner, the database and a reader of `rep list` agree on "handle order".
@inline(__always)
func handlePrecedes(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
