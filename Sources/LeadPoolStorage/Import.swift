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
