import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `init --group`: the database and its directory are the group's, so every member can work
/// whoever created the `-wal`/`-shm` files, and nobody outside the group can read it.
@Suite(.bothBackends, .sqliteOnly("init --group shares the SQLite file with real OS accounts")) struct TrustSharingTests {
    static let ann = "lp_sh_ann"
    static let ben = "lp_sh_ben"
    static let outsider = "lp_sh_out"
    static let group = "lp_sh_sales"

    /// An empty directory of ann's inside the sandbox, for the shared database.
    func sharedDirectory(_ box: Sandbox) throws -> String {
        OSAccount.ensure(Self.ann, groups: [Self.group])
        OSAccount.ensure(Self.ben, groups: [Self.group])
        OSAccount.ensure(Self.outsider)
        let directory = box.path("shared")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let ann = try #require(getpwnam(Self.ann)).pointee
        #expect(chown(directory, ann.pw_uid, ann.pw_gid) == 0)
        #expect(chmod(directory, 0o755) == 0)
        return directory
    }

    func mode(_ path: String) -> (mode: Int, group: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return (-1, "") }
        let group = getgrgid(info.st_gid).flatMap { $0.pointee.gr_name.map { String(cString: $0) } } ?? ""
        return (Int(info.st_mode & 0o7777), group)
    }

    @Test func membersOfTheGroupCanBothWorkAndOutsidersCannotRead() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = Sandbox()
        let directory = try sharedDirectory(box)
        let db = directory + "/leadpool.db"
        let env = ["LEADPOOL_DB": db]
        let created = box.leadpool(as: .login(Self.ann), ["init", "--group", Self.group], env: env)
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout.contains("Shared with group '\(Self.group)'"))
        #expect(mode(directory) == (0o2770, Self.group))
        for file in [db, db + "-wal", db + "-shm"] { #expect(mode(file) == (0o660, Self.group), "\(file)") }

        var csv = "Company,Country\n"
        for i in 1...4 { csv += "Company \(i),DE\n" }
        try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool(as: .login(Self.ann), ["rep", "add", Self.ben, "--name", "Ben"], env: env).status == 0)
        #expect(box.leadpool(as: .login(Self.ann), ["import", box.path("leads.csv")], env: env).status == 0)

        // Without the companions (removed by another tool), ben's claim makes them: they are
        // still the group's, and ann can work after him.
        for suffix in ["-wal", "-shm"] { try FileManager.default.removeItem(atPath: db + suffix) }
        let benClaims = box.leadpool(as: .login(Self.ben), ["claim", "1"], env: env)
        #expect(benClaims.status == 0, "\(benClaims)")
        for file in [db + "-wal", db + "-shm"] { #expect(mode(file) == (0o660, Self.group), "\(file)") }
        let annClaims = box.leadpool(as: .login(Self.ann), ["claim", "2"], env: env)
        #expect(annClaims.status == 0, "\(annClaims)")
        #expect(box.leadpool(as: .login(Self.ben), ["claim", "3"], env: env).status == 0)
        let owners = (box.leadpool(as: .login(Self.ann), ["--json", "lead", "list"], env: env).json as? [[String: Any]])?
            .map { $0["owner"] as? String ?? "-" }
        #expect(owners == [Self.ben, Self.ann, Self.ben, "-"])

        let outsider = box.leadpool(as: .login(Self.outsider), ["rep", "list"], env: env)
        #expect(outsider.status == 77, "\(outsider)")
        #expect(
            outsider.stderr.contains(
                "cannot reach \(db): you may not enter \(directory) (owner \(Self.ann), group \(Self.group), mode 2770)"
            ),
            "\(outsider)"
        )
        #expect(box.leadpool(as: .login(Self.ann), ["check"], env: env).status == 0)
    }

    @Test func anUnknownGroupOrADirectoryHoldingOtherFilesIsRefusedBeforeAnythingIsCreated() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = Sandbox()
        let directory = try sharedDirectory(box)
        let env = ["LEADPOOL_DB": directory + "/leadpool.db"]

        let unknown = box.leadpool(as: .login(Self.ann), ["init", "--group", "lp_no_such_group"], env: env)
        #expect(unknown.status == 66, "\(unknown)")
        #expect(unknown.stderr.contains("no group 'lp_no_such_group' on this host"), "\(unknown)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(mode(directory) == (0o755, Self.ann))

        let notMine = box.leadpool(as: .login(Self.outsider), ["init", "--group", Self.group], env: env)
        #expect(notMine.status == 77, "\(notMine)")
        #expect(notMine.stderr.contains("you are not a member of group '\(Self.group)'"), "\(notMine)")

        // A directory with other files in it (a home directory, say) is not opened to the group.
        FileManager.default.createFile(atPath: directory + "/notes.txt", contents: Data("mine\n".utf8))
        let crowded = box.leadpool(as: .login(Self.ann), ["init", "--group", Self.group], env: env)
        #expect(crowded.status == 78, "\(crowded)")
        #expect(crowded.stderr.contains("but it holds other files that this would open to the group"), "\(crowded)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["notes.txt"])
        #expect(mode(directory) == (0o755, Self.ann))
    }

    @Test func aDirectoryAlreadySharedByHandIsKept() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = Sandbox()
        let directory = try sharedDirectory(box)
        FileManager.default.createFile(atPath: directory + "/README", contents: Data("sales db\n".utf8))
        let group = try #require(getgrnam(Self.group)).pointee.gr_gid
        #expect(chown(directory, 0, group) == 0)
        #expect(chmod(directory, 0o2775) == 0)
        let env = ["LEADPOOL_DB": directory + "/leadpool.db"]
        let created = box.leadpool(as: .login(Self.ben), ["init", "--group", Self.group], env: env)
        #expect(created.status == 0, "\(created)")
        #expect(mode(directory) == (0o2775, Self.group), "left as its owner set it")
        #expect(mode(directory + "/leadpool.db") == (0o660, Self.group))
        #expect(box.leadpool(as: .login(Self.ben), ["check"], env: env).status == 0)
    }
}
