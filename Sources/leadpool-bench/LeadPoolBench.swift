import ArgumentParser
import Foundation

/// Measures leadpool's heavy commands as real release processes against the floor of the same
/// writes (raw SQLite; with `--db postgresql://…`, psql on that database), and prints a table (medians of `--runs` runs) and a JSON file.
///
///     swift run -c release leadpool-bench --leads 1000000 --reps 1000
@main
struct LeadPoolBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadpool-bench",
        abstract: "Benchmark leadpool (release build) against the floor of the same work (raw SQLite, or psql)."
    )

    @Option(help: "Leads to generate.")
    var leads = 1_000_000

    @Option(help: "Reps to add to the database.")
    var reps = 1000

    @Option(help: "Runs per measurement (the median is reported).")
    var runs = 3

    @Option(help: "Seed of the generated data.")
    var seed: UInt64 = 2026

    @Option(name: .customLong("json-out"), help: "Where to write the results as JSON.")
    var jsonOut = "bench-results/latest.json"

    @Option(help: "The leadpool binary to measure (default: build the release one of this package).")
    var leadpool: String?

    @Option(
        help: """
            Run against this PostgreSQL database (postgresql://…) instead of SQLite: each database in a schema of \
            its own, dropped afterwards; the floors run through psql.
            """
    )
    var db: String?

    @Option(help: "Stop after this section (import, rules, round, reclaim, claim): to iterate on one of them.")
    var through: Section = .report

    enum Section: String, ExpressibleByArgument, Comparable, CaseIterable {
        case `import`, rules, round, reclaim, claim, report
        static func < (a: Section, b: Section) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    @Flag(help: "Keep the temp directory with the CSV and the database each section produced.")
    var keep = false

    @Flag(help: .hidden)
    var serveSpawns = false

    func validate() throws {
        guard leads > 0, reps >= 0, runs > 0 else { throw ValidationError("--leads and --runs must be positive") }
    }

    func run() throws {
        if serveSpawns { return try ChildProcess.serve() }
        try ChildProcess.startSpawner()
        let binary = try leadpool ?? Self.buildReleaseBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadpool-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: directory) } }

        let postgres = try db.map { try PostgresTarget(url: $0, directory: directory) }
        defer { if !keep { postgres?.removeAll() } }

        log("generating \(leads) leads and \(reps) reps in \(postgres.map { "schemas \($0.prefix)_* of \($0.url)" } ?? directory)")
        let bench = try BenchContext(
            leadpool: binary,
            directory: directory,
            leads: SampleLeads.make(count: leads, seed: seed),
            reps: reps,
            runs: runs,
            postgres: postgres,
            verbose: true
        )

        let loadBefore = Self.loadAverage()
        let started = DispatchTime.now()
        var measurements: [Measurement] = []
        // Each section starts from a copy of the database the one before produced, so every
        // run of it starts from the same known state.
        sections: do {
            log("import")
            let (importing, imported) = try ImportSection(bench: bench).measure()
            measurements.append(importing)
            guard through > .import else { break sections }
            log("rules apply")
            let (rules, scored) = try RulesApplySection(bench: bench, imported: imported).measure()
            measurements.append(rules)
            if !keep { bench.remove(imported) }
            guard through > .rules else { break sections }
            log("assign (one round)")
            let (round, assigned) = try RoundSection(bench: bench, scored: scored).measure()
            measurements.append(round)
            if !keep { bench.remove(scored) }
            guard through > .round else { break sections }
            log("reclaim")
            let (reclaim, reclaimed) = try ReclaimSection(bench: bench, assigned: assigned).measure()
            measurements.append(reclaim)
            guard through > .reclaim else { break sections }
            log("claim")
            measurements.append(try ClaimSection(bench: bench, reclaimed: reclaimed).measure())
            if !keep { bench.remove(reclaimed) }
            guard through > .claim else { break sections }
            log("report")
            measurements.append(try ReportSection(bench: bench, assigned: assigned).measure())
            if !keep { bench.remove(assigned) }
        }
        let loadAfter = Self.loadAverage()

        print(Measurement.table(measurements))
        let minutes = seconds(since: started) / 60
        print(
            """
            \(db == nil ? "SQLite" : "PostgreSQL"), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(leads) leads, \(reps) reps, median of \(runs) runs \
            (claims: \(ClaimSection.runs)), \(String(format: "%.1f", minutes)) min; load average \(loadBefore) before, \(loadAfter) after
            """
        )
        if db == nil, ClaimSection.sqlite3Path() == nil {
            print("WARNING: the sqlite3 shell is not installed: the claim floor was not measured (apt-get install -y sqlite3)")
        }
        try writeJSON(measurements, binary: binary, load: [loadBefore, loadAfter])
    }

    /// The 1, 5 and 15 minute load averages, as /proc/loadavg gives them ("?" elsewhere).
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    private func writeJSON(_ measurements: [Measurement], binary: String, load: [String]) throws {
        struct Report: Encodable {
            var date: String
            var leads: Int
            var reps: Int
            var runs: Int
            var seed: UInt64
            var cores: Int
            var memoryBytes: UInt64
            var binary: String
            /// `sqlite` or `postgresql`.
            var backend: String
            /// The load average (1, 5, 15 min) when the benchmark started and when it ended.
            var loadAverage: [String]
            var measurements: [Measurement]
        }
        let report = Report(
            date: ISO8601DateFormatter().string(from: Date()),
            leads: leads,
            reps: reps,
            runs: runs,
            seed: seed,
            cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: ProcessInfo.processInfo.physicalMemory,
            binary: binary,
            backend: db == nil ? "sqlite" : "postgresql",
            loadAverage: load,
            measurements: measurements
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let url = URL(fileURLWithPath: jsonOut)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(report).write(to: url)
        log("wrote \(jsonOut)")
    }

    /// Builds `leadpool` in release mode from this package (a no-op when up to date) and
    /// returns its path, next to this benchmark's own executable.
    private static func buildReleaseBinary() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        log("building leadpool (release)")
        try ChildProcess.check("/usr/bin/env", ["swift", "build", "-c", "release", "--product", "leadpool", "--package-path", root])
        let here = Bundle.main.executableURL?.deletingLastPathComponent().path ?? root + "/.build/release"
        let binary = here + "/leadpool"
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("no leadpool binary at \(binary); pass --leadpool PATH")
        }
        return binary
    }
}

private func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
