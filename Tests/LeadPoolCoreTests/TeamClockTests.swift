import Foundation
import LeadPoolCore
import Testing

/// Local days, dates and times in real zones: daylight-saving switch days last 23 or 25 hours,
/// and an instant just before or after local midnight falls in the right day.
@Suite struct TeamClockTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }
    static let berlin = TeamClock(named: "Europe/Berlin")!
    static let newYork = TeamClock(named: "America/New_York")!
    static let shanghai = TeamClock(named: "Asia/Shanghai")!

    @Test func ianaNamesAreTakenAndAbbreviationsOffsetsAndTyposRefused() {
        for name in ["UTC", "Etc/UTC", "Asia/Shanghai", "Europe/Berlin", "America/New_York", "America/Argentina/Buenos_Aires", "Etc/GMT-8"] {
            #expect(TeamClock(named: name)?.name == name, "\(name)")
        }
        for name in ["", "EST", "CET", "GMT+8", "+08:00", "asia/shanghai", "Mars/Olympus", " Asia/Shanghai", "Asia//Shanghai"] {
            #expect(TeamClock(named: name) == nil, "\(name)")
        }
        #expect(TeamClock.check("Asia/Shangai")?.hint == "did you mean 'Asia/Shanghai'?")
        #expect(TeamClock.check("EST")?.message == "unknown time zone 'EST'")
        #expect(throws: LeadPoolError.self) { try TeamClock.named("Europe/Berlinn", option: "--timezone") }
    }

    @Test func utcIsTodaysBehaviour() {
        let utc = TeamClock.utc
        #expect(utc.isUTC)
        #expect(utc.day(containing: Self.at("2026-11-30T23:59:59Z")) == ClaimPolicy.day(of: Self.at("2026-11-30T12:00:00Z")))
        #expect(utc.time(Self.at("2026-11-30T09:15:00Z")) == "2026-11-30T09:15:00Z")
        #expect(utc.until(Self.at("2026-12-11T00:00:00Z")) == "through 2026-12-10")
        #expect(utc.until(Self.at("2026-12-10T14:00:00Z")) == "until 2026-12-10T14:00:00Z")
        #expect(utc.parse("2026-12-10T14:00") == Self.at("2026-12-10T14:00:00Z"))
    }

    @Test func shanghaiHasNoDaylightSavingAndItsDayStartsAt1600UTC() {
        let clock = Self.shanghai
        let day = clock.day(containing: Self.at("2026-11-30T01:15:00Z"))
        #expect(day.lowerBound == Self.at("2026-11-29T16:00:00Z"))
        #expect(day.upperBound.timeIntervalSince(day.lowerBound) == 86_400)
        // 23:59:59 and 00:00:00 local on either side of the line.
        #expect(clock.localDate(of: Self.at("2026-11-29T15:59:59Z")).description == "2026-11-29")
        #expect(clock.localDate(of: Self.at("2026-11-29T16:00:00Z")).description == "2026-11-30")
        #expect(clock.time(Self.at("2026-11-30T01:15:00Z")) == "2026-11-30T09:15:00+08:00")
        #expect(clock.offset(at: Self.at("2026-07-01T00:00:00Z")) == "+08:00")
        for month in 1...12 {
            let start = clock.start(of: LocalDate(year: 2026, month: month, day: 1))
            #expect(clock.day(containing: start).upperBound.timeIntervalSince(start) == 86_400)
        }
    }

    @Test func berlinsAutumnSwitchDayLasts25Hours() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET.
        let clock = Self.berlin
        let day = clock.day(containing: Self.at("2026-10-25T12:00:00Z"))
        #expect(day.lowerBound == Self.at("2026-10-24T22:00:00Z"), "midnight CEST")
        #expect(day.upperBound == Self.at("2026-10-25T23:00:00Z"), "midnight CET")
        #expect(day.upperBound.timeIntervalSince(day.lowerBound) == 25 * 3_600)
        #expect(clock.localDate(of: Self.at("2026-10-25T22:59:59Z")).description == "2026-10-25")
        #expect(clock.localDate(of: Self.at("2026-10-25T23:00:00Z")).description == "2026-10-26")
        #expect(clock.time(Self.at("2026-10-25T00:30:00Z")) == "2026-10-25T02:30:00+02:00")
        #expect(clock.time(Self.at("2026-10-25T01:30:00Z")) == "2026-10-25T02:30:00+01:00")
        // The week around it: every other day is 24 hours.
        for offset in [-3, -2, -1, 1, 2, 3] {
            let date = LocalDate(year: 2026, month: 10, day: 25).adding(days: offset)
            let start = clock.start(of: date)
            #expect(clock.day(containing: start).upperBound.timeIntervalSince(start) == 86_400, "\(date)")
        }
        // Spring: 2026-03-29 lasts 23 hours.
        let spring = clock.day(containing: Self.at("2026-03-29T12:00:00Z"))
        #expect(spring.upperBound.timeIntervalSince(spring.lowerBound) == 23 * 3_600)
    }

    @Test func newYorksAutumnSwitchDayLasts25Hours() {
        // 2026-11-01: 02:00 EDT becomes 01:00 EST.
        let clock = Self.newYork
        let day = clock.day(containing: Self.at("2026-11-01T12:00:00Z"))
        #expect(day.lowerBound == Self.at("2026-11-01T04:00:00Z"))
        #expect(day.upperBound == Self.at("2026-11-02T05:00:00Z"))
        #expect(clock.localDate(of: Self.at("2026-11-02T04:59:59Z")).description == "2026-11-01")
        #expect(clock.localDate(of: Self.at("2026-11-02T05:00:00Z")).description == "2026-11-02")
        #expect(clock.offset(at: Self.at("2026-10-31T12:00:00Z")) == "-04:00")
        #expect(clock.offset(at: Self.at("2026-11-02T12:00:00Z")) == "-05:00")
        // The spring switch (2026-03-08) lasts 23 hours.
        let spring = clock.day(containing: Self.at("2026-03-08T12:00:00Z"))
        #expect(spring.upperBound.timeIntervalSince(spring.lowerBound) == 23 * 3_600)
    }

    @Test func awayDatesAreLocalAndTimesWithAnOffsetStayInstants() {
        let clock = Self.shanghai
        #expect(clock.parse("2026-12-20") == Self.at("2026-12-19T16:00:00Z"))
        #expect(clock.parse("2026-12-20T09:00") == Self.at("2026-12-20T01:00:00Z"), "a time without a zone is local")
        #expect(clock.parse("2026-12-20T09:00:00Z") == Self.at("2026-12-20T09:00:00Z"))
        #expect(clock.parse("2026-12-20T09:00:00-05:00") == Self.at("2026-12-20T14:00:00Z"))
        #expect(clock.parse("2026-13-01") == nil)
        let end = clock.start(of: LocalDate("2026-12-20")!.adding(days: 1))
        #expect(clock.lastDay(end) == "2026-12-20")
        #expect(clock.firstDay(clock.parse("2026-12-10")!) == "2026-12-10")
        #expect(clock.until(end) == "through 2026-12-20")
        #expect(clock.until(Self.at("2026-12-20T06:00:00Z")) == "until 2026-12-20T14:00:00+08:00")
        // Local wall-clock time on Berlin's switch day: 02:30 happens twice; the first is taken.
        #expect(Self.berlin.parse("2026-10-25T02:30") == Self.at("2026-10-25T00:30:00Z"))
    }

    @Test func aRepsZoneIsTheirOwnElseTheRulesets() {
        let now = Self.at("2026-11-30T00:00:00Z")
        var rep = Rep(handle: "li", name: "Li", createdAt: now)
        let policy = ClaimPolicy(defaultClock: Self.shanghai)
        #expect(policy.clock(of: rep) == Self.shanghai)
        #expect(policy.day(of: now, for: rep).lowerBound == Self.at("2026-11-29T16:00:00Z"))
        rep.timeZone = "America/New_York"
        #expect(policy.clock(of: rep) == Self.newYork)
        #expect(policy.day(of: now, for: rep).lowerBound == Self.at("2026-11-29T05:00:00Z"))
        rep.timeZone = "No/Such_Zone"
        #expect(policy.clock(of: rep) == Self.shanghai, "a stored name no longer known falls back")
    }
}

