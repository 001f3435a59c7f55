import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What one run of the real `leadpool` binary did.
struct Run: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// A scratch directory with a database path in it, removed at deinit.
final class Sandbox {
    let directory: URL
    var db: String { directory.appendingPathComponent("leadpool.db").path }

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadpool-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Runs `leadpool` with LEADPOOL_DB set to this sandbox's database and nothing else inherited
    /// but PATH, so the caller's LEADPOOL_* variables never leak in.
    @discardableResult
    func leadpool(_ arguments: String..., env: [String: String] = [:], stdin: String? = nil) -> Run {
        leadpool(arguments, env: env, stdin: stdin)
    }

    @discardableResult
    func leadpool(_ arguments: [String], env: [String: String] = [:], stdin: String? = nil, cwd: URL? = nil) -> Run {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LEADPOOL_DB": db]
        environment.merge(env) { $1 }
        return CLI.run(arguments, environment: environment, stdin: stdin, cwd: cwd ?? directory)
    }

    /// A fresh database whose first admin is this process's login; returns that handle.
    @discardableResult
    func initialized() -> String {
        let run = leadpool("init")
        precondition(run.status == 0, "init failed: \(run)")
        return CLI.login
    }
}

enum CLI {
    /// The built `leadpool` next to the test bundle.
    static let binary: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("leadpool")
    }()

    /// This process's login, which `init` makes the first admin.
    static let login: String = {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }()

    static func run(
        _ arguments: [String],
        environment: [String: String],
        stdin: String? = nil,
        cwd: URL,
        executable: URL = binary
    ) -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = cwd
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try! process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}

extension Run {
    /// stdout parsed as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
}
