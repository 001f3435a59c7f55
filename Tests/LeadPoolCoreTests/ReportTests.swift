import LeadPoolCore
import Testing

@Suite struct ReportValueTests {
    @Test func hoardingFlagsThreeReclaimsOrAHighReclaimedShare() {
        #expect(HoardingRule.flags(reclaimed: 3, exits: 3))
        #expect(HoardingRule.flags(reclaimed: 3, exits: 40), "three reclaims in the window, whatever else")
        #expect(HoardingRule.flags(reclaimed: 2, exits: 4), "half of four")
        #expect(!HoardingRule.flags(reclaimed: 2, exits: 5))
        #expect(!HoardingRule.flags(reclaimed: 2, exits: 2), "too few exits to judge a share")
        #expect(!HoardingRule.flags(reclaimed: 0, exits: 0))
    }

    @Test func conversionTextShowsTheCounts() {
        #expect(ConversionRate("webinar", converted: 3, closed: 4).text == "3/4 (75%)")
        #expect(ConversionRate(nil, converted: 0, closed: 0).text == "0/0")
        #expect(ConversionRate(nil, converted: 0, closed: 0).rate == nil)
        #expect(ConversionRate(nil, converted: 1, closed: 3).text == "1/3 (33%)")
    }
}
