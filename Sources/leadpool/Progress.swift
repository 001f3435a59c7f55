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
        // One line narrower than the terminal: a line that wraps cannot be redrawn in place.
        let columns = (Terminal.width(of: STDERR_FILENO) ?? 80) - 1
        let percent = "\(Int(fraction * 100))%"
        let room = columns - Terminal.displayWidth(label) - Terminal.displayWidth(percent) - Terminal.displayWidth(detail) - 3
        let width = max(5, min(30, room))
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = Terminal.clip("\(label) \(bar) \(percent) \(detail)", to: columns)
        FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled, lastDraw != .distantPast else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
