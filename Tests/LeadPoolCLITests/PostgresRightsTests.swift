import Foundation
import Testing

/// On PostgreSQL the database is the trust boundary: a rep's role, connecting with `psql`
/// rather than leadpool, still cannot change another rep's lead, take a pool lead for
/// someone else, read the contact fields of leads it does not own, write events but through
/// leadpool's checked function, or read anything at all when it is no rep. The same roles
/// through leadpool work as before: a non-owner admin imports, applies rules, assigns and
/// reclaims; a rep claims, touches, releases and sees its own lead's contact fields only.
/// Runs against `LEADPOOL_TEST_POSTGRES`'s server; the cluster's superuser owns the schema.
@Suite(
    .enabled(
        if: PostgresTestDatabase.url != nil,
        "LEADPOOL_TEST_POSTGRES is not set, so the PostgreSQL CLI tests are skipped: `.ci/postgres start` starts a cluster and prints its URL"
    )
)
struct PostgresRightsTests {
    static var baseURL: String { PostgresTestDatabase.url! }

    let schema = "sec_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    let sandbox = Sandbox()
    let suffix = UUID().uuidString.lowercased().prefix(8)

    /// The test database's URL as `user` (nil: the cluster's superuser).
    func url(as user: String? = nil, schema: Bool = true) -> String {
        var components = URLComponents(string: Self.baseURL)!
        if let user { components.user = user }
        if schema { components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "schema", value: String(self.schema))] }
        return components.string!
    }

    @discardableResult
    func leadpool(as user: String? = nil, _ arguments: String..., stdin: String? = nil) -> Run {
        sandbox.leadpool(arguments, env: ["LEADPOOL_DB": url(as: user)], stdin: stdin)
    }

    /// Runs `sql` with psql logged in as `user` (nil: the superuser), this test's schema first
    /// on the search path, stopping at the first error.
    @discardableResult
    func psql(as user: String? = nil, _ sql: String) -> Run {
        CLI.run(
            ["psql", url(as: user, schema: false), "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql],
            environment: ["PATH": "/usr/bin:/bin", "PGOPTIONS": "-c search_path=\(schema)"],
            cwd: sandbox.directory,
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
    }

    /// One value read by the superuser.
    func value(_ sql: String) -> String {
        let run = psql(sql)
        #expect(run.status == 0, "\(run)")
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `sql` run as `user` is refused with `message` and changes nothing the superuser sees.
    func refused(as user: String, _ sql: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = value(Self.fingerprint)
        let events = value("SELECT count(*) FROM events")
        let run = psql(as: user, sql)
        #expect(run.status != 0, "\(sql) should be refused: \(run)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(message), "\(sql): \(run)", sourceLocation: sourceLocation)
        #expect(value(Self.fingerprint) == before)
        #expect(value("SELECT count(*) FROM events") == events, sourceLocation: sourceLocation)
    }

    /// `sql` run as `user` finds no row to change: row-level security hides the row from the
    /// statement, so nothing changes.
    func changesNothing(as user: String, _ sql: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = value(Self.fingerprint)
        let run = psql(as: user, sql + " RETURNING id")
        #expect(run.status == 0, "\(run)", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, "\(sql) changed a row: \(run)", sourceLocation: sourceLocation)
        #expect(value(Self.fingerprint) == before)
    }

    /// Every lead row as the superuser reads it, hashed.
    static let fingerprint = "SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM leads t"

    func json(_ run: Run) throws -> [String: Any] {
        try #require(run.json as? [String: Any], "\(run)")
    }

    static let rules = """
        hidden: [attr.referrer, title]
        reclaim: { no-activity-days: 5 }
        rules:
          - { name: de, when: 'country = "DE"', to: [ANN], strategy: round-robin }
        """

    @Test func aRepsRoleCannotBreakTheRulesEvenWithPsqlAndLeadpoolStillWorks() throws {
        let admin = "adm_\(suffix)"
        let ann = "ann_\(suffix)"
        let bob = "bob_\(suffix)"
        let stranger = "str_\(suffix)"
        #expect(leadpool("init").status == 0)
        defer { psql("DROP OWNED BY \(admin), \(ann), \(bob), \(stranger); DROP ROLE \(admin), \(ann), \(bob), \(stranger)") }
        psql("CREATE ROLE \(stranger) LOGIN")

        // `rep add --login` makes the rep's login role, with a password from stdin or none;
        // the roles get no GRANT.
        #expect(leadpool("rep", "add", admin, "--name", "Adm", "--role", "admin", "--login").status == 0)
        let added = leadpool("rep", "add", ann, "--name", "Ann", "--login", "--password-stdin", stdin: "s3cret pass\n")
        #expect(added.status == 0, "\(added)")
        #expect(added.stdout.contains("and the login role '\(ann)'"), "\(added)")
        #expect(value("SELECT rolcanlogin AND rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = '\(ann)'") == "t")
        #expect(leadpool("rep", "add", bob, "--name", "Bob", "--login").status == 0)
        #expect(value("SELECT rolcanlogin AND rolpassword IS NULL FROM pg_authid WHERE rolname = '\(bob)'") == "t")
        let twice = leadpool("rep", "add", stranger, "--name", "Stranger", "--login")
        #expect(twice.status == 1, "\(twice)")
        #expect(twice.stderr.contains("a database role '\(stranger)' exists already"), "\(twice)")
        #expect(value("SELECT count(*) FROM reps WHERE handle = '\(stranger)'") == "0", "nothing half-written")
        #expect(leadpool(as: ann, "rep", "add", "cy_\(suffix)", "--name", "Cy", "--login").status == 77)
        #expect(value("SELECT count(*) FROM pg_roles WHERE rolname = 'cy_\(suffix)'") == "0")

        // A non-owner admin imports, applies rules and assigns through leadpool.
        try """
        company,email,phone,first_name,title,country,wechat,plan,referrer
        Acme,a@acme.test,+49 30 1,Anna,CEO,DE,acme_wx,gold,fair
        Beta,b@beta.test,+33 1 2,Bert,CTO,FR,beta_wx,silver,web
        Gamma,c@gamma.test,+33 1 3,Cleo,CFO,FR,gamma_wx,bronze,ads
        """.write(toFile: sandbox.path("leads.csv"), atomically: true, encoding: .utf8)
        try Self.rules.replacingOccurrences(of: "ANN", with: ann).write(toFile: sandbox.path("rules.yaml"), atomically: true, encoding: .utf8)
        let imported = leadpool(as: admin, "import", sandbox.path("leads.csv"))
        #expect(imported.status == 0, "\(imported)")
        let applied = leadpool(as: admin, "rules", "apply", sandbox.path("rules.yaml"))
        #expect(applied.status == 0, "\(applied)")
        let assigned = leadpool(as: admin, "assign")
        #expect(assigned.status == 0, "\(assigned)")
        #expect(value("SELECT owner FROM leads WHERE id = 1") == ann)
        #expect(value("SELECT recorded_by FROM events WHERE kind = 'assigned'") == admin)

        // A rep claims, touches and releases through leadpool.
        #expect(leadpool(as: bob, "claim", "2").status == 0)
        #expect(leadpool(as: ann, "claim", "3").status == 0)
        #expect(leadpool(as: ann, "touch", "1").status == 0)
        let released = leadpool(as: ann, "release", "3", "--reason", "not now")
        #expect(released.status == 0, "\(released)")
        #expect(value("SELECT owner IS NULL FROM leads WHERE id = 3") == "t")
        #expect(
            value("SELECT string_agg(kind || ':' || recorded_by, ',' ORDER BY id) FROM events WHERE actor = '\(ann)'")
                == "claimed:\(ann),touched:\(ann),released:\(ann)"
        )

        // It sees its own lead's contact fields in `lead show`, not another rep's.
        let own = try json(leadpool(as: ann, "--json", "lead", "show", "1"))
        #expect(own["email"] as? String == "a@acme.test")
        #expect(own["attr.wechat"] as? String == "acme_wx")
        #expect(own["title"] as? String == "CEO")
        let others = try json(leadpool(as: ann, "--json", "lead", "show", "2"))
        #expect(others["email"] == nil && others["phone"] == nil && others["first_name"] == nil, "\(others)")
        #expect(others["attr.plan"] as? String == "silver", "\(others)")
        #expect(others["attr.wechat"] == nil, "\(others)")
        #expect(others["attr.referrer"] == nil, "\(others)")
        let hidden = Set(others["hidden"] as? [String] ?? [])
        #expect(hidden == ["email", "phone", "first_name", "title", "attr.wechat", "attr.referrer"], "\(others)")
        #expect(others["title"] == nil, "the rules file hides it: \(others)")
        let pooled = try json(leadpool(as: bob, "--json", "lead", "show", "3"))
        #expect(Set(pooled["hidden"] as? [String] ?? []) == ["email", "phone", "first_name", "title", "attr.wechat", "attr.referrer"], "\(pooled)")
        let shown = leadpool(as: ann, "lead", "show", "2")
        #expect(shown.status == 0 && !shown.stdout.contains("b@beta.test") && !shown.stdout.contains("beta_wx"), "\(shown)")

        // The rest of a rep's and a non-owner admin's reading works on the rows they may read.
        for arguments in [["lead", "list"], ["mine"], ["history", "2"], ["rules", "check", sandbox.path("rules.yaml")], ["segment", "list"]] {
            let run = sandbox.leadpool(arguments, env: ["LEADPOOL_DB": url(as: ann)])
            #expect(run.status == 0, "\(arguments): \(run)")
            #expect(!run.stdout.contains("b@beta.test") && !run.stdout.contains("beta_wx"), "\(arguments): \(run)")
        }
        let repCheck = leadpool(as: ann, "--json", "check")
        #expect(repCheck.stdout.contains("leads hold fields you may not read"), "\(repCheck)")
        for arguments in [["report"], ["export", "-o", sandbox.path("all.csv")], ["check"]] {
            let run = sandbox.leadpool(arguments, env: ["LEADPOOL_DB": url(as: admin)])
            #expect(run.status == 0, "\(arguments): \(run)")
        }
        #expect(try String(contentsOfFile: sandbox.path("all.csv"), encoding: .utf8).contains("b@beta.test"), "an admin exports every field")

        // With psql, the rep's role cannot change another rep's lead: the row is not there to update.
        changesNothing(as: ann, "UPDATE leads SET status = 'converted' WHERE id = 2")
        changesNothing(as: ann, "UPDATE leads SET owner = '\(ann)', claimed_at = 1 WHERE id = 2")
        changesNothing(as: ann, "DELETE FROM leads WHERE id = 1")
        // … nor take a pool lead for someone else, nor give its own lead away, nor add leads.
        refused(as: ann, "UPDATE leads SET owner = '\(bob)', claimed_at = 1 WHERE id = 3", "a rep takes a pool lead only for itself")
        refused(as: ann, "UPDATE leads SET owner = '\(bob)' WHERE id = 1", "new row violates row-level security policy")
        refused(as: ann, "UPDATE leads SET pool = 'vip' WHERE id = 1", "only the admins of pool main may move it to another pool")
        refused(as: ann, "INSERT INTO leads (company, created_at) VALUES ('Mine', 1)", "new row violates row-level security policy")
        // … nor change leads through the view, which runs with its owner's rights.
        refused(as: ann, "UPDATE lead_rows SET owner = '\(ann)', claimed_at = 1 WHERE id = 2", "lead_rows is for reading")
        // … nor make itself an admin.
        refused(as: ann, "UPDATE reps SET role = 'admin' WHERE handle = '\(ann)'", "a rep changes only its own away window")
        #expect(value("SELECT role FROM reps WHERE handle = '\(ann)'") == "rep")
        let now = "floor(extract(epoch FROM clock_timestamp()))::BIGINT"
        // … nor keep its lead from reclaim by moving its activity time, nor take a pool lead or
        // give its own back without the event that says so.
        refused(as: ann, "UPDATE leads SET last_activity_at = \(now) WHERE id = 1", "its activity time moves only with an event")
        refused(as: ann, "UPDATE leads SET owner = NULL, claimed_at = NULL WHERE id = 1", "a rep gives a lead back only with its released event")
        refused(
            as: ann,
            "UPDATE leads SET owner = '\(ann)', claimed_at = \(now) WHERE id = 3",
            "a rep takes a pool lead only with its claimed event"
        )

        // It has no privilege on the contact columns of the table, its own lead's neither …
        for column in ["email", "phone", "first_name", "last_name", "email_norm", "attrs", "open_attrs", "title"] {
            refused(as: ann, "SELECT \(column) FROM leads WHERE id = 2", "permission denied for table leads")
        }
        // … and the view gives them only on its own lead.
        let viewed = psql(
            as: ann,
            "SELECT id, coalesce(email, '-'), coalesce(phone, '-'), attrs::text, coalesce(title, '-') FROM lead_rows ORDER BY id"
        )
        #expect(viewed.status == 0, "\(viewed)")
        let rows = viewed.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 3, "\(viewed)")
        #expect(rows.first?[1] == "a@acme.test" && rows.first?[3].contains("acme_wx") == true && rows.first?[4] == "CEO", "\(viewed)")
        for row in rows.dropFirst() {
            #expect(row[1] == "-" && row[2] == "-" && row[4] == "-", "\(viewed)")
            #expect(!row[3].contains("_wx") && !row[3].contains("referrer") && row[3].contains("plan"), "\(viewed)")
        }

        // Events: no INSERT, UPDATE or DELETE on the table …
        refused(
            as: ann,
            "INSERT INTO events (lead_id, at, actor, kind) VALUES (1, 1, '\(ann)', 'touched')",
            "permission denied for table events"
        )
        refused(as: ann, "UPDATE events SET actor = '\(bob)'", "permission denied for table events")
        refused(as: ann, "DELETE FROM events", "permission denied for table events")
        // … and the function writes only the rep's own events, agreeing with the lead, now.
        refused(
            as: ann,
            "SELECT leadpool_record_event(1, \(now), '\(bob)', 'touched', NULL, NULL, NULL, NULL, NULL, NULL)",
            "may not write events as \(bob)"
        )
        refused(
            as: ann,
            "SELECT leadpool_record_event(1, \(now) - 86400, '\(ann)', 'touched', NULL, NULL, NULL, NULL, NULL, NULL)",
            "only admins backfill"
        )
        refused(
            as: ann,
            "SELECT leadpool_record_event(2, \(now), '\(ann)', 'claimed', NULL, '\(ann)', NULL, NULL, NULL, NULL)",
            "may not write a claimed event on lead 2"
        )
        refused(
            as: ann,
            "SELECT leadpool_record_imported(ARRAY[1]::BIGINT[], ARRAY['{}'], \(now), '\(ann)')",
            "only admins import leads"
        )
        // Through leadpool a refusal is exit 77 with the database's reason.
        let backdated = leadpool(as: ann, "--now", "2026-01-05T09:00:00Z", "touch", "1")
        #expect(backdated.status == 77, "\(backdated)")
        // The function's own event, written right, is recorded with the server's clock and role.
        let written = psql(as: ann, "SELECT leadpool_record_event(1, \(now), '\(ann)', 'touched', NULL, NULL, NULL, NULL, NULL, NULL)")
        #expect(written.status == 0, "\(written)")
        #expect(value("SELECT recorded_by FROM events ORDER BY id DESC LIMIT 1") == ann)

        // A pool's admins (stored with the ruleset in force) give their pool's leads to reps and
        // read them whole.
        psql("INSERT INTO ruleset_pool_admins SELECT max(version), 'main', '\(bob)' FROM rulesets")
        let given = psql(
            as: bob,
            """
            BEGIN;
            UPDATE leads SET owner = '\(ann)', claimed_at = \(now) WHERE id = 3 RETURNING id;
            SELECT leadpool_record_event(3, \(now), '\(bob)', 'transferred', NULL, '\(ann)', NULL, NULL, NULL, NULL) > 0;
            SELECT email FROM lead_rows WHERE id = 3;
            COMMIT;
            """
        )
        #expect(given.status == 0 && given.stdout == "3\nt\nc@gamma.test\n", "\(given)")
        #expect(value("SELECT owner FROM leads WHERE id = 3") == ann)

        // A pool's own `hidden:` list (stored with the ruleset in force, as `rules apply` writes
        // a file's `pools:`) hides on that pool's leads what the file's does not.
        psql("INSERT INTO ruleset_hidden SELECT max(version), 'main', unnest(ARRAY['attr.plan', 'country']) FROM rulesets")
        let poolHidden = psql(
            as: ann,
            "SELECT id, attrs::text, coalesce(country, '-'), array_to_string(withheld, ' ') FROM lead_rows WHERE id IN (1, 2) ORDER BY id"
        )
        #expect(poolHidden.status == 0, "\(poolHidden)")
        let lines = poolHidden.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first?[1].contains("gold") == true && lines.first?[2] == "DE", "its own lead shows all: \(poolHidden)")
        #expect(lines.last?[1].contains("plan") == false && lines.last?[2] == "-", "\(poolHidden)")
        #expect(lines.last?[3] == "first_name title email phone country attr.plan attr.referrer attr.wechat", "\(poolHidden)")
        psql("DELETE FROM ruleset_hidden WHERE pool = 'main'")

        // A role that is no rep reads nothing and writes nothing.
        for table in ["leads", "lead_rows", "reps", "events", "lead_tags", "rulesets", "rounds"] {
            let read = psql(as: stranger, "SELECT count(*) FROM \(table)")
            #expect(read.status == 0 && read.stdout == "0\n", "\(table): \(read)")
        }
        changesNothing(as: stranger, "UPDATE leads SET owner = NULL, claimed_at = NULL WHERE id = 1")
        refused(
            as: stranger,
            "SELECT leadpool_record_event(3, \(now), '\(stranger)', 'touched', NULL, NULL, NULL, NULL, NULL, NULL)",
            "is no active rep"
        )
        #expect(leadpool(as: stranger, "lead", "list").status == 77)

        // The non-owner admin reclaims through leadpool (an admin may set the clock).
        let reclaimed = leadpool(as: admin, "--now", "2030-01-01T00:00:00Z", "reclaim")
        #expect(reclaimed.status == 0, "\(reclaimed)")
        #expect(value("SELECT count(*) FROM leads WHERE owner IS NOT NULL") == "0")
        let check = leadpool(as: admin, "check")
        #expect(check.status == 0, "\(check)")
    }

    /// A pool's admin who is no admin works its pool through leadpool on PostgreSQL: it transfers
    /// its pool's leads, reads them whole in the database, and reclaims them (as `system`) into
    /// the pool its `reclaim.to` names, which it does not keep; other pools' leads stay out of
    /// its reach.
    @Test func aPoolsAdminWorksItsPoolUnderRowLevelSecurity() throws {
        let keeper = "kee_\(suffix)"
        let rep = "rep_\(suffix)"
        #expect(leadpool("init").status == 0)
        defer { psql("DROP OWNED BY \(keeper), \(rep); DROP ROLE \(keeper), \(rep)") }
        #expect(leadpool("rep", "add", keeper, "--name", "Keeper", "--login").status == 0)
        #expect(leadpool("rep", "add", rep, "--name", "Rep", "--login").status == 0)
        try """
        pools:
          - { name: east, admins: [\(keeper)], reclaim: { no-activity-days: 3, to: recycle } }
          - { name: west }
          - { name: recycle }
        """.write(toFile: sandbox.path("pools.yaml"), atomically: true, encoding: .utf8)
        #expect(leadpool("rules", "apply", sandbox.path("pools.yaml")).status == 0)
        #expect(value("SELECT string_agg(pool || ':' || handle, ' ') FROM ruleset_pool_admins") == "east:\(keeper)")
        for (pool, companies) in [("east", ["East One", "East Two"]), ("west", ["West One"])] {
            try (["company,email"] + companies.enumerated().map { "\($1),\($0)@\(pool).test" }).joined(separator: "\n")
                .write(toFile: sandbox.path("\(pool).csv"), atomically: true, encoding: .utf8)
            #expect(leadpool("import", sandbox.path("\(pool).csv"), "--pool", pool).status == 0)
        }

        let transfer = leadpool(as: keeper, "transfer", "1", "--to", rep)
        #expect(transfer.status == 0, "\(transfer)")
        let elsewhere = leadpool(as: keeper, "transfer", "3", "--to", rep)
        #expect(elsewhere.status != 0, "west is not the keeper's: \(elsewhere)")
        #expect(value("SELECT coalesce(owner, '-') FROM leads WHERE id = 3") == "-")
        // Its rounds route on its pool's leads, so the database gives it their fields.
        let seen = psql(as: keeper, "SELECT id, coalesce(email, '-') FROM lead_rows ORDER BY id")
        #expect(seen.stdout == "1|0@east.test\n2|1@east.test\n3|-\n", "\(seen)")

        // The lead ages past east's threshold; its keeper reclaims it into recycle.
        psql("UPDATE leads SET created_at = created_at - 10 * 86400, claimed_at = claimed_at - 10 * 86400 WHERE id = 1")
        let reclaim = leadpool(as: keeper, "reclaim", "--pool", "east")
        #expect(reclaim.status == 0 && reclaim.stdout.contains("1 reclaimed"), "\(reclaim)")
        #expect(value("SELECT coalesce(owner, '-') || ' ' || pool FROM leads WHERE id = 1") == "- recycle")
        #expect(value("SELECT recorded_by FROM events WHERE kind = 'reclaimed'") == keeper)
        let check = leadpool("check")
        #expect(check.status == 0, "\(check)")
    }
}

/// `rep add --login` makes a database role; SQLite has none.
struct RepLoginOnSQLiteTests {
    @Test func loginIsRefusedOnSQLite() {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("rep", "add", "someone", "--name", "Someone", "--login")
        #expect(run.status == 78, "\(run)")
        #expect(run.stderr.contains("--login makes a PostgreSQL login role"), "\(run)")
        #expect(box.leadpool("rep", "show", "someone").status == 66)
    }
}
