import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SPEC, "Files leadpool writes": no output path ever destroys what was there. Every case runs
/// the real binary and looks at the file system afterwards.
@Suite(.bothBackends) struct TrustOutputFileTests {
    /// A database with a few leads, so exports and backups have content.
    func populated() throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        let csv = box.path("leads.csv")
        try "Company,Email,Country\nAcme GmbH,anna@acme.example,DE\nGlobex Inc,bob@globex.example,US\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let run = box.leadpool("import", csv)
        precondition(run.status == 0, "import failed: \(run)")
        return box
    }

    /// Every command that writes a file leadpool names, aimed at `target`.
    static func writers(_ target: String) -> [[String]] {
        [
            ["export", "-o", target], ["report", "-o", target], ["report", "pool", "--format", "csv", "-o", target],
            ["backup", target], ["backup", target, "--force"],
        ]
    }

    // MARK: - What is refused and left as it was

    @Test func aDirectoryIsRefusedAndItsTreeStaysWhole() throws {
        let box = try populated()
        let directory = box.path("out")
        try FileManager.default.createDirectory(atPath: directory + "/nested", withIntermediateDirectories: true)
        try "keep me".write(toFile: directory + "/a.txt", atomically: true, encoding: .utf8)
        try "me too".write(toFile: directory + "/nested/b.txt", atomically: true, encoding: .utf8)
        let before = try tree(directory)
        for command in Self.writers(directory) {
            let run = box.leadpool(command)
            #expect(run.status == 73, "\(command): \(run)")
            #expect(run.stderr.contains("\(directory): it is a directory"), "\(command): \(run)")
            #expect(try tree(directory) == before, "\(command) changed the directory")
        }
        #expect(leftovers(in: box.directory.path).isEmpty)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func aFIFOIsRefusedAndStaysAFIFO() throws {
        let box = try populated()
        let fifo = box.path("pipe")
        #expect(mkfifo(fifo, 0o644) == 0)
        for command in Self.writers(fifo) {
            let run = box.leadpool(command)
            #expect(run.status == 73, "\(command): \(run)")
            #expect(run.stderr.contains("FIFO"), "\(command): \(run)")
            #expect(fileType(fifo) == S_IFIFO, "\(command) replaced the FIFO")
        }
        #expect(leftovers(in: box.directory.path).isEmpty)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func aDeviceIsRefusedAndStaysADevice() throws {
        // A device node made in the sandbox (the same numbers as /dev/null), never the real one.
        guard geteuid() == 0 else {
            print("skipped: making a device node needs root")
            return
        }
        let box = try populated()
        let device = box.path("null")
        let null = dev_t(1 << 8 | 3)
        #expect(mknod(device, S_IFCHR | 0o666, null) == 0)
        for command in Self.writers(device) {
            let run = box.leadpool(command)
            #expect(run.status == 73, "\(command): \(run)")
            #expect(run.stderr.contains("it is a device"), "\(command): \(run)")
            var info = stat()
            #expect(lstat(device, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR && info.st_rdev == null, "\(command)")
        }
        #expect(leftovers(in: box.directory.path).isEmpty)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func aSocketIsRefused() throws {
        let box = try populated()
        let path = box.path("sock")
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: Array(path.utf8.prefix(buffer.count - 1)))
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        for command in Self.writers(path) {
            let run = box.leadpool(command)
            #expect(run.status == 73, "\(command): \(run)")
            #expect(run.stderr.contains("socket"), "\(command): \(run)")
            #expect(fileType(path) == S_IFSOCK)
        }
    }

    @Test(.sqliteOnly("the SQLite file and its -wal as output paths")) func theDatabaseIsNeverAnOutput() throws {
        let box = try populated()
        let before = Reliability.fingerprint(box.db)
        for target in [box.db, box.db + "-wal", box.db + "-shm", "./leadpool.db"] {
            for command in [["export", "-o", target], ["report", "-o", target], ["backup", target], ["backup", target, "--force"]] {
                let run = box.leadpool(command)
                #expect(run.status == 64, "\(command): \(run)")
                #expect(run.stderr.contains("database"), "\(command): \(run)")
            }
        }
        #expect(Reliability.fingerprint(box.db) == before)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func aMissingDirectoryIsNamed() throws {
        let box = try populated()
        for command in Self.writers(box.path("no/such/out.csv")) {
            let run = box.leadpool(command)
            #expect(run.status == 73, "\(command): \(run)")
            #expect(run.stderr.contains("the directory \(box.path("no/such")) does not exist"), "\(command): \(run)")
        }
        #expect(!FileManager.default.fileExists(atPath: box.path("no")))
    }

    @Test(.sqliteOnly("real OS accounts sharing the SQLite file")) func aDirectoryTheUserCannotWriteIsRefused() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = try populated()
        OSAccount.ensure("lp_files_admin")
        #expect(box.leadpool("rep", "add", "lp_files_admin", "--name", "Files Admin", "--role", "admin").status == 0)
        box.openToEveryone()
        let locked = box.path("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        chmod(locked, 0o755)
        try "old".write(toFile: locked + "/report.csv", atomically: true, encoding: .utf8)
        chmod(locked + "/report.csv", 0o666)
        for command in Self.writers(locked + "/report.csv") + Self.writers(locked + "/new.csv") {
            let run = box.leadpool(as: .login("lp_files_admin"), command)
            if command.first == "backup" && !command.contains("--force") && command.last == locked + "/report.csv" {
                #expect(run.status == 73 && run.stderr.contains("already exists"), "\(command): \(run)")
                continue
            }
            #expect(run.status == 73, "\(command): \(run)")
            #expect(run.stderr.contains("no permission to create files in \(locked)"), "\(command): \(run)")
        }
        #expect(try String(contentsOfFile: locked + "/report.csv", encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: locked) == ["report.csv"])

        // A writable directory does not let anyone replace a file they may not change...
        let shared = box.path("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o777)
        try "root's".write(toFile: shared + "/root.csv", atomically: true, encoding: .utf8)
        chmod(shared + "/root.csv", 0o644)
        let foreign = box.leadpool(as: .login("lp_files_admin"), ["export", "-o", shared + "/root.csv"])
        #expect(foreign.status == 73, "\(foreign)")
        #expect(foreign.stderr.contains("no permission to change it"), "\(foreign)")
        #expect(try String(contentsOfFile: shared + "/root.csv", encoding: .utf8) == "root's")
        // ...and a replaced file keeps its owner.
        let theirs = box.leadpool(as: .login("lp_files_admin"), ["export", "-o", shared + "/theirs.csv"])
        #expect(theirs.status == 0, "\(theirs)")
        let uid = OSAccount.ensure("lp_files_admin")
        #expect(box.leadpool("export", "-o", shared + "/theirs.csv").status == 0)
        var info = stat()
        #expect(stat(shared + "/theirs.csv", &info) == 0 && info.st_uid == uid)
        #expect(leftovers(in: shared).isEmpty)
    }

    // MARK: - What is written, and how

    @Test(.sqliteOnly("backup copies the SQLite file")) func backupRefusesAnExistingFileUnlessForced() throws {
        let box = try populated()
        let target = box.path("copy.db")
        try "yesterday's copy".write(toFile: target, atomically: true, encoding: .utf8)
        chmod(target, 0o640)
        let refused = box.leadpool("backup", target)
        #expect(refused.status == 73, "\(refused)")
        #expect(refused.stderr.contains("\(target) already exists"), "\(refused)")
        #expect(refused.stderr.contains("--force"), "\(refused)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "yesterday's copy")

        let forced = box.leadpool("backup", target, "--force")
        #expect(forced.status == 0, "\(forced)")
        #expect(permissions(target) == 0o640, "a replaced file keeps its permission bits")
        let check = box.leadpool("--db", target, "check")
        #expect(check.status == 0, "\(check)")
        #expect((box.leadpool("--db", target, "--json", "lead", "list").json as? [Any])?.count == 2)
        #expect(leftovers(in: box.directory.path).isEmpty)
    }

    @Test(.sqliteOnly("the SQLite file's permissions")) func aNewBackupIsNoMoreOpenThanTheDatabase() throws {
        let box = try populated()
        chmod(box.db, 0o600)
        let target = box.path("fresh.db")
        #expect(box.leadpool("backup", target).status == 0)
        #expect(permissions(target) & 0o077 == 0, "the copy holds every contact: \(String(permissions(target), radix: 8))")
    }

    @Test func exportAndReportReplaceARegularFileKeepingItsPermissions() throws {
        let box = try populated()
        let target = box.path("leads.out")
        for command in [["export", "-o", target], ["report", "pool", "--format", "csv", "-o", target]] {
            try "old content".write(toFile: target, atomically: true, encoding: .utf8)
            chmod(target, 0o600)
            let run = box.leadpool(command)
            #expect(run.status == 0, "\(command): \(run)")
            let text = try String(contentsOfFile: target, encoding: .utf8)
            #expect(text.hasPrefix(command[0] == "export" ? "id,external_id,company" : "dimension,group,leads"), "\(command): \(text)")
            #expect(permissions(target) == 0o600)
        }
        #expect(leftovers(in: box.directory.path).isEmpty)
    }

    @Test func aSymbolicLinkIsFollowedAndStaysALink() throws {
        let box = try populated()
        try FileManager.default.createDirectory(atPath: box.path("real"), withIntermediateDirectories: false)
        let real = box.path("real/leads.csv")
        try "old".write(toFile: real, atomically: true, encoding: .utf8)
        let link = box.path("latest.csv")
        #expect(symlink("real/leads.csv", link) == 0)
        let run = box.leadpool("export", "-o", link)
        #expect(run.status == 0, "\(run)")
        #expect(fileType(link) == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real/leads.csv")
        #expect(try String(contentsOfFile: real, encoding: .utf8).hasPrefix("id,external_id,company"))

        // A link to a directory or FIFO is refused like the thing itself.
        #expect(symlink("real", box.path("to-dir")) == 0)
        #expect(box.leadpool("export", "-o", box.path("to-dir")).status == 73)
        #expect(mkfifo(box.path("real/pipe"), 0o644) == 0)
        #expect(symlink("real/pipe", box.path("to-pipe")) == 0)
        #expect(box.leadpool("report", "-o", box.path("to-pipe")).status == 73)
        #expect(fileType(box.path("real/pipe")) == S_IFIFO)
        #expect(leftovers(in: box.directory.path).isEmpty && leftovers(in: box.path("real")).isEmpty)
    }

    @Test(.sqliteOnly("backup copies the SQLite file")) func aBackupThroughADanglingLinkCreatesItsTarget() throws {
        let box = try populated()
        try FileManager.default.createDirectory(atPath: box.path("real"), withIntermediateDirectories: false)
        let dangling = box.path("next.db")
        #expect(symlink("real/next.db", dangling) == 0)
        #expect(box.leadpool("backup", dangling).status == 0)
        #expect(fileType(dangling) == S_IFLNK)
        #expect(box.leadpool("--db", box.path("real/next.db"), "check").status == 0)
        // backup without --force refuses what the link points at.
        let again = box.leadpool("backup", dangling)
        #expect(again.status == 73, "\(again)")
        #expect(leftovers(in: box.directory.path).isEmpty && leftovers(in: box.path("real")).isEmpty)
    }

    @Test func dashWritesStandardOutput() throws {
        let box = try populated()
        let export = box.leadpool("export", "-o", "-")
        #expect(export.status == 0)
        #expect(export.stdout.hasPrefix("id,external_id,company"))
        #expect(export.stdout.contains("Acme GmbH"))
        let report = box.leadpool("report", "pool", "--format", "csv", "-o", "-")
        #expect(report.status == 0)
        #expect(report.stdout.hasPrefix("dimension,group,leads"))
        #expect(export.stderr.isEmpty && report.stderr.isEmpty, "no 'written to -' notes: \(export.stderr)\(report.stderr)")
        let backup = box.leadpool("backup", "-")
        #expect(backup.status == 64, "\(backup)")
        #expect(!FileManager.default.fileExists(atPath: box.path("-")))
    }

    /// SIGTERM as soon as the temporary file exists, or once bytes are in it.
    @Test(arguments: [false, true])
    func anInterruptedExportLeavesTheOldFileAndNoTemporaryFile(midWrite: Bool) throws {
        try interruptedWrite(["export", "-o", "OUT"], midWrite: midWrite)
    }

    @Test(.sqliteOnly("backup copies the SQLite file"), arguments: [false, true])
    func anInterruptedBackupLeavesTheOldFileAndNoTemporaryFile(midWrite: Bool) throws {
        try interruptedWrite(["backup", "OUT", "--force"], midWrite: midWrite)
    }

    func interruptedWrite(_ command: [String], midWrite: Bool) throws {
        let box = Sandbox()
        box.initialized()
        let csv = box.path("many.csv")
        try (["Company,Email,Country"] + (0..<30_000).map { "Company \($0),p\($0)@c\($0).example,DE" })
            .joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", csv).status == 0)
        let target = box.path("output")
        try "the old file".write(toFile: target, atomically: true, encoding: .utf8)
        var interrupted = false
        for _ in 0..<3 where !interrupted {
            let process = try Interruptible(["--db", box.db] + command.map { $0 == "OUT" ? target : $0 })
            func started() -> Bool {
                leftovers(in: box.directory.path).contains { !midWrite || fileSize(box.path($0)) > 0 }
            }
            while process.isRunning, !started() { usleep(200) }
            if process.isRunning {
                kill(process.pid, SIGTERM)
                interrupted = process.finish() == SIGTERM
                #expect(interrupted, "\(command) was not ended by SIGTERM")
            } else {
                print("\(command) finished before it could be interrupted; trying again")
            }
            #expect(leftovers(in: box.directory.path).isEmpty)
            if interrupted { #expect(try String(contentsOfFile: target, encoding: .utf8) == "the old file") }
        }
        #expect(interrupted, "never caught \(command) mid-write")
    }

    // MARK: - Formulas

    @Test func reportCSVNeutralisesFormulas() throws {
        let box = Sandbox()
        box.initialized()
        let csv = box.path("sources.csv")
        try """
        Company,Email,Lead Source
        A,a@a.example,=1+1
        B,b@b.example,@SUM(A1)
        C,c@c.example,'kept
        D,d@d.example,-x
        """.write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", csv).status == 0)
        let report = box.leadpool("report", "pool", "--format", "csv")
        #expect(report.status == 0, "\(report)")
        let lines = report.stdout.components(separatedBy: "\r\n")
        for line in ["source,'=1+1,1", "source,'@SUM(A1),1", "source,'kept,1", "source,'-x,1"] {
            #expect(lines.contains(line), "\(report.stdout)")
        }
    }

    // MARK: - demo --dir

    @Test func demoRefusesADirectoryHoldingItsFiles() throws {
        let box = Sandbox()
        let directory = box.path("demo")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try "my rules".write(toFile: directory + "/rules.yaml", atomically: true, encoding: .utf8)
        try "notes".write(toFile: directory + "/notes.txt", atomically: true, encoding: .utf8)
        let before = try tree(directory)
        let run = box.leadpool("demo", "--dir", directory, "--leads", "20")
        #expect(run.status == 73, "\(run)")
        #expect(run.stderr.contains("already holds rules.yaml"), "\(run)")
        #expect(try tree(directory) == before)

        let file = box.path("plain")
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        let notDirectory = box.leadpool("demo", "--dir", file, "--leads", "20")
        #expect(notDirectory.status == 73, "\(notDirectory)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x")

        // Other files are no obstacle, and a second run refuses the first one's database.
        try FileManager.default.removeItem(atPath: directory + "/rules.yaml")
        let built = box.leadpool("demo", "--dir", directory, "--leads", "20")
        #expect(built.status == 0, "\(built)")
        #expect(box.leadpool("--db", directory + "/leadpool.db", "check").status == 0)
        let database = try Data(contentsOf: URL(fileURLWithPath: directory + "/leadpool.db"))
        let second = box.leadpool("demo", "--dir", directory, "--leads", "20")
        #expect(second.status == 73, "\(second)")
        #expect(second.stderr.contains("leadpool.db"), "\(second)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/leadpool.db")) == database)
        #expect(try String(contentsOfFile: directory + "/notes.txt", encoding: .utf8) == "notes")
    }

    // MARK: - Helpers

    /// Every file under `directory` with its bytes (directories as empty entries).
    func tree(_ directory: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            let path = directory + "/" + name
            result[name] = fileType(path) == S_IFREG ? try Data(contentsOf: URL(fileURLWithPath: path)) : Data()
        }
        return result
    }

    /// Temporary files an output left in `directory`: hidden names ending in `~`.
    func leftovers(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".") && $0.contains("~") }
    }

    func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    func permissions(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }
}

/// A `leadpool` process started with no signal blocked. Foundation's `Process` starts children
/// with the spawning thread's signal mask, and test threads block SIGTERM: such a child never
/// sees the signal.
final class Interruptible {
    let pid: pid_t
    private var status: Int32?

    init(_ arguments: [String]) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([CLI.binary.path] + arguments).map { strdup($0) } + [nil]
        let path = "PATH=" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let environment: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { for pointer in argv + environment { free(pointer) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, CLI.binary.path, &actions, &attributes, argv, environment)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        self.pid = pid
    }

    var isRunning: Bool {
        guard status == nil else { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
        return status == nil
    }

    /// Waits for the end; the signal that ended it, or 0 when it exited.
    func finish() -> Int32 {
        if status == nil {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            status = raw
        }
        let signal = status! & 0x7f
        return signal == 0x7f ? 0 : signal
    }
}
