import Foundation
import LeadPoolCore
import Testing

@Suite struct VisibilityTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    var admin: Rep { Rep(handle: "olga", name: "Olga", role: .admin, createdAt: now) }
    var alice: Rep { Rep(handle: "alice", name: "Alice", createdAt: now) }

    func lead(owner: String?) -> Lead {
        Lead(
            id: 7,
            company: "Acme",
            firstName: "Ann",
            lastName: "Lee",
            title: "CTO",
            email: "ann@acme.io",
            phone: "+49 30 1234",
            owner: owner,
            createdAt: now,
            attributes: ["mobilephone": "+49 170 1", "wechat": "ann_wx", "plan": "trial", "company_name": "Acme GmbH"]
        )
    }

    // MARK: - Which attributes are contact fields

    @Test(arguments: [
        "name", "full_name", "contact_name", "first_name_2", "firstname", "surname", "vorname", "prenom", "names",
        "email", "e_mail", "emails", "email_address", "emailaddress", "workmail", "private_mail",
        "phone", "mobilephone", "mobile", "mobile_phone_number", "telephone", "tel", "telno", "fax", "fax_nr",
        "wechat", "wechat_id", "weixin", "whatsapp", "skype", "skype_name", "linkedin", "linkedin_url", "linkedinurl",
        "address", "addresses", "mailing_address", "billingstreet", "street", "telefon", "telefonnummer",
        "handy", "adresse", "téléphone", "dirección", "手机", "微信号", "contact", "qq",
    ])
    func contactAttributes(name: String) {
        #expect(Visibility.isContactAttribute(name), "attr.\(name) holds contact data")
    }

    @Test(arguments: [
        "company_name", "companyname", "account_name", "product_name", "campaign_name", "file_name",
        "plan", "product_interest", "hotel", "telecom_provider", "named_account", "mailchimp_status",
        "employees_range", "revenue_range", "status", "nominal", "",
    ])
    func otherAttributes(name: String) {
        #expect(!Visibility.isContactAttribute(name), "attr.\(name) is not contact data")
    }

    // MARK: - Who sees what

    @Test func adminsSeeEverythingRepsTheirOwnLeadsOnly() {
        let visibility = Visibility(hidden: [.attribute("plan"), .field(.title)])
        for field: Condition.Operand in [.field(.email), .attribute("mobilephone"), .attribute("plan"), .field(.title)] {
            #expect(!visibility.isHidden(field, from: admin, on: lead(owner: nil)))
            #expect(!visibility.isHidden(field, from: admin, on: nil))
            #expect(!visibility.isHidden(field, from: alice, on: lead(owner: "alice")))
            #expect(visibility.isHidden(field, from: alice, on: lead(owner: nil)), "\(field) on a pool lead")
            #expect(visibility.isHidden(field, from: alice, on: lead(owner: "bob")), "\(field) on bob's lead")
            #expect(visibility.isHidden(field, from: alice, on: nil), "\(field) in a condition")
        }
        for field: Condition.Operand in [.field(.company), .field(.country), .attribute("company_name")] {
            #expect(!visibility.isHidden(field, from: alice, on: lead(owner: nil)))
            #expect(!visibility.isHidden(field, from: alice, on: nil))
        }
        #expect(Visibility().isHidden(.field(.title), from: alice, on: nil) == false, "title is hidden only when listed")
    }

    @Test func hiddenFieldsNameTheValuesAReaderMisses() {
        let visibility = Visibility(hidden: [.attribute("plan")])
        #expect(
            visibility.hiddenFields(of: lead(owner: nil), from: alice).map(\.description) == [
                "first_name", "last_name", "email", "phone", "attr.mobilephone", "attr.plan", "attr.wechat",
            ]
        )
        var bare = lead(owner: nil)
        bare.phone = nil
        bare.attributes = [:]
        #expect(visibility.hiddenFields(of: bare, from: alice).map(\.description) == ["first_name", "last_name", "email"])
        #expect(visibility.hiddenFields(of: lead(owner: "alice"), from: alice).isEmpty)
        #expect(visibility.hiddenFields(of: lead(owner: nil), from: admin).isEmpty)
    }

    @Test func conditionsReadingContactFieldsAreFoundThroughSegments() throws {
        let visibility = Visibility(hidden: [.attribute("plan")])
        let segments = [
            "reachable": try Condition.parse("attr.wechat_id is not null", origin: .commandLine),
            "wide": try Condition.parse("segment(\"reachable\") or country = \"DE\"", origin: .commandLine, knownSegments: ["reachable"]),
        ]
        let viaSegment = try Condition.parse("score > 3 and segment(\"wide\")", origin: .commandLine, knownSegments: ["wide"])
        let found = visibility.firstHiddenRead(in: viaSegment, segments: segments, viewer: alice)
        #expect(found?.operand == .attribute("wechat_id"))
        #expect(found?.via == ["wide", "reachable"])
        #expect(visibility.firstHiddenRead(in: viaSegment, segments: segments, viewer: admin) == nil)
        let listed = try Condition.parse("attr.plan = \"trial\"", origin: .commandLine)
        #expect(visibility.firstHiddenRead(in: listed, segments: [:], viewer: alice)?.operand == .attribute("plan"))
        let plain = try Condition.parse("country = \"DE\" and attr.company_name contains \"x\"", origin: .commandLine)
        #expect(visibility.firstHiddenRead(in: plain, segments: [:], viewer: alice) == nil)
    }

    // MARK: - The rules file's hidden list

    @Test func hiddenListNamesFieldsOrAttributes() throws {
        let ruleset = try Ruleset.parse("hidden: [attr.WeChat, title, attr.plan_tier]\n", fileName: "r.yaml")
        #expect(ruleset.hidden == [.attribute("wechat"), .field(.title), .attribute("plan_tier")])
        #expect(ruleset.visibility.isContact(.attribute("plan_tier")))
        #expect(try Ruleset.parse("{}", fileName: "r.yaml").hidden.isEmpty)
    }

    @Test func badHiddenEntriesArePositioned() {
        let result = Ruleset.check(
            "hidden:\n  - attr.we chat\n  - score\n  - emial_x\n  - company\n  - title\n  - title\n  - {a: 1}\n",
            fileName: "r.yaml"
        )
        #expect(result.ruleset == nil)
        let lines = result.errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        #expect(
            lines == [
                "2:5: hidden: invalid attribute name 'attr.we chat'",
                "3:5: hidden: score cannot be hidden: leadpool sets it",
                "4:5: hidden: unknown field 'emial_x'",
                "5:5: hidden: company cannot be hidden: it names the lead in every listing",
                "7:5: hidden: title appears twice",
                "8:5: a hidden field must be text, found a mapping",
            ]
        )
        #expect(Ruleset.check("hidden: attr.x\n", fileName: "r.yaml").errors.first?.message.contains("hidden must be a list") == true)
    }

    @Test func icpCriteriaOnContactFieldsAreAWarning() throws {
        let ruleset = try Ruleset.parse(
            """
            hidden: [attr.plan]
            icp:
              - { name: size, when: 'employees > 10', points: 5 }
              - { name: has-mail, when: 'email is not null', points: 10 }
              - { name: trial, when: 'attr.plan = "trial"', points: 10 }
            """,
            fileName: "r.yaml"
        )
        let warnings = ruleset.warnings(teams: [], handles: [])
        #expect(warnings.count == 1)
        #expect(warnings.first?.location.line == 4)
        #expect(warnings.first?.message.contains("'has-mail' (email), 'trial' (attr.plan) read contact fields") == true)
    }
}
