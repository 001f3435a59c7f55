import Foundation

extension Date {
    /// Seconds since 1970 UTC, as every backend stores times.
    package var storedSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }

    package init(storedSeconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(storedSeconds)) }
}
