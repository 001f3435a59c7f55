/// One benchmark result: how long a piece of leadpool's work takes, next to the floor that
/// the same database writes cost when done by hand, so a regression shows as a ratio.
///
/// Every section of the benchmark (import today; rules apply, a round, reclaim, a claim,
/// reports later) reports in this shape.
struct Measurement: Codable, Sendable {
    /// What was measured, e.g. `import 1000000 leads`.
    var name: String
    /// Units of work per run (rows, leads, claims), for the per-second figures.
    var units: Int
    /// The median wall time of the runs, in seconds.
    var medianSeconds: Double
    /// Every run's wall time, in seconds, in run order.
    var runSeconds: [Double]
    /// The largest peak resident set of the measured process over the runs, in bytes
    /// (the child's `ru_maxrss`); nil when the work ran inside the benchmark itself.
    var peakRSSBytes: Int?
    /// The median wall time of the same writes done by hand with prepared statements, if any.
    var floorSeconds: Double?
    /// `medianSeconds / floorSeconds`: how many times the floor leadpool takes.
    var ratio: Double? { floorSeconds.map { medianSeconds / $0 } }

    var unitsPerSecond: Double { Double(units) / medianSeconds }
    var floorUnitsPerSecond: Double? { floorSeconds.map { Double(units) / $0 } }

    enum CodingKeys: String, CodingKey {
        case name, units, medianSeconds = "median_seconds", runSeconds = "run_seconds"
        case peakRSSBytes = "peak_rss_bytes", floorSeconds = "floor_seconds", ratio
        case unitsPerSecond = "units_per_second", floorUnitsPerSecond = "floor_units_per_second"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(units, forKey: .units)
        try container.encode(medianSeconds, forKey: .medianSeconds)
        try container.encode(runSeconds, forKey: .runSeconds)
        try container.encodeIfPresent(peakRSSBytes, forKey: .peakRSSBytes)
        try container.encodeIfPresent(floorSeconds, forKey: .floorSeconds)
        try container.encodeIfPresent(ratio, forKey: .ratio)
        try container.encode(unitsPerSecond, forKey: .unitsPerSecond)
        try container.encodeIfPresent(floorUnitsPerSecond, forKey: .floorUnitsPerSecond)
    }

    init(name: String, units: Int, runSeconds: [Double], peakRSSBytes: Int?, floorSeconds: Double?) {
        self.name = name
        self.units = units
        self.runSeconds = runSeconds
        self.medianSeconds = Self.median(runSeconds)
        self.peakRSSBytes = peakRSSBytes
        self.floorSeconds = floorSeconds
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        units = try container.decode(Int.self, forKey: .units)
        medianSeconds = try container.decode(Double.self, forKey: .medianSeconds)
        runSeconds = try container.decode([Double].self, forKey: .runSeconds)
        peakRSSBytes = try container.decodeIfPresent(Int.self, forKey: .peakRSSBytes)
        floorSeconds = try container.decodeIfPresent(Double.self, forKey: .floorSeconds)
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
    /// An aligned text table of measurements, one per line.
    static func table(_ measurements: [Measurement]) -> String {
        let header = ["measurement", "units", "median s", "units/s", "peak RSS", "floor s", "floor units/s", "ratio"]
        let rows = measurements.map { m in
            [
                m.name, "\(m.units)", format(m.medianSeconds, 3), format(m.unitsPerSecond, 0),
                m.peakRSSBytes.map { format(Double($0) / 1_048_576, 1) + " MiB" } ?? "-",
                m.floorSeconds.map { format($0, 3) } ?? "-", m.floorUnitsPerSecond.map { format($0, 0) } ?? "-",
                m.ratio.map { format($0, 2) + "x" } ?? "-",
            ]
        }
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
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
