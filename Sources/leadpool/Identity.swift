import Foundation
import LeadPoolCore
import LeadPoolStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who runs the command: the OS login, and the rep handle it acts as.
enum Identity {
    /// The OS login name of this process (the password database first: cron has no USER).
    static var loginName: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            return String(cString: name)
        }
        let environment = ProcessInfo.processInfo.environment
        return environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
    }

    /// Resolves the acting rep and checks it may run a command that needs `access`.
    ///
    /// Acting as someone else than the login needs the login to be an active admin.
    /// This is an audit trail and a guard against mistakes, not a security boundary:
    /// whoever can write the database file can do anything with it.
    static func actor(requested: String, login: String, access: Access, store: Store) throws -> Rep {
        guard let rep = try store.rep(requested) else {
            if requested == login {
                throw LeadPoolError.permission(
                    "your login '\(login)' is not a rep in \(store.path)",
                    hint: "ask an admin to run `leadpool rep add \(login) --name \"Your Name\"`, or act as a rep with --as HANDLE")
            }
            throw LeadPoolError.permission(
                "no rep with handle '\(requested)' in \(store.path)",
                hint: "`leadpool rep list` shows the reps; an admin adds one with `leadpool rep add \(requested) --name …`")
        }
        if requested != login {
            let real = try store.rep(login)
            guard let real, real.role == .admin, real.active else {
                throw LeadPoolError.permission(
                    "only admins may act as someone else; you are logged in as '\(login)', which is \(real.map { $0.active ? "a rep" : "deactivated" } ?? "not a rep")",
                    hint: "drop --as (and LEADPOOL_USER) to act as yourself")
            }
        }
        guard rep.active else {
            throw LeadPoolError.permission("'\(rep.handle)' is deactivated", hint: "an admin can run `leadpool rep activate \(rep.handle)`")
        }
        if access == .admin, rep.role != .admin {
            throw LeadPoolError.permission("this command is for admins; '\(rep.handle)' is a rep",
                hint: "ask an admin, or an admin can run `leadpool rep update \(rep.handle) --role admin`")
        }
        return rep
    }
}

/// Who may run a command.
enum Access {
    /// Any active rep.
    case rep
    /// Active admins only.
    case admin
}
