import Foundation

/// Scores leads against a ruleset's ICP at one instant: pure, no database.
///
/// The score is the sum of the points of the criteria a lead meets, clamped to 0–100; the tier
/// is the first band (best first) whose minimum the score reaches. `LeadPoolStore` computes the
/// same figures in SQL for whole tables; both must agree.
public struct LeadScorer: Sendable {
    public let ruleset: Ruleset
    public let context: ConditionContext

    public init(ruleset: Ruleset, now: Date) {
        self.ruleset = ruleset
        self.context = ruleset.conditionContext(now: now)
    }

    /// Criterion by criterion, for `explain`.
    public func breakdown(_ lead: Lead) -> ScoreBreakdown {
        let lines = ruleset.icp.map { criterion in
            ScoreBreakdown.Line(criterion: criterion, met: criterion.when.matches(lead, in: context))
        }
        let sum = lines.reduce(0) { $0 + $1.earned }
        let score = Self.clamp(sum)
        return ScoreBreakdown(lines: lines, sum: sum, score: score, tier: ruleset.tier(for: score))
    }

    /// The score and tier alone.
    public func score(_ lead: Lead) -> (score: Int, tier: String) {
        var sum = 0
        for criterion in ruleset.icp where criterion.when.matches(lead, in: context) { sum += criterion.points }
        let score = Self.clamp(sum)
        return (score, ruleset.tier(for: score))
    }

    /// A score is 0–100 whatever the criteria add up to.
    public static func clamp(_ sum: Int) -> Int { min(100, max(0, sum)) }
}

/// How a lead's score comes about.
public struct ScoreBreakdown: Sendable, Equatable {
    /// One ICP criterion, met or not.
    public struct Line: Sendable, Equatable {
        public var criterion: Ruleset.Criterion
        public var met: Bool
        /// The criterion's points when met, else 0.
        public var earned: Int { met ? criterion.points : 0 }
    }

    /// In the ICP's order.
    public var lines: [Line]
    /// The points earned before clamping.
    public var sum: Int
    /// `sum` clamped to 0–100.
    public var score: Int
    public var tier: String
}
