import Foundation

/// Reads and checks a CSV's records on a thread of its own and hands the results over in
/// batches, in file order, through a bounded queue: parsing the next rows overlaps writing
/// the previous ones, so on two cores an import takes about the longer of the two, not
/// their sum.
///
/// Memory stays flat: at most `depth` batches of `batchSize` rows wait in the queue, and the
/// reading thread blocks until the writer takes one. The consumer must call ``cancel()``
/// when it stops early (a thrown error), so the thread ends instead of waiting forever.
public final class DraftFeed: @unchecked Sendable {
    /// Consecutive rows' results, and how far into the file they reach.
    public struct Batch: Sendable {
        public var results: [DraftResult]
        /// Bytes of the file read once the batch was complete, for a progress bar.
        public var bytesRead: Int
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var waiting: [Result<Batch, LeadPoolError>] = []
    private var done = false
    private var cancelled = false
    private let depth: Int

    /// Starts reading `reader` (which this feed now owns: no one else may use it) and
    /// checking its records against `columns`.
    public init(reader: CSVReader, columns: HeaderMap, batchSize: Int = 512, depth: Int = 8) {
        self.depth = max(depth, 1)
        let size = max(batchSize, 1)
        nonisolated(unsafe) let reader = reader
        let thread = Thread { [self] in
            var results: [DraftResult] = []
            results.reserveCapacity(size)
            do throws(LeadPoolError) {
                while let record = try reader.next() {
                    results.append(columns.draft(from: record))
                    if results.count == size {
                        guard put(.success(Batch(results: results, bytesRead: reader.bytesRead))) else { return }
                        results.removeAll(keepingCapacity: true)
                    }
                }
                if !results.isEmpty {
                    guard put(.success(Batch(results: results, bytesRead: reader.bytesRead))) else { return }
                }
            } catch {
                guard put(.failure(error)) else { return }
            }
            finish()
        }
        thread.name = "leadpool-intake"
        thread.start()
    }

    /// The next batch in file order, or nil after the last one.
    ///
    /// - Throws: the reader's error (`badInput` for an unterminated quote, …) where it occurred,
    ///   after every batch before it.
    public func next() throws(LeadPoolError) -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !done && !cancelled { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        let item = waiting.removeFirst()  // at most `depth` items
        condition.broadcast()
        return try item.get()
    }

    /// Stops the reading thread; later ``next()`` calls return nil.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Queues an item, waiting while the queue is full; false once cancelled.
    private func put(_ item: Result<Batch, LeadPoolError>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= depth && !cancelled { condition.wait() }
        if cancelled { return false }
        waiting.append(item)
        condition.broadcast()
        return true
    }

    private func finish() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }
}
