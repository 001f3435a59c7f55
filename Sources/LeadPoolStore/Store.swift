import Foundation
import GRDB
import LeadPoolCore

/// Placeholder while the storage module is written.
public struct Store: Sendable {
    public static var migrationNames: [String] { embeddedMigrations.map(\.fileName) }
}
