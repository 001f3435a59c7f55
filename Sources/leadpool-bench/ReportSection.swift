/// `leadpool report` (every section, table format) on the database the round produced:
/// time and peak memory, no floor.
struct ReportSection {
    let bench: BenchContext
    /// The database the round produced.
    let assigned: String

    func measure() throws -> Measurement {
        var seconds: [Double] = []
        var peak = 0
        var bytes = 0
        for run in 1...bench.runs {
            let child = try bench.leadpool(assigned, now: bench.nowISO, ["report", "--format", "table"])
            bench.log(
                "  report run \(run): \(String(format: "%.3f", child.seconds)) s, \(child.peakRSSBytes / 1_048_576) MiB, \(child.stdout.utf8.count) bytes"
            )
            seconds.append(child.seconds)
            peak = max(peak, child.peakRSSBytes)
            bytes = child.stdout.utf8.count
        }
        return Measurement(
            name: "report (all, table)",
            size: bench.leads.count,
            units: nil,
            runSeconds: seconds,
            peakRSSBytes: peak,
            floorRunSeconds: nil,
            note: "every section after the round, \(bytes) bytes of output; no floor, no target"
        )
    }
}
