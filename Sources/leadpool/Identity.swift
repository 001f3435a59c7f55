import Foundation
import LeadPoolCore
import LeadPoolStorage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Who runs the command: the OS login, and the rep handle it acts as.
enum Identity {
    /// The OS login of this process: the password database's name for its effective uid.
    /// Never `USER` or `LOGNAME`, which whoever starts the process sets; a uid without an
    /// entry has no login and is refused.
    static func login() throws -> String {
        let uid = geteuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name, name.pointee != 0 else {
            throw LeadPoolError.permission(
                "uid \(uid) has no entry in the password database, so leadpool cannot tell who you are (USER and LOGNAME are not used)",
                hint: "run leadpool as an OS user with a login (`getent passwd \(uid)` shows none)"
            )
        }
        return String(cString: name)
    }

    /// Resolves the acting rep and checks it may run a command that needs `access`.
    ///
    /// Acting as someone else than the login needs the login to be an active admin.
    /// This is an audit trail and a guard against mistakes, not a security boundary:
    /// whoever can write the database file can do anything with it.
    static func actor(requested: String, login: String, access: Access, store: any LeadStorage) throws -> Rep {
        guard let rep = try store.rep(requested) else {
            if requested == login {
                // Not "act as someone with --as": only an admin's login may.
                throw LeadPoolError.permission(
                    "your login '\(login)' is not a rep in \(store.path)",
                    hint: "ask an admin to run `leadpool rep add \(login) --name \"Your Name\"`"
                )
            }
            if let other = try store.repHandle(ignoringCase: requested) {
                throw LeadPoolError.permission(
                    "no rep with handle '\(requested)' in \(store.path)",
                    hint: "handles match exactly: did you mean '\(other)'?"
                )
            }
            throw LeadPoolError.permission(
                "no rep with handle '\(requested)' in \(store.path)",
                hint: "`leadpool rep list` shows the reps; an admin adds one with `leadpool rep add \(requested) --name …`"
            )
        }
        if requested != login {
            let real = try store.rep(login)
            guard let real, real.role == .admin, real.active else {
                throw LeadPoolError.permission(
                    "only admins may act as someone else; you are logged in as '\(login)', which is \(real.map { $0.active ? "a rep" : "deactivated" } ?? "not a rep")",
                    hint: "drop --as (and LEADPOOL_USER) to act as yourself"
                )
            }
        }
        guard rep.active else {
            throw LeadPoolError.permission("'\(rep.handle)' is deactivated", hint: "an admin can run `leadpool rep activate \(rep.handle)`")
        }
        if access == .admin, rep.role != .admin {
            throw LeadPoolError.permission(
                "this command is for admins; '\(rep.handle)' is a rep",
                hint: "ask an admin, or an admin can run `leadpool rep update \(rep.handle) --role admin`"
            )
        }
        return rep
    }

    /// Refuses `--now` on a command that writes unless the OS login is an active admin: a rep
    /// moving the clock could claim through a cooldown or past a daily limit, or date a touch
    /// ahead so that a lead is never reclaimed. An admin acting as a rep (`--as`) may backfill.
    static func checkClock(login: String, store: any LeadStorage) throws {
        let real = try store.rep(login)
        guard let real, real.role == .admin, real.active else {
            let standing = real.map { $0.active ? "a rep" : "deactivated" } ?? "not a rep"
            throw LeadPoolError.permission(
                "--now (or LEADPOOL_NOW) sets the clock, which only admins may do for a command that writes; "
                    + "you are logged in as '\(login)', which is \(standing)",
                hint: "drop --now and LEADPOOL_NOW to act at the current time; commands that only read accept --now from anyone"
            )
        }
    }
}

/// Who may run a command.
enum Access {
    /// Any active rep.
    case rep
    /// Active admins only.
    case admin
}
