import LeadPoolCore
import Testing

@Suite struct ReportValueTests {
    @Test func hoardingFlagsHoldingLeadsWithoutWorkingThem() {
        #expect(HoardingRule.flags(idle: 2, held: 2))
        #expect(HoardingRule.flags(idle: 2, held: 4), "half of what the rep holds")
        #expect(HoardingRule.flags(idle: 25, held: 40))
        #expect(!HoardingRule.flags(idle: 2, held: 5), "a few idle leads in a busy book")
        #expect(!HoardingRule.flags(idle: 1, held: 1), "one lead is no pattern")
        #expect(!HoardingRule.flags(idle: 0, held: 0), "holding nothing, whatever was reclaimed before")
    }

    @Test func conversionTextShowsTheCounts() {
        #expect(ConversionRate("webinar", converted: 3, closed: 4).text == "3/4 (75%)")
        #expect(ConversionRate(nil, converted: 0, closed: 0).text == "0/0")
        #expect(ConversionRate(nil, converted: 0, closed: 0).rate == nil)
        #expect(ConversionRate(nil, converted: 1, closed: 3).text == "1/3 (33%)")
    }
}
