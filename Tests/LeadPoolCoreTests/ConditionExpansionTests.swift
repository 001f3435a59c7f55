import Foundation
import LeadPoolCore
import Testing

/// How big a condition is with its segments written out: what decides whether the database can
/// take it.
@Suite struct ConditionExpansionTests {
    private func parse(_ text: String) throws -> Condition { try Condition.parse(text) }

    @Test func termsCountPredicatesAndListValues() throws {
        let condition = try parse(#"industry in ("a", "b", "c") and employees > 5 or not tag("x")"#)
        #expect(condition.expansion(segments: [:]).terms == 5)
    }

    @Test func aLongChainIsShallowAsABalancedTree() throws {
        let chain = try parse((0..<1_000).map { "employees = \($0)" }.joined(separator: " or "))
        // ⌈log₂ 1000⌉ = 10 levels of OR above the predicates.
        let expansion = chain.expansion(segments: [:])
        #expect(expansion.terms == 1_000 && expansion.depth == 11)
        #expect(Condition.expansionProblem(chain.expansion(segments: [:])) == nil)
    }

    @Test func segmentsCountEveryTimeTheyAreUsed() throws {
        var segments: [String: Condition] = ["s40": .constant(true)]
        for i in (0..<40).reversed() { segments["s\(i)"] = .or([.segment("s\(i + 1)"), .segment("s\(i + 1)")]) }
        let expansion = Condition.segment("s0").expansion(segments: segments)
        #expect(expansion.terms == 1 << 40, "measured once per segment, counted every time it is used")
        #expect(Condition.expansionProblem(expansion)?.contains("the most is 20000") == true)
    }

    @Test func segmentChainsAddDepth() throws {
        var segments: [String: Condition] = ["s300": .constant(true)]
        for i in 0..<300 { segments["s\(i)"] = .and([.segment("s\(i + 1)"), .tag("x")]) }
        let expansion = Condition.segment("s0").expansion(segments: segments)
        #expect(expansion.depth == 301)
        #expect(Condition.expansionProblem(expansion)?.contains("nests 301 levels deep") == true)
    }

    @Test func aSegmentLoopIsMeasuredWithoutLooping() {
        let segments: [String: Condition] = ["a": .segment("b"), "b": .segment("a")]
        #expect(Condition.segment("a").expansion(segments: segments).terms == 1)
    }
}
