import Foundation
import LeadPoolCore
import Testing

/// Times print as ISO-8601 with four-digit years, and parse exactly the instants that print back.
@Suite struct TimestampTests {
    @Test func theFirstAndLastFourDigitYearInstantsRoundTrip() {
        for text in ["0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2026-11-23T09:00:00Z", "9999-12-31T23:59:59Z"] {
            let date = Timestamp.parse(text)
            #expect(date.map(Timestamp.string) == text)
        }
    }

    @Test func anOffsetThatLeavesTheFourDigitYearsIsRefused() {
        #expect(Timestamp.parse("9999-12-31T23:59:59-01:00") == nil)
        #expect(Timestamp.parse("0000-01-01T00:30:00+01:00") == nil)
        #expect(Timestamp.parse("9999-12-31T22:59:59-01:00").map(Timestamp.string) == "9999-12-31T23:59:59Z")
    }

    @Test func aTimePastYear9999PrintsAsItsLastSecondAndNeverTraps() {
        let last = "9999-12-31T23:59:59Z"
        let latest = Timestamp.parse(last)!
        // A reclaim date 14 days after a clock near the end, and ever further ones.
        for date in [latest.addingTimeInterval(14 * 86_400), Date(timeIntervalSince1970: 1e15), Date(timeIntervalSince1970: 1e30)] {
            #expect(Timestamp.string(date) == last)
            #expect(Timestamp.day(date) == "9999-12-31")
        }
        #expect(Timestamp.string(Date(timeIntervalSince1970: -1e30)) == "0000-01-01T00:00:00Z")
        #expect(Timestamp.span(1e30).hasPrefix("694444444444d"), "bounded, not trapping")
    }
}
