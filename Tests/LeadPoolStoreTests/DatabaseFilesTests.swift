import Foundation
import Testing

@testable import LeadPoolStore

/// How a command that only reads opens a database, and which directories `init --group` may
/// share, decided from what the caller may do.
@Suite struct DatabaseFilesTests {
    typealias Facts = DatabaseFiles.Facts

    /// A WAL database whose companions exist and are readable, in a directory the caller may
    /// not write, the file read-only for the caller but writable by its owner.
    static let groupReader = Facts(
        walMode: true,
        walExists: true,
        walEmpty: true,
        shmExists: true,
        companionsReadable: true,
        directoryWritable: false,
        fileWritable: false,
        fileHasWriteBits: true
    )

    @Test func readersUseTheCompanionsWhereverTheyExistAndAreReadable() {
        #expect(DatabaseFiles.readAccess(Self.groupReader) == .success(.shared))
        var facts = Self.groupReader
        facts.walEmpty = false
        #expect(DatabaseFiles.readAccess(facts) == .success(.shared))
        facts.companionsReadable = false
        #expect(DatabaseFiles.readAccess(facts) == .failure(.companionUnreadable))
    }

    @Test func aRollbackJournalDatabaseNeedsNothingBesideIt() {
        var facts = Self.groupReader
        facts.walMode = false
        facts.walExists = false
        facts.shmExists = false
        #expect(DatabaseFiles.readAccess(facts) == .success(.shared))
    }

    @Test func missingCompanionsAreCreatedOnlyByThoseWhoMayWriteTheDatabase() {
        var facts = Self.groupReader
        facts.walExists = false
        facts.shmExists = false
        #expect(DatabaseFiles.readAccess(facts) == .failure(.companionsMissing))
        facts.directoryWritable = true
        #expect(DatabaseFiles.readAccess(facts) == .failure(.companionsMissing), "they would be the reader's and lock writers out")
        facts.fileWritable = true
        #expect(DatabaseFiles.readAccess(facts) == .success(.shared))
        facts.directoryWritable = false
        #expect(DatabaseFiles.readAccess(facts) == .failure(.companionsMissing))
    }

    @Test func aFileNobodyMayWriteIsReadAsItIsUnlessItsWALHoldsCommits() {
        var facts = Self.groupReader
        facts.shmExists = false
        facts.fileHasWriteBits = false
        #expect(DatabaseFiles.readAccess(facts) == .success(.immutable))
        facts.walExists = false
        #expect(DatabaseFiles.readAccess(facts) == .success(.immutable))
        facts.walExists = true
        facts.walEmpty = false
        #expect(DatabaseFiles.readAccess(facts) == .failure(.companionsMissing))
    }

    @Test func initGroupSharesOnlyAnEmptyDirectoryOfTheCallersOrOneSharedAlready() {
        let me: uid_t = 1000
        let other: uid_t = 1001
        let sales: gid_t = 500
        let mine: gid_t = 1000
        func change(
            owner: uid_t,
            gid: gid_t,
            mode: mode_t,
            empty: Bool,
            caller: uid_t = me
        ) -> Result<DatabaseFiles.DirectoryChange, DatabaseFiles.DirectoryRefusal> {
            DatabaseFiles.directoryChange(ownerUID: owner, gid: gid, mode: mode, isEmpty: empty, callerUID: caller, group: sales)
        }
        #expect(change(owner: me, gid: mine, mode: 0o40755, empty: true) == .success(.share))
        #expect(change(owner: me, gid: mine, mode: 0o40755, empty: false) == .failure(.holdsOtherFiles))
        #expect(change(owner: other, gid: mine, mode: 0o40777, empty: true) == .failure(.notYours))
        #expect(change(owner: other, gid: mine, mode: 0o40755, empty: true, caller: 0) == .success(.share))
        #expect(change(owner: other, gid: sales, mode: 0o42770, empty: false) == .success(.none))
        #expect(change(owner: other, gid: sales, mode: 0o40770, empty: false) == .failure(.holdsOtherFiles), "not setgid")
        #expect(change(owner: other, gid: sales, mode: 0o42750, empty: false) == .failure(.holdsOtherFiles), "not group-writable")
    }
}
