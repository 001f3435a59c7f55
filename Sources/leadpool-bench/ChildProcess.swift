import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One finished child process: how it exited, what it printed, its wall time and peak memory.
struct ChildRun {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
    /// The child's peak resident set (`ru_maxrss` from `wait4`), in bytes.
    var peakRSSBytes: Int
}

/// Runs programs as child processes and reaps them with `wait4`, which (unlike `Process`)
/// hands back the child's own resource usage: its peak RSS is the figure we report.
///
/// Linux carries a process's peak RSS across `exec` (`ru_maxrss` is the largest of the old
/// and the new image), so a child spawned by the benchmark, which holds a million generated
/// leads, would report the benchmark's own size. Children are therefore spawned by a small
/// helper process (this executable with `--serve-spawns`) started before the data exists.
enum ChildProcess {
    /// The helper, started on first use; nil inside the helper itself.
    nonisolated(unsafe) private static var spawner: Spawner?

    /// Starts the helper now, while this process is still small.
    static func startSpawner() throws {
        if spawner == nil { spawner = try Spawner() }
    }

    /// Runs `executable` with `arguments`, output captured through temp files; waits for it.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ChildRun {
        guard let spawner else { return try spawn(executable, arguments, environment: environment) }
        return try spawner.run(executable, arguments, environment: environment)
    }

    /// The helper's loop: one JSON request per line on stdin, one JSON result per line on stdout.
    static func serve() throws {
        while let line = readLine() {
            let request = try JSONDecoder().decode(SpawnRequest.self, from: Data(line.utf8))
            let run = try spawn(request.executable, request.arguments, environment: request.environment)
            let reply = SpawnReply(
                status: run.status,
                stdout: run.stdout,
                stderr: run.stderr,
                seconds: run.seconds,
                peakRSSBytes: run.peakRSSBytes
            )
            FileHandle.standardOutput.write(try JSONEncoder().encode(reply) + Data("\n".utf8))
        }
    }

    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> ChildRun {
        let directory = FileManager.default.temporaryDirectory.path
        let token = UUID().uuidString
        let outPath = "\(directory)/leadpool-bench-\(token).out"
        let errPath = "\(directory)/leadpool-bench-\(token).err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }

        var pid: pid_t = 0
        let started = DispatchTime.now()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchError("cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ChildRun(
            status: exitStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
            seconds: seconds,
            // Linux reports kilobytes, macOS bytes.
            peakRSSBytes: {
                #if os(Linux)
                Int(usage.ru_maxrss) * 1024
                #else
                Int(usage.ru_maxrss)
                #endif
            }()
        )
    }

    /// The program `name` on the PATH, or nil.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs and requires exit status 0.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ChildRun {
        let run = try run(executable, arguments, environment: environment)
        guard run.status == 0 else {
            throw BenchError(
                "\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " ")) exited \(run.status):\n\(run.stderr)\(run.stdout)"
            )
        }
        return run
    }
}

private struct SpawnRequest: Codable {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
}

private struct SpawnReply: Codable {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
    var peakRSSBytes: Int
}

/// The helper process and its two pipes.
private final class Spawner {
    private let requests: FileHandle
    private let replies: FileHandle
    private var buffer = Data()

    init() throws {
        guard let me = Bundle.main.executableURL else { throw BenchError("cannot find this executable") }
        let process = Process()
        process.executableURL = me
        process.arguments = ["--serve-spawns"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        requests = input.fileHandleForWriting
        replies = output.fileHandleForReading
    }

    func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> ChildRun {
        let request = SpawnRequest(executable: executable, arguments: arguments, environment: environment)
        requests.write(try JSONEncoder().encode(request) + Data("\n".utf8))
        // Only the bytes just read are searched: a reply carrying a large output (psql's rows)
        // arrives in many chunks.
        var found = buffer.firstIndex(of: 0x0A)
        while found == nil {
            let chunk = replies.availableData
            guard !chunk.isEmpty else { throw BenchError("the spawn helper stopped") }
            found = chunk.firstIndex(of: 0x0A).map { buffer.endIndex + ($0 - chunk.startIndex) }
            buffer += chunk
        }
        let newline = found!
        let reply = try JSONDecoder().decode(SpawnReply.self, from: buffer[buffer.startIndex..<newline])
        buffer = Data(buffer[(newline + 1)...])
        return ChildRun(
            status: reply.status,
            stdout: reply.stdout,
            stderr: reply.stderr,
            seconds: reply.seconds,
            peakRSSBytes: reply.peakRSSBytes
        )
    }
}
