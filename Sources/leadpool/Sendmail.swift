import Foundation
import LeadPoolCore

#if canImport(Glibc)
import Glibc
#endif

/// The host's mail system through its sendmail interface: `PROGRAM -i -- RECIPIENT` with the
/// message on standard input (`-i`: a line with a single dot does not end it). Accepted means
/// the program exited 0: the mail system has it and delivers or bounces it from there.
struct Sendmail {
    let program: String

    /// Hands `message` to the mail system for `recipient`; throws a `busy` error (exit 75, try
    /// again) saying what went wrong when the program cannot run or does not exit 0.
    func send(_ message: String, to recipient: String) throws {
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw LeadPoolError.configuration(
                "no sendmail program at \(program)",
                hint: "install a mail system (exim4, postfix, opensmtpd, msmtp-mta) or set notify: { sendmail: PATH } in the rules file"
            )
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-i", "--", recipient]
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw LeadPoolError.busy(
                "cannot run \(program): \(error.localizedDescription)",
                hint: "the mail stays unsent; the next notify tries again"
            )
        }
        // Read stderr while writing stdin, so a chatty program cannot block on a full pipe.
        let collected = ErrorText()
        let finished = DispatchSemaphore(value: 0)
        let handle = errors.fileHandleForReading
        Thread {
            collected.set(String(decoding: handle.readDataToEndOfFile(), as: UTF8.self))
            finished.signal()
        }.start()
        // A program that exits without reading the whole message must not take leadpool with
        // it (SIGPIPE); its exit status says what happened.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        try? input.fileHandleForWriting.write(contentsOf: Data(message.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        finished.wait()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let why = collected.text.trimmingCharacters(in: .whitespacesAndNewlines)
            throw LeadPoolError.busy(
                "\(program) refused the mail to \(recipient) (exit \(process.terminationStatus))" + (why.isEmpty ? "" : ": " + why),
                hint: "the mail stays unsent; the next notify tries again"
            )
        }
    }

    private final class ErrorText: @unchecked Sendable {
        private let lock = NSLock()
        private var value = ""
        func set(_ text: String) { lock.withLock { value = text } }
        var text: String { lock.withLock { value } }
    }
}
