import Foundation
import LeadPoolCore

/// What `import` does with a row that matches an existing lead (or an earlier row).
public enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// Keep the existing lead as it is.
    case skip
    /// Overwrite the fields the row gives and add its tags.
    case update
    /// The row is a bad row: nothing is imported.
    case error
}

/// Counts an import reports.
public struct ImportSummary: Sendable, Equatable {
    public var new = 0
    public var updated = 0
    /// Skipped rows by reason ("same external_id", "same email", "same domain").
    public var skipped: [String: Int] = [:]
    /// Each duplicate row, the lead it matched and by which key, when the import was asked to
    /// keep them (`--duplicates`).
    public var duplicates: [Duplicate] = []
    /// Rows that could not be imported; unless the import keeps the good rows, non-empty means
    /// nothing was written.
    public var problems: [IntakeProblem] = []
    /// How many rows had problems.
    public var badRows: Int { Set(problems.map(\.line)).count }
    public var dryRun = false

    public var skippedTotal: Int { skipped.values.reduce(0, +) }
    public init() {}

    /// A row that matched a lead (in the database, or made by an earlier row of the file).
    public struct Duplicate: Sendable, Equatable {
        public var line: Int
        public var lead: Int64
        /// `external_id`, `email` or `domain`.
        public var key: String

        public init(line: Int, lead: Int64, key: String) {
            self.line = line
            self.lead = lead
            self.key = key
        }
    }
}

/// The rows of one import, as its reader hands them over (`importLeads`): each good row's
/// draft, and each bad row's problems.
public protocol LeadImportBatch: AnyObject {
    /// What the import has done so far.
    var summary: ImportSummary { get }
    /// Whether the rows are being given again, for their updates (`--on-duplicate update`):
    /// `body` is called twice then, and reads the file again the second time.
    var updating: Bool { get }
    /// Records a bad row.
    func reject(_ problems: [IntakeProblem])
    /// Imports one row (or finds its duplicate, as the policy says).
    func add(_ draft: LeadDraft) throws
}

// MARK: - What every backend's import shares

extension ImportSummary {
    /// Counts what ``DuplicateGroups/resolve()`` decided: the new leads, and each duplicate
    /// skipped, kept for `--duplicates`, or (policy `error`) a problem.
    package mutating func count(_ resolution: DuplicateGroups.Resolution, policy: DuplicatePolicy, recordDuplicates: Bool) {
        new = resolution.newLeads.count
        for duplicate in resolution.duplicates {
            if recordDuplicates {
                duplicates.append(.init(line: duplicate.line, lead: duplicate.lead, key: duplicate.key.column))
            }
            switch policy {
            case .skip: skipped[duplicate.key.reason, default: 0] += 1
            case .update: break
            case .error:
                let earlier = duplicate.leadLine.map { " on line \($0) of this file" } ?? ""
                problems.append(
                    IntakeProblem(
                        line: duplicate.line,
                        column: duplicate.key.column,
                        reason: "duplicate: \(duplicate.key.reason) as lead \(duplicate.lead)\(earlier) (--on-duplicate error)"
                    )
                )
            }
        }
    }

    /// The start of an import event's detail, `{"file":…,"source":…,"line":`; the row's line
    /// number and `}` follow.
    package static func eventDetailPrefix(file: String, source: String?) -> String {
        var prefix = "{\"file\":"
        JSONText.quote(file, into: &prefix)
        if let source {
            prefix += ",\"source\":"
            JSONText.quote(source, into: &prefix)
        }
        return prefix + ",\"line\":"
    }
}

extension LeadDraft.MatchKey {
    /// The key as a duplicate is reported by.
    package var groupKey: DuplicateGroups.Key {
        switch self {
        case .externalID: .externalID
        case .email: .email
        case .domain, .domainOnly: .domain
        }
    }

    package var value: String {
        switch self {
        case .externalID(let value), .email(let value), .domain(let value), .domainOnly(let value): value
        }
    }
}

/// One backend's import session: its rows given once (twice for `--on-duplicate update`), its
/// groups settled, and finished only when it commits.
package protocol ImportSession: LeadImportBatch {
    /// Starts the second pass of `--on-duplicate update`.
    func startUpdates() throws
    /// Settles the duplicate groups (once).
    func resolve() throws
    /// What an import that commits does last (scores, indexes); `commit` false: nothing.
    func finish(commit: Bool) throws
}

extension ImportSession {
    /// Runs the import's passes over `body`'s rows and returns its summary and whether to commit:
    /// not for a dry run, nor with bad rows unless `keepGoodRows`.
    package func run(
        policy: DuplicatePolicy,
        dryRun: Bool,
        keepGoodRows: Bool,
        _ body: (Self) throws -> Void
    ) throws -> (summary: ImportSummary, commit: Bool) {
        try body(self)
        if policy == .update {
            try startUpdates()
            try body(self)
        }
        try resolve()
        let commit = !dryRun && (keepGoodRows || summary.problems.isEmpty)
        try finish(commit: commit)
        var summary = self.summary
        summary.dryRun = dryRun
        return (summary, commit)
    }
}
