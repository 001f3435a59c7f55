import Foundation

/// One lead given to a rep (a round's assignment, a transfer or an escalation), as the speed-
/// to-lead report reads it from the events.
public struct FirstTouchReceipt: Sendable, Equatable {
    public var rep: String
    public var givenAt: Date
    /// The first activity the rep recorded on it while it was theirs (touch, qualify, convert,
    /// disqualify); nil when none.
    public var firstTouchAt: Date?
    /// Whether the ruleset's first-touch `when` holds for the lead (now).
    public var applies: Bool

    public init(rep: String, givenAt: Date, firstTouchAt: Date?, applies: Bool = true) {
        self.rep = rep
        self.givenAt = givenAt
        self.firstTouchAt = firstTouchAt
        self.applies = applies
    }
}

/// `report sla`: per rep, how fast leads given to them get their first touch, in working hours.
public struct SLAReport: Sendable, Equatable {
    /// The ruleset's `first-touch.within`; nil when it sets no deadline (then only times are shown).
    public var within: WorkingSpan?
    public var reps: [Row]

    public struct Row: Sendable, Equatable {
        public var handle: String
        /// Leads given to the rep that the deadline applies to.
        public var received: Int
        /// Of those, touched by the deadline.
        public var inTime: Int
        /// Of those, past the deadline without a touch by it (touched late, escalated, or waiting past it).
        public var missed: Int
        /// Of those, touched at all.
        public var touched: Int
        /// Median working time from being given a lead to its first touch, in hours; nil when none was touched.
        public var medianHours: Double?
        /// Leads taken from the rep by an escalation (`then: reassign` or `pool`).
        public var escalated: Int

        /// The share of decided leads (touched in time or missed) touched in time; nil when none is decided.
        public var inTimeShare: Double? {
            inTime + missed == 0 ? nil : Double(inTime) / Double(inTime + missed)
        }

        public init(handle: String, received: Int, inTime: Int, missed: Int, touched: Int, medianHours: Double?, escalated: Int) {
            self.handle = handle
            self.received = received
            self.inTime = inTime
            self.missed = missed
            self.touched = touched
            self.medianHours = medianHours
            self.escalated = escalated
        }
    }

    public init(within: WorkingSpan?, reps: [Row]) {
        self.within = within
        self.reps = reps
    }

    /// The report from each rep's receipts at `now`, in each rep's working hours and zone.
    /// Every rep is listed, in handle order.
    ///
    /// - Parameter escalated: escalations that took a lead from each rep, by handle.
    public static func compute(receipts: [FirstTouchReceipt], escalated: [String: Int], reps: [Rep], ruleset: Ruleset, now: Date) -> SLAReport {
        let policy = ruleset.firstTouch
        let byRep = Dictionary(grouping: receipts.filter { policy == nil || $0.applies }, by: \.rep)
        let rows = reps.sorted { $0.handle.utf8.lexicographicallyPrecedes($1.handle.utf8) }.map { rep -> Row in
            let hours = ruleset.workingHours(of: rep)
            let clock = ruleset.clock(of: rep)
            var row = Row(handle: rep.handle, received: 0, inTime: 0, missed: 0, touched: 0, medianHours: nil, escalated: escalated[rep.handle] ?? 0)
            var times: [TimeInterval] = []
            for receipt in byRep[rep.handle] ?? [] {
                row.received += 1
                if let touched = receipt.firstTouchAt, touched >= receipt.givenAt {
                    row.touched += 1
                    times.append(hours.seconds(from: receipt.givenAt, to: touched, on: clock))
                }
                guard let policy else { continue }
                switch policy.status(givenAt: receipt.givenAt, touchedAt: receipt.firstTouchAt, now: now, hours: hours, clock: clock) {
                case .touched(_, let inTime): if inTime { row.inTime += 1 } else { row.missed += 1 }
                case .missed: row.missed += 1
                case .waiting, .close: break
                }
            }
            row.medianHours = median(times).map { $0 / 3_600 }
            return row
        }
        return SLAReport(within: policy?.within, reps: rows)
    }

    /// The median (the mean of the middle two for an even count); nil for none.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
