import Foundation

extension Ruleset {
    /// `first-touch:` — how soon a rep must act on a lead given to them (by a round, a transfer
    /// or an escalation), counted in the owner's working hours, and what happens when they do not.
    public struct FirstTouchPolicy: Sendable, Equatable {
        /// Working time the owner has for the first touch.
        public var within: WorkingSpan
        /// `notify` and `reclaim --warn` announce a deadline this much working time before it.
        public var warnBefore: WorkingSpan
        /// Leads the deadline applies to; nil: every lead given to a rep.
        public var when: Condition?
        /// The condition as written.
        public var whenText: String?
        /// What a missed deadline does.
        public var then: FirstTouchAction

        public init(
            within: WorkingSpan,
            warnBefore: WorkingSpan = WorkingSpan(seconds: 0),
            when: Condition? = nil,
            whenText: String? = nil,
            then: FirstTouchAction = .reassign
        ) {
            self.within = within
            self.warnBefore = warnBefore
            self.when = when
            self.whenText = whenText ?? when?.description
            self.then = then
        }

        /// Whether the deadline applies to `lead` at the context's clock.
        public func applies(to lead: Lead, in context: ConditionContext) -> Bool {
            when?.matches(lead, in: context) ?? true
        }

        /// When the first touch of a lead given at `givenAt` is due: `within` of the owner's
        /// working time later.
        public func deadline(givenAt: Date, hours: WorkingHours, clock: TeamClock) -> Date {
            hours.adding(within.seconds, to: givenAt, on: clock)
        }

        /// Where a lead given at `givenAt` stands at `now`: touched at `touchedAt` (the first
        /// activity by its owner since, if any), or waiting, close to its deadline or past it.
        public func status(givenAt: Date, touchedAt: Date?, now: Date, hours: WorkingHours, clock: TeamClock) -> FirstTouchStatus {
            let deadline = deadline(givenAt: givenAt, hours: hours, clock: clock)
            if let touchedAt, touchedAt >= givenAt {
                let taken = hours.seconds(from: givenAt, to: touchedAt, on: clock)
                return .touched(workingSeconds: taken, inTime: touchedAt <= deadline)
            }
            if now >= deadline { return .missed(deadline: deadline) }
            let left = hours.seconds(from: now, to: deadline, on: clock)
            if warnBefore.seconds > 0, left <= warnBefore.seconds { return .close(deadline: deadline) }
            return .waiting(deadline: deadline)
        }

        /// `no first touch within 4h (working hours)`: the reason an escalation records.
        public var missedReason: String { "no first touch within \(within) (working hours)" }
    }

    /// `notify:` — where digest mails come from and how they are handed to the mail system.
    public struct NotifySettings: Sendable, Equatable {
        /// The From address; nil: `leadpool@` and the host's name.
        public var from: String?
        /// The sendmail-compatible program (`sendmail -t -i` reads the recipients from the message).
        public var sendmail: String

        public init(from: String? = nil, sendmail: String = NotifySettings.standardSendmail) {
            self.from = from
            self.sendmail = sendmail
        }

        public static let standardSendmail = "/usr/sbin/sendmail"
        public static let standard = NotifySettings()
    }
}

/// What a missed first-touch deadline does (`then:`).
public enum FirstTouchAction: String, Sendable, CaseIterable {
    /// The lead goes to the next candidate of the rule that routed it (never the rep who missed).
    case reassign
    /// The lead goes back to the pool.
    case pool
    /// The lead stays; the miss is recorded.
    case keep
}

/// Where a lead given to a rep stands against its first-touch deadline.
public enum FirstTouchStatus: Sendable, Equatable {
    /// Not touched yet; the deadline is more than `warn-before` away.
    case waiting(deadline: Date)
    /// Not touched yet; the deadline is within `warn-before`.
    case close(deadline: Date)
    /// Not touched by the deadline.
    case missed(deadline: Date)
    /// Touched after this much working time; `inTime` when by the deadline.
    case touched(workingSeconds: TimeInterval, inTime: Bool)
}

/// A span of working time as the rules file writes it: `4h`, `30m`, `1h30m`.
public struct WorkingSpan: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var seconds: TimeInterval

    public init(seconds: TimeInterval) { self.seconds = seconds }

    /// Reads `4h`, `30m`, `1h30m`, `90m` (hours and minutes, whole numbers); nil otherwise.
    public init?(_ text: String) {
        var total = 0
        var number: Int?
        var units = 0
        for character in text.trimmingCharacters(in: .whitespaces) {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (value, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow, value <= 1_000_000 else { return nil }
                number = value + digit
                continue
            }
            guard let value = number else { return nil }
            switch character {
            case "h" where units == 0:
                total += value * 3_600
                units = 1
            case "m" where units <= 1:
                total += value * 60
                units = 2
            default: return nil
            }
            number = nil
        }
        guard number == nil, units > 0 else { return nil }
        seconds = TimeInterval(total)
    }

    /// `4h`, `30m`, `1h30m`, `0m`.
    public var description: String {
        let minutes = Int(seconds / 60)
        switch (minutes / 60, minutes % 60) {
        case (0, let m): return "\(m)m"
        case (let h, 0): return "\(h)h"
        case (let h, let m): return "\(h)h\(m)m"
        }
    }

    public static func < (a: WorkingSpan, b: WorkingSpan) -> Bool { a.seconds < b.seconds }
}
