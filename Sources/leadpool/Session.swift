import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// A command that runs against the database as an acting rep.
///
/// The extension opens the store, resolves the actor, runs the command and maps every
/// error to the SPEC's exit code in one place.
protocol StoreCommand: ParsableCommand {
    var global: GlobalOptions { get }
    /// Who may run it.
    static var access: Access { get }
    /// Whether this invocation may change the database. A command that only reads opens it
    /// read-only and accepts `--now` from anyone; one that writes takes `--now` from admins only.
    var writes: Bool { get }
    func run(in session: Session) throws
}

/// What a running command works with.
struct Session {
    let store: any LeadStorage
    /// The acting rep.
    let actor: Rep
    /// The clock (--now).
    let now: Date
    let output: Output
    /// The acting rep's zone (their own, else the ruleset's): human output shows times in it.
    let clock: TeamClock

    init(store: any LeadStorage, actor: Rep, now: Date, output: Output) throws {
        self.store = store
        self.actor = actor
        self.now = now
        self.output = output
        // The ruleset is read only when the rep has no zone of their own.
        self.clock = try actor.timeZone.flatMap { TeamClock(named: $0) } ?? store.claimPolicy().defaultClock
    }

    /// A time for people, in the acting rep's zone with its offset (`2026-11-30T09:15:00+08:00`;
    /// in UTC `2026-11-30T01:15:00Z`). JSON keeps UTC: use `JSON.of(_:)` there.
    func time(_ date: Date) -> String { clock.time(date) }
}

extension StoreCommand {
    var writes: Bool { true }

    mutating func run() throws {
        let global = self.global
        try Failure.report(json: global.json) {
            let now = try global.clock()
            let (store, login) = try StorageFactory.open(database: global.databasePath, readOnly: !writes)
            let actor = try Identity.actor(
                requested: global.requestedHandle(login: login),
                login: login,
                access: Self.access,
                store: store
            )
            if writes, global.setsClock { try Identity.checkClock(login: login, store: store) }
            try run(in: try Session(store: store, actor: actor, now: now, output: Output(json: global.json)))
        }
    }
}

/// The one place errors become messages and exit codes.
enum Failure {
    /// Runs `body`; a failure is printed (as a JSON object on stderr when `json`) and becomes its exit code.
    static func report(json: Bool, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as LeadPoolError {
            print(error: error, json: json)
            throw ExitCode(error.exitCode)
        } catch let error as ExitCode {
            throw error
        } catch {
            // A write to a full disk is no bug, wherever it surfaces.
            let failure =
                Output.isDiskFull(error)
                ? LeadPoolError.busy("cannot write: the disk is full", hint: "free some space and run the command again")
                : LeadPoolError.bug("unexpected error: \(error)")
            print(error: failure, json: json)
            throw ExitCode(failure.exitCode)
        }
    }

    static func print(error: LeadPoolError, json: Bool) {
        let text: String
        if json {
            text =
                JSON.object([
                    (
                        "error",
                        .object([
                            ("exit", .int(Int64(error.exitCode))), ("kind", .string(error.kind.name)),
                            ("message", .string(error.message)), ("hint", .of(error.hint)),
                        ])
                    )
                ]).text
        } else {
            text = "leadpool: \(error.message)\n" + (error.hint.map { "hint: \($0)\n" } ?? "")
        }
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}

extension LeadPoolError.Kind {
    /// The kind as JSON names it: `bad_input`, `not_found`, ….
    var name: String {
        rawValue.reduce(into: "") { name, character in
            if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
        }
    }
}
