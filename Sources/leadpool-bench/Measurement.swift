/// One benchmark result: how long a piece of leadpool's work takes, next to the floor that
/// the same database writes cost when done by hand, so a regression shows as a ratio.
///
/// Every section of the benchmark (import, rules apply, a round, reclaim, a claim, the
/// report) reports in this shape.
struct Measurement: Codable, Sendable {
    /// What was measured, e.g. `import`.
    var name: String
    /// The number of leads in the data set (`--leads`).
    var size: Int
    /// Rows each run wrote (leads imported, scored, assigned, reclaimed), for the per-second
    /// figures; nil when rows per second means nothing (one claim, a report).
    var units: Int?
    /// The median wall time of the runs, in seconds.
    var medianSeconds: Double
    /// Every run's wall time, in seconds, in run order.
    var runSeconds: [Double]
    /// The largest peak resident set of the measured process over the runs, in bytes
    /// (the child's `ru_maxrss`); nil when the work ran inside the benchmark itself.
    var peakRSSBytes: Int?
    /// The median wall time of the same writes done by hand, if any.
    var floorSeconds: Double?
    /// Every floor run's wall time, in seconds.
    var floorRunSeconds: [Double]?
    /// The target this figure is held to, as the issue states it; nil when there is none.
    var target: Target?
    /// What else a reader needs to know about this row (how many rows, why no floor…).
    var note: String?

    /// `medianSeconds / floorSeconds`: how many times the floor leadpool takes.
    var ratio: Double? { floorSeconds.map { medianSeconds / $0 } }
    var unitsPerSecond: Double? { units.map { Double($0) / medianSeconds } }

    /// Whether the target is met; nil without a target or without the figure it needs.
    var met: Bool? { target?.isMet(by: self) }

    /// A speed target from the issues.
    struct Target: Codable, Sendable {
        /// As printed, e.g. `<= 1.5x, < 400 MB`.
        var text: String
        /// The ratio to the floor must not exceed this.
        var maxRatio: Double?
        /// Rows per second must reach this.
        var minUnitsPerSecond: Double?
        /// Peak RSS must stay below this many bytes.
        var maxPeakBytes: Int?

        func isMet(by m: Measurement) -> Bool? {
            var verdict = true
            if let maxRatio {
                guard let ratio = m.ratio else { return nil }
                verdict = verdict && ratio <= maxRatio
            }
            if let minUnitsPerSecond {
                guard let rate = m.unitsPerSecond else { return nil }
                verdict = verdict && rate >= minUnitsPerSecond
            }
            if let maxPeakBytes {
                guard let peak = m.peakRSSBytes else { return nil }
                verdict = verdict && peak < maxPeakBytes
            }
            return verdict
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, size, units
        case medianSeconds = "median_seconds"
        case runSeconds = "run_seconds"
        case peakRSSBytes = "peak_rss_bytes"
        case floorSeconds = "floor_seconds"
        case floorRunSeconds = "floor_run_seconds"
        case ratio
        case unitsPerSecond = "units_per_second"
        case target, met, note
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(size, forKey: .size)
        try container.encodeIfPresent(units, forKey: .units)
        try container.encode(medianSeconds, forKey: .medianSeconds)
        try container.encode(runSeconds, forKey: .runSeconds)
        try container.encodeIfPresent(peakRSSBytes, forKey: .peakRSSBytes)
        try container.encodeIfPresent(floorSeconds, forKey: .floorSeconds)
        try container.encodeIfPresent(floorRunSeconds, forKey: .floorRunSeconds)
        try container.encodeIfPresent(ratio, forKey: .ratio)
        try container.encodeIfPresent(unitsPerSecond, forKey: .unitsPerSecond)
        try container.encodeIfPresent(target, forKey: .target)
        try container.encodeIfPresent(met, forKey: .met)
        try container.encodeIfPresent(note, forKey: .note)
    }

    init(
        name: String,
        size: Int,
        units: Int?,
        runSeconds: [Double],
        peakRSSBytes: Int?,
        floorRunSeconds: [Double]?,
        target: Target? = nil,
        note: String? = nil
    ) {
        self.name = name
        self.size = size
        self.units = units
        self.runSeconds = runSeconds
        self.medianSeconds = Self.median(runSeconds)
        self.peakRSSBytes = peakRSSBytes
        self.floorRunSeconds = floorRunSeconds
        self.floorSeconds = floorRunSeconds.map(Self.median)
        self.target = target
        self.note = note
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        size = try container.decode(Int.self, forKey: .size)
        units = try container.decodeIfPresent(Int.self, forKey: .units)
        medianSeconds = try container.decode(Double.self, forKey: .medianSeconds)
        runSeconds = try container.decode([Double].self, forKey: .runSeconds)
        peakRSSBytes = try container.decodeIfPresent(Int.self, forKey: .peakRSSBytes)
        floorSeconds = try container.decodeIfPresent(Double.self, forKey: .floorSeconds)
        floorRunSeconds = try container.decodeIfPresent([Double].self, forKey: .floorRunSeconds)
        target = try container.decodeIfPresent(Target.self, forKey: .target)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    /// The middle value (the mean of the two middle ones for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}

// MARK: - Table

extension Measurement {
    /// An aligned text table of measurements, one per line, then each row's note.
    static func table(_ measurements: [Measurement]) -> String {
        let header = ["measurement", "size", "median s", "rows/s", "peak MiB", "floor s", "ratio", "target", "met?"]
        let rows = measurements.map { m in
            [
                m.name, format(Double(m.size), 0), format(m.medianSeconds, 3), m.unitsPerSecond.map { format($0, 0) } ?? "-",
                m.peakRSSBytes.map { format(Double($0) / 1_048_576, 1) } ?? "-",
                m.floorSeconds.map { format($0, 3) } ?? "-", m.ratio.map { format($0, 2) + "x" } ?? "-",
                m.target?.text ?? "-", m.met.map { $0 ? "yes" : "NO" } ?? "-",
            ]
        }
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let lines = all.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 || column == 7 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let notes = measurements.compactMap { m in m.note.map { "  \(m.name) (\(format(Double(m.size), 0))): \($0)" } }
        return (lines + (notes.isEmpty ? [] : ["notes:"] + notes)).joined(separator: "\n")
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if decimals == 0, let number = Int(text), number >= 10_000 {
            // Thousands separators make 200000 vs 20000 readable at a glance.
            text = String(number).reversed().enumerated()
                .map { String($0.element) + ($0.offset > 0 && $0.offset % 3 == 0 ? "," : "") }
                .reversed().joined()
        }
        return text
    }
}
