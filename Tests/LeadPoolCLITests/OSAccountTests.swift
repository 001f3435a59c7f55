import Foundation
import Testing

/// The OS-account support itself: a command run as another login acts as that login.
@Suite(.bothBackends, .sqliteOnly("the OS login as identity (on PostgreSQL it is the role, see PostgresIdentityTests)")) struct OSAccountTests {
    @Test func aCommandRunAsAnotherLoginActsAsThatLogin() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = Sandbox()
        let admin = box.initialized()
        OSAccount.ensure("lp_rep_amy")
        #expect(box.leadpool("rep", "add", "lp_rep_amy", "--name", "Amy").status == 0)
        box.openToEveryone()
        let mine = box.leadpool(as: .login("lp_rep_amy"), ["--json", "rep", "show", "lp_rep_amy"])
        #expect(mine.status == 0, "\(mine)")
        let admins = box.leadpool(as: .login("lp_rep_amy"), ["--as", admin, "rep", "list"])
        #expect(admins.status == 77, "\(admins)")
    }
}