/// Working hours: parsing, checking and whether an instant lies inside them.
@Suite struct WorkingHoursTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func daysAndHoursParseAndPrintBack() throws {
        let hours = try WorkingHours.parse("mon-fri 08:00-16:00")
        #expect(hours.days == [.mon, .tue, .wed, .thu, .fri])
        #expect((hours.from, hours.to) == (480, 960))
        #expect(hours.description == "mon-fri 08:00-16:00")
        #expect(try WorkingHours.parse("sat,mon,TUE 09:00-13:30").description == "mon,tue,sat 09:00-13:30")
        #expect(try WorkingHours.parse("mon-wed,fri 00:00-24:00").description == "mon-wed,fri 00:00-24:00")
        #expect(try WorkingHours.parse(hours.description) == hours)
        #expect(try WorkingHours.parse("Monday-Friday 09:00-18:00") == .office)
    }

    @Test func badDaysTimesAndSpansAreRefusedSayingWhat() {
        func message(_ text: String) -> String? {
            do {
                _ = try WorkingHours.parse(text)
                return nil
            } catch { return error.message }
        }
        #expect(message("mon-fry 09:00-18:00")?.contains("unknown day 'fry'") == true)
        #expect(message("fri-mon 09:00-18:00")?.contains("runs backwards") == true)
        #expect(message("mon-fri 18:00-09:00")?.contains("end at 09:00, not after they start at 18:00") == true)
        #expect(message("mon-fri 09:00-09:00")?.contains("not after") == true)
        #expect(message("mon-fri 9:00-18:00")?.contains("'9:00' is not a time of day") == true)
        #expect(message("mon-fri 09:00-24:30")?.contains("not a time of day") == true)
        #expect(message("mon-fri 24:00-24:00")?.contains("not a time of day") == true)
        #expect(message("mon-fri 09:60-18:00")?.contains("not a time of day") == true)
        #expect(message("mon-fri") != nil)
        #expect(message("mon,,fri 09:00-18:00")?.contains("a day is missing") == true)
    }

    @Test func containsReadsTheWallClockOfTheZone() {
        let office = WorkingHours.office  // mon-fri 09:00-18:00
        let shanghai = TimeZone(identifier: "Asia/Shanghai")!
        // Monday 2026-11-30 09:00 in Shanghai is 01:00Z.
        #expect(office.contains(Self.at("2026-11-30T01:00:00Z"), in: shanghai))
        #expect(!office.contains(Self.at("2026-11-30T00:59:59Z"), in: shanghai))
        #expect(office.contains(Self.at("2026-11-30T09:59:59Z"), in: shanghai))
        #expect(!office.contains(Self.at("2026-11-30T10:00:00Z"), in: shanghai), "18:00 is outside")
        // Saturday 2026-11-28 10:00 local.
        #expect(!office.contains(Self.at("2026-11-28T02:00:00Z"), in: shanghai))
        // Friday 23:00Z in UTC is Saturday morning in Shanghai.
        #expect(!office.contains(Self.at("2026-11-27T23:30:00Z"), in: shanghai))
        #expect(!office.contains(Self.at("2026-11-27T23:30:00Z"), in: TimeZone(identifier: "UTC")!))
        #expect(office.contains(Self.at("2026-11-27T14:30:00Z"), in: TimeZone(identifier: "UTC")!))
        #expect(WorkingHours.always.contains(Self.at("2026-11-28T02:00:00Z"), in: shanghai))
    }

    @Test func containsFollowsDaylightSaving() {
        let office = WorkingHours.office
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let newYork = TimeZone(identifier: "America/New_York")!
        // Friday 2026-10-23 09:00 CEST is 07:00Z; Monday 2026-10-26 09:00 CET is 08:00Z.
        #expect(office.contains(Self.at("2026-10-23T07:00:00Z"), in: berlin))
        #expect(!office.contains(Self.at("2026-10-26T07:30:00Z"), in: berlin), "08:30 CET")
        #expect(office.contains(Self.at("2026-10-26T08:00:00Z"), in: berlin))
        // Monday 2026-11-02 09:00 EST is 14:00Z; the Friday before, 09:00 EDT was 13:00Z.
        #expect(office.contains(Self.at("2026-10-30T13:00:00Z"), in: newYork))
        #expect(!office.contains(Self.at("2026-11-02T13:30:00Z"), in: newYork))
        #expect(office.contains(Self.at("2026-11-02T14:00:00Z"), in: newYork))
    }

    @Test func aRepsHoursAreTheirOwnElseTheRulesetsElseAlways() throws {
        var ruleset = try Ruleset.parse(
            "timezone: Asia/Shanghai\nworking-hours: { days: mon-fri, from: \"09:00\", to: \"18:00\" }\n",
            fileName: "r.yaml"
        )
        var rep = Rep(handle: "li", name: "Li", createdAt: Self.at("2026-01-01"))
        #expect(ruleset.workingHours(of: rep) == .office)
        #expect(ruleset.isWorking(rep, at: Self.at("2026-11-30T01:00:00Z")))
        rep.timeZone = "America/New_York"
        #expect(!ruleset.isWorking(rep, at: Self.at("2026-11-30T01:00:00Z")), "20:00 on Sunday in New York")
        rep.workingHours = try WorkingHours.parse("sun 18:00-22:00")
        #expect(ruleset.isWorking(rep, at: Self.at("2026-11-30T01:00:00Z")))
        ruleset.workingHours = nil
        rep.workingHours = nil
        #expect(ruleset.workingHours(of: rep) == .always)
    }
}

