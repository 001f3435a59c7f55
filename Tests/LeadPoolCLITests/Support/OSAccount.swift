import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Real OS accounts for tests where identity matters: a rep is an OS login, and the database
/// file's permissions are the trust boundary. Creating accounts needs root (CI runs as root);
/// elsewhere `available` is false and such tests skip with a message.
enum OSAccount {
    /// True when this process may create accounts and run commands as them.
    static var available: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd") }

    /// Why identity tests are skipped, printed once by the tests that need accounts.
    static let skipReason = "skipped: creating OS accounts needs root (run the suite as root, as CI does)"

    /// Makes sure the login `name` exists (no home, no shell) and belongs to `groups`, which are
    /// created as needed. Returns its uid.
    @discardableResult
    static func ensure(_ name: String, groups: [String] = []) -> uid_t {
        for group in groups where getgrnam(group) == nil { sh("/usr/sbin/groupadd", group) }
        if getpwnam(name) == nil {
            sh("/usr/sbin/useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name)
        }
        if !groups.isEmpty { sh("/usr/sbin/usermod", "--append", "--groups", groups.joined(separator: ","), name) }
        guard let entry = getpwnam(name) else { fatalError("useradd did not create \(name)") }
        return entry.pointee.pw_uid
    }

    /// Makes sure the login `name` exists with an empty mailbox on this host's mail system and
    /// returns the mailbox's path (`/var/mail/NAME`). The account's home is `/`: local delivery
    /// runs in the recipient's home directory, and these accounts have none of their own.
    static func mailbox(_ name: String) -> String {
        ensure(name)
        sh("/usr/sbin/usermod", "--home", "/", name)
        let path = "/var/mail/" + name
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    /// Whether the host has a mail system's sendmail interface (CI installs exim4, see .ci/run).
    static var mailSystem: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/sendmail") }

    /// The messages delivered to `mailbox` (an mbox file), once at least `count` have arrived:
    /// local delivery runs beside the submitting process, so it may land a moment later. Gives
    /// up after a minute and returns what is there.
    static func messages(in mailbox: String, atLeast count: Int) -> [String] {
        var messages: [String] = []
        for _ in 0..<600 {
            let text = (try? String(contentsOfFile: mailbox, encoding: .utf8)) ?? ""
            messages = text.components(separatedBy: "\nFrom ").filter { !$0.isEmpty }
            if messages.count >= count { break }
            usleep(100_000)
        }
        return messages
    }

    /// A uid that has no entry in the password database.
    static var uidWithoutEntry: uid_t {
        var uid: uid_t = 54_321
        while getpwuid(uid) != nil { uid += 1 }
        return uid
    }

    /// The argument vector that runs `command` as `user` (a login name, with its groups) or as
    /// a bare uid, with the environment left exactly as given.
    static func wrap(_ command: [String], user: User) -> [String] {
        switch user {
        case .login(let name):
            ["/usr/bin/setpriv", "--reuid=\(name)", "--regid=\(name)", "--init-groups", "--"] + command
        case .uid(let uid):
            ["/usr/bin/setpriv", "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups", "--"] + command
        }
    }

    enum User {
        case login(String)
        case uid(uid_t)
    }

    private static func sh(_ arguments: String...) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        try! process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "\(arguments.joined(separator: " ")) failed")
    }
}

extension Sandbox {
    /// Runs `leadpool` as another OS user (see ``OSAccount``), with LEADPOOL_DB set as usual.
    @discardableResult
    func leadpool(as user: OSAccount.User, _ arguments: [String], env: [String: String] = [:], stdin: String? = nil) -> Run {
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "LEADPOOL_DB": db]
        environment.merge(env) { $1 }
        let command = OSAccount.wrap([CLI.binary.path] + arguments, user: user)
        return CLI.run(
            Array(command.dropFirst()),
            environment: environment,
            stdin: stdin,
            cwd: directory,
            executable: URL(fileURLWithPath: command[0])
        )
    }

    /// Lets every OS user read and write the sandbox and the database in it (what `init --group`
    /// does for a group), so tests can run commands as other accounts.
    func openToEveryone() {
        chmod(directory.path, 0o777)
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: db + suffix) {
            chmod(db + suffix, 0o666)
        }
    }
}
