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

/// A scratch directory and a database, removed at deinit: on SQLite a file in the directory, on
/// PostgreSQL a schema of its own in the test database (see ``TestBackend``).
final class Sandbox {
    let directory: URL
    /// The backend of the test run that made this sandbox.
    let backend: TestBackend
    /// What LEADPOOL_DB says: the SQLite file's path, or the PostgreSQL URL with the schema.
    let db: String

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadpool-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        backend = TestBackend.current
        switch backend {
        case .sqlite: db = directory.appendingPathComponent("leadpool.db").path
        case .postgres:
            let schema = PostgresTestDatabase.newSchema()
            db = PostgresTestDatabase.url(schema: schema)
            schemas = [schema]
        }
    }

    /// The PostgreSQL schemas to drop with the sandbox: its own and its copies'.
    private var schemas: [String] = []

    deinit {
        try? FileManager.default.removeItem(at: directory)
        if let url = PostgresTestDatabase.url, !schemas.isEmpty {
            _ = PostgresTestDatabase.psql(url, schemas.map { "DROP SCHEMA IF EXISTS \($0) CASCADE;" }.joined())
        }
    }

    /// A copy of this sandbox's PostgreSQL schema under a new name, as a leadpool URL.
    func postgresCopy() -> String {
        let (url, schema) = PostgresTestDatabase.split(db)
        let copy = PostgresTestDatabase.newSchema()
        let dump = CLI.run(
            ["pg_dump", "--no-owner", "--schema", schema!, url],
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"],
            cwd: directory,
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        precondition(dump.status == 0, "pg_dump failed: \(dump)")
        // The schema's name is a fresh random one, so it occurs in the dump only as the schema.
        let script = dump.stdout.replacingOccurrences(of: schema!, with: copy)
        schemas.append(copy)
        let restore = CLI.run(
            ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtX"],
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"],
            stdin: script,
            cwd: directory,
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        precondition(restore.status == 0, "restoring the copy failed: \(restore)")
        return PostgresTestDatabase.url(schema: copy)
    }

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
        return backend == .postgres ? PostgresTestDatabase.role : CLI.osLogin
    }
}

enum CLI {
    /// The built `leadpool` next to the test bundle.
    static let binary: URL = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("leadpool")
    }()

    /// The login `init` makes the first admin: this process's OS login on SQLite, the URL's
    /// role on PostgreSQL.
    static var login: String { TestBackend.current == .postgres ? PostgresTestDatabase.role : osLogin }

    /// This process's OS login.
    static let osLogin: String = {
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