/// The rules file's `timezone` and `working-hours`, and their errors with file, line and column.
@Suite struct RulesTimeTests {
    static func errors(_ yaml: String) -> [String] {
        Ruleset.check(yaml, fileName: "rules.yaml").errors.map { "\($0.location): \($0.message)" }
    }

    @Test func theZoneAndHoursAreRead() throws {
        let ruleset = try Ruleset.parse(
            "timezone: America/New_York\nworking-hours: { days: [mon, wed-thu, sat], from: \"08:30\", to: \"24:00\" }\n",
            fileName: "r"
        )
        #expect(ruleset.clock.name == "America/New_York")
        #expect(ruleset.workingHours?.description == "mon,wed,thu,sat 08:30-24:00")
        #expect(try Ruleset.parse("{}", fileName: "r").clock == .utc)
        #expect(try Ruleset.parse("{}", fileName: "r").workingHours == nil)
        #expect(try Ruleset.parse("working-hours: { days: mon-fri, from: 09:00, to: 17:00 }", fileName: "r").workingHours?.to == 1_020)
    }

    @Test func badZonesDaysAndTimesAreErrorsWithWhere() {
        #expect(Self.errors("timezone: Asia/Shangai\n") == ["rules.yaml:1:11: timezone: unknown time zone 'Asia/Shangai'"])
        #expect(Self.errors("timezone: EST\n") == ["rules.yaml:1:11: timezone: unknown time zone 'EST'"])
        #expect(
            Self.errors("working-hours: { days: mon-fry, from: \"09:00\", to: \"18:00\" }\n")
                == ["rules.yaml:1:24: working-hours: unknown day 'fry'"]
        )
        #expect(
            Self.errors("working-hours:\n  days: [mon, thurs]\n  from: \"09:00\"\n  to: \"18:00\"\n")
                == ["rules.yaml:2:15: working-hours: unknown day 'thurs'"]
        )
        #expect(
            Self.errors("working-hours: { days: mon-fri, from: \"18:00\", to: \"09:00\" }\n")
                == ["rules.yaml:1:52: working-hours: working hours end at 09:00, not after they start at 18:00"]
        )
        #expect(
            Self.errors("working-hours: { days: mon-fri, from: \"9am\", to: \"18:00\" }\n")
                == ["rules.yaml:1:39: working-hours: from '9am' is not a time of day"]
        )
        #expect(Self.errors("working-hours: { days: mon-fri, from: \"09:00\" }\n") == ["rules.yaml:1:16: working-hours needs 'to'"])
        #expect(
            Self.errors("working-hours: { days: mon-fri, from: \"09:00\", to: \"18:00\", tz: UTC }\n").first?
                .contains("unknown key 'tz' in working-hours") == true
        )
    }
}
