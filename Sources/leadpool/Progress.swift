import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress bar on stderr for long work, drawn only when stderr is a terminal
/// (never in cron logs or pipes) and at most ten times a second.
final class Progress {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private var lastDraw = Date.distantPast

    init(_ label: String, total: Int) {
        self.label = label
        self.total = max(total, 1)
        enabled = isatty(STDERR_FILENO) == 1
    }

    /// Redraws, unless the last draw was under 0.1 s ago (and this is not `final`: the last
    /// state before a wait, which must show).
    func update(_ done: Int, detail: String = "", final: Bool = false) {
        guard enabled, final || Date().timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = Date()
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(Int(fraction * 100))% \(detail)\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled, lastDraw != .distantPast else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
