import Foundation

/// One CSV record: its fields, as text, and where it starts.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based physical line where the record starts (a quoted field may span lines).
    public var line: Int
    /// The fields, unquoted, exactly as written (not trimmed).
    public var fields: [String]
    /// What is wrong with the record's bytes (invalid UTF-8, a NUL byte, more fields than the
    /// header, text after a closing quote). Empty for a well-formed record. A record with
    /// problems still carries its fields, repaired, so later checks can run; it must not be imported.
    public var problems: [IntakeProblem]

    public init(line: Int, fields: [String], problems: [IntakeProblem] = []) {
        self.line = line
        self.fields = fields
        self.problems = problems
    }
}

/// Reads a CSV file record by record in fixed-size chunks, never holding the whole file.
///
/// - RFC 4180: fields in double quotes may hold the delimiter, doubled quotes and CR/LF
///   newlines; records end with LF, CRLF or a lone CR.
/// - Encodings (``Encoding``): UTF-8 with or without a byte-order mark; UTF-16 (by its
///   byte-order mark, or the NUL bytes of ASCII text in UTF-16) and Windows-1252/Latin-1 (when the
///   first chunk is not UTF-8) are converted to UTF-8 as they are read; ``encodingRead`` says
///   which was read.
/// - The delimiter is `,` unless the header line has more `;` or tabs than commas
///   (European Excel exports), or one is given.
/// - The first record is the header (``header``); ``next()`` yields the data records.
///   Records whose fields are all empty (blank lines, Excel's `,,,,` rows) are skipped.
///   Fewer fields than the header, or more non-empty ones, is a record problem; trailing
///   empty extra fields are dropped.
///
/// Problems confined to one record are reported in ``CSVRecord/problems`` so an import can
/// list them all. Problems that stop the reading (an unterminated quote, a field over
/// ``maxFieldBytes``, an unreadable or empty file) are thrown as
/// `LeadPoolError.badInput` naming `FILE:LINE`.
public final class CSVReader {
    /// The field delimiter.
    public enum Delimiter: UInt8, Sendable, CaseIterable {
        case comma = 0x2C
        case semicolon = 0x3B
        case tab = 0x09

        /// The delimiter as text, for messages.
        public var name: String {
            switch self {
            case .comma: "comma"
            case .semicolon: "semicolon"
            case .tab: "tab"
            }
        }
    }

    /// How the file's bytes are read.
    public enum Encoding: String, Sendable, CaseIterable {
        /// UTF-16 by its byte-order mark; else Windows-1252 when the first chunk is not UTF-8; else UTF-8.
        case auto
        case utf8 = "utf-8"
        /// Little-endian unless a byte-order mark or the NUL bytes say otherwise.
        case utf16 = "utf-16"
        /// Windows-1252, a superset of Latin-1's printable characters.
        case windows1252 = "windows-1252"
    }

    /// What the reader converts from.
    private enum Decoding {
        case undecided, utf8
        case utf16(bigEndian: Bool)
        case windows1252

        var name: String {
            switch self {
            case .undecided, .utf8: "UTF-8"
            case .utf16(let bigEndian): bigEndian ? "UTF-16BE" : "UTF-16LE"
            case .windows1252: "Windows-1252"
            }
        }
    }

    /// How many bytes each read asks for.
    public static let defaultChunkSize = 256 * 1024
    /// The longest field accepted, in bytes (1 MiB). Longer usually means an unterminated quote.
    public static let maxFieldBytes = 1 << 20

    /// The file name used in messages.
    public let name: String
    /// The delimiter in use, given or detected from the header line.
    public private(set) var delimiter: Delimiter = .comma
    /// The header record's fields, as written.
    public private(set) var header: [String] = []
    /// The line the header starts on (1, unless blank lines precede it).
    public private(set) var headerLine = 1
    /// Whether the header was given (`--header`) rather than read: then every record is data.
    public let headerGiven: Bool
    /// Bytes read from the source so far, for a progress bar.
    public private(set) var bytesRead = 0
    /// The encoding the file was read in: `UTF-8`, `UTF-16LE`, `UTF-16BE` or `Windows-1252`.
    public var encodingRead: String { decoding.name }
    /// Whether the bytes were converted to UTF-8 (the file is not UTF-8).
    public var converted: Bool {
        if case .utf8 = decoding { return false }
        if case .undecided = decoding { return false }
        return true
    }

    private enum Source {
        case file(FileHandle)
        case memory([UInt8], offset: Int)
    }

    private var source: Source
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    /// Start of the unread bytes in `buffer`.
    private var position = 0
    /// The physical line `position` is on.
    private var line = 1
    private var atEOF = false
    private var scratch: [UInt8] = []
    private let requested: Encoding
    private var decoding = Decoding.undecided
    /// A UTF-16 code unit's first byte, or a high surrogate, waiting for the next chunk.
    private var pendingByte: UInt8?
    private var pendingHighSurrogate: UInt16?

    /// Opens the file at `path` for reading.
    ///
    /// - Throws: `notFound` when there is no such file; `badInput` when it is empty, not UTF-8,
    ///   or its header cannot be read.
    public convenience init(
        path: String,
        delimiter: Delimiter? = nil,
        encoding: Encoding = .auto,
        header: [String]? = nil,
        chunkSize: Int = CSVReader.defaultChunkSize
    ) throws(LeadPoolError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .notFound("\(path): no such file")
        }
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)) } catch {
            throw .badInput("\(path): cannot open: \(error.localizedDescription)")
        }
        try self.init(
            source: .file(handle),
            name: path,
            delimiter: delimiter,
            encoding: encoding,
            header: header,
            chunkSize: chunkSize
        )
    }

    /// Reads from an open file handle, from its current offset. `name` appears in messages.
    public convenience init(
        fileHandle: FileHandle,
        name: String,
        delimiter: Delimiter? = nil,
        encoding: Encoding = .auto,
        chunkSize: Int = CSVReader.defaultChunkSize
    ) throws(LeadPoolError) {
        try self.init(
            source: .file(fileHandle),
            name: name,
            delimiter: delimiter,
            encoding: encoding,
            header: nil,
            chunkSize: chunkSize
        )
    }

    /// Reads bytes already in memory (tests, stdin slurps), still `chunkSize` at a time.
    public convenience init(
        bytes: [UInt8],
        name: String,
        delimiter: Delimiter? = nil,
        encoding: Encoding = .auto,
        header: [String]? = nil,
        chunkSize: Int = CSVReader.defaultChunkSize
    ) throws(LeadPoolError) {
        try self.init(
            source: .memory(bytes, offset: 0),
            name: name,
            delimiter: delimiter,
            encoding: encoding,
            header: header,
            chunkSize: chunkSize
        )
    }

    private init(
        source: Source,
        name: String,
        delimiter: Delimiter?,
        encoding: Encoding,
        header given: [String]?,
        chunkSize: Int
    ) throws(LeadPoolError) {
        self.source = source
        self.name = name
        self.requested = encoding
        self.headerGiven = given != nil
        self.chunkSize = max(chunkSize, 4)
        buffer.reserveCapacity(self.chunkSize)
        // Enough bytes to see the byte-order mark and the whole header line.
        try refill()
        while !atEOF && Self.firstLineEnd(buffer, from: 0) == nil && buffer.count < Self.maxFieldBytes {
            try refill()
        }
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
            position = 3
        }
        self.delimiter = delimiter ?? Self.detectDelimiter(buffer, from: position)
        if let given {
            header = given
            headerLine = 0
            return
        }

        guard let first = try next() else {
            throw .badInput("\(name):1: the file is empty; it needs a header line naming the columns")
        }
        if let problem = first.problems.first {
            var hint = "name the encoding: --encoding utf-8|utf-16|windows-1252"
            if problem.reason.contains("NUL") {
                throw .badInput("\(name):\(first.line): the header has NUL bytes: is it a text file?", hint: hint)
            }
            if !problem.reason.contains("UTF-8") { hint = "fix the header line" }
            throw .badInput("\(name):\(first.line): header: \(problem.reason)", hint: hint)
        }
        header = first.fields
        headerLine = first.line
    }

    deinit {
        if case .file(let handle) = source { try? handle.close() }
    }

    /// The next data record, or nil at the end of the file.
    ///
    /// - Throws: `badInput` for an unterminated quote (naming the line where the field
    ///   started), a field over ``maxFieldBytes``, or a read error. Reading cannot go on after.
    public func next() throws(LeadPoolError) -> CSVRecord? {
        while true {
            let scan = buffer.withUnsafeBufferPointer { buf in
                Self.scanRecord(
                    buf,
                    from: position,
                    final: atEOF,
                    delimiter: delimiter.rawValue,
                    startLine: line,
                    header: header,
                    scratch: &scratch
                )
            }
            switch scan {
            case .end:
                return nil
            case .needMore(let fieldBytes, let fieldLine):
                if fieldBytes > Self.maxFieldBytes { throw fieldTooLong(line: fieldLine) }
                // Each read rescans the record so far: a long record would cost its length squared.
                if buffer.count - position > Self.maxRecordBytes {
                    throw .badInput(
                        "\(name):\(line): a record is longer than \(Self.maxRecordBytes >> 20) MiB (is a closing quote missing?)",
                        hint: "check the quotes in the record that starts on line \(line)"
                    )
                }
                try refill()
            case .failure(let error):
                throw error.error(file: name)
            case .record(var record, let next, let newlines, let allEmpty):
                if record.fields.count > Self.maxFieldCount {
                    throw .badInput("\(name):\(record.line): more than \(Self.maxFieldCount) fields in one record")
                }
                position = next
                line += newlines
                if allEmpty { continue }
                if !header.isEmpty && record.fields.count != header.count {
                    if record.fields.count > header.count {
                        Self.checkExtraFields(&record, headerCount: header.count)
                    } else {
                        // A report's footer (`Grand Totals (20 records)`) or a cut-off row.
                        record.problems.append(
                            IntakeProblem(
                                line: record.line,
                                reason:
                                    "\(record.fields.count) field\(record.fields.count == 1 ? "" : "s") but the header has \(header.count) (a footer, or a cut-off row?)"
                            )
                        )
                    }
                }
                return record
            }
        }
    }

    private static let maxFieldCount = 100_000
    /// The longest record accepted, in bytes (4 MiB: a few fields of the longest kind).
    public static let maxRecordBytes = 4 << 20

    /// Reads the rest of the file, handing `body` each record that starts on one of `lines`
    /// (for `--rejects` and `--duplicates`, which copy rows out of the file as they were).
    public func forEachRecord(atLines lines: Set<Int>, _ body: (CSVRecord) throws -> Void) throws {
        guard !lines.isEmpty else { return }
        while let record = try next() {
            if lines.contains(record.line) { try body(record) }
        }
    }

    private func fieldTooLong(line: Int) -> LeadPoolError {
        .badInput(
            "\(name):\(line): a field is longer than 1 MiB (is a closing quote missing?)",
            hint: "check the quotes in the field that starts on line \(line)"
        )
    }

    /// Moves the unread bytes to the front of the buffer and appends the next chunk, converted to UTF-8.
    private func refill() throws(LeadPoolError) {
        if atEOF { return }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        switch source {
        case .memory(let bytes, let offset):
            let end = min(bytes.count, offset + chunkSize)
            bytesRead += end - offset
            source = .memory(bytes, offset: end)
            if end == bytes.count { atEOF = true }
            bytes[offset..<end].withUnsafeBytes { append($0) }
        case .file(let handle):
            let data: Data?
            do { data = try handle.read(upToCount: chunkSize) } catch {
                throw .badInput("\(name):\(line): read error: \(error.localizedDescription)")
            }
            if let data, !data.isEmpty {
                bytesRead += data.count
                data.withUnsafeBytes { append($0) }
            } else {
                atEOF = true
                append(UnsafeRawBufferPointer(start: nil, count: 0))
            }
        }
    }

    /// Appends raw bytes to the buffer as UTF-8. The encoding is decided by the first chunk
    /// (a byte-order mark, UTF-16's NULs, a named encoding), else by the first chunk that is not
    /// ASCII: until then every encoding reads the same.
    private func append(_ raw: UnsafeRawBufferPointer) {
        if case .undecided = decoding {
            let first = bytesRead == raw.count
            if requested != .auto || (first && Self.looksUTF16(raw)) || !Self.isASCII(raw) {
                decoding = Self.decide(Array(raw), requested: requested, final: atEOF)
            }
        }
        switch decoding {
        case .undecided, .utf8:
            buffer.append(contentsOf: raw)
        case .windows1252:
            for b in raw {
                if b < 0x80 {
                    buffer.append(b)
                } else {
                    Self.appendUTF8(Self.windows1252[Int(b - 0x80)], to: &buffer)
                }
            }
        case .utf16(let bigEndian):
            var first = pendingByte
            pendingByte = nil
            for b in raw {
                guard let a = first else {
                    first = b
                    continue
                }
                first = nil
                let unit = bigEndian ? UInt16(a) << 8 | UInt16(b) : UInt16(b) << 8 | UInt16(a)
                appendUTF16(unit)
            }
            pendingByte = first
            if atEOF {
                if pendingByte != nil || pendingHighSurrogate != nil { Self.appendUTF8(0xFFFD, to: &buffer) }
                pendingByte = nil
                pendingHighSurrogate = nil
            }
        }
    }

    private func appendUTF16(_ unit: UInt16) {
        if let high = pendingHighSurrogate {
            pendingHighSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                Self.appendUTF8(scalar, to: &buffer)
                return
            }
            Self.appendUTF8(0xFFFD, to: &buffer)
        }
        if (0xD800...0xDBFF).contains(unit) {
            pendingHighSurrogate = unit
        } else if (0xDC00...0xDFFF).contains(unit) {
            Self.appendUTF8(0xFFFD, to: &buffer)
        } else if unit == 0xFEFF && bytesRead <= chunkSize && buffer.isEmpty {
            return  // the byte-order mark
        } else {
            Self.appendUTF8(UInt32(unit), to: &buffer)
        }
    }

    private static func looksUTF16(_ raw: UnsafeRawBufferPointer) -> Bool {
        raw.count >= 2 && (raw.starts(with: [0xFE, 0xFF]) || raw.starts(with: [0xFF, 0xFE]) || (raw[0] == 0) != (raw[1] == 0))
    }

    /// Whether every byte is below 0x80, eight at a time.
    private static func isASCII(_ raw: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = raw.count
        var bits: UInt64 = 0
        while i + 8 <= n {
            bits |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            bits |= UInt64(raw[i])
            i += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// The encoding of a file from its first chunk (or the first that is not ASCII).
    private static func decide(_ raw: [UInt8], requested: Encoding, final: Bool) -> Decoding {
        let bigEndianBOM = raw.starts(with: [0xFE, 0xFF])
        let littleEndianBOM = raw.starts(with: [0xFF, 0xFE])
        // ASCII text in UTF-16 has a NUL in every other byte.
        let nulPattern = raw.count >= 2 && (raw[0] == 0) != (raw[1] == 0)
        switch requested {
        case .utf8: return .utf8
        case .windows1252: return .windows1252
        case .utf16: return .utf16(bigEndian: bigEndianBOM || (!littleEndianBOM && raw.first == 0))
        case .auto:
            if bigEndianBOM || littleEndianBOM || nulPattern {
                return .utf16(bigEndian: bigEndianBOM || (!littleEndianBOM && raw.first == 0))
            }
            // A multi-byte character cut by the chunk's end is not a reason to doubt UTF-8.
            var end = raw.count
            if !final {
                var k = end - 1
                while k >= 0 && k >= end - 3 && raw[k] & 0xC0 == 0x80 { k -= 1 }
                if k >= 0 && raw[k] >= 0xC0 { end = k }
            }
            let valid = raw.withUnsafeBufferPointer { isValidUTF8(UnsafeBufferPointer(rebasing: $0[..<end])) }
            return valid ? .utf8 : .windows1252
        }
    }

    /// The characters Windows-1252 puts at 0x80–0xFF (0x80–0x9F differ from Latin-1; the five
    /// bytes it leaves undefined are read as Latin-1's control characters, as browsers do).
    private static let windows1252: [UInt32] =
        [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ] + (0xA0...0xFF).map { UInt32($0) }

    private static func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            bytes.append(UInt8(scalar))
        case ..<0x800:
            bytes.append(UInt8(0xC0 | scalar >> 6))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            bytes.append(UInt8(0xE0 | scalar >> 12))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | scalar >> 18))
            bytes.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: - Scanning

    private enum ScanFailure {
        case unterminatedQuote(line: Int)
        case fieldTooLong(line: Int)
        case tooManyFields(line: Int)

        func error(file: String) -> LeadPoolError {
            switch self {
            case .tooManyFields(let line):
                .badInput("\(file):\(line): more than \(CSVReader.maxFieldCount) fields in one record")
            case .unterminatedQuote(let line):
                .badInput(
                    "\(file):\(line): unterminated quoted field: the quote opened on line \(line) is never closed",
                    hint: "a field that starts with \" must end with \"; a quote inside it is written \"\""
                )
            case .fieldTooLong(let line):
                .badInput(
                    "\(file):\(line): a field is longer than 1 MiB (is a closing quote missing?)",
                    hint: "check the quotes in the field that starts on line \(line)"
                )
            }
        }
    }

    private enum Scan {
        case record(CSVRecord, next: Int, newlines: Int, allEmpty: Bool)
        /// The record runs past the buffer; the longest field so far and where it started.
        case needMore(fieldBytes: Int, fieldLine: Int)
        case failure(ScanFailure)
        case end
    }

    private static let quote: UInt8 = 0x22
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    /// Scans one record starting at `start`. Pure over the bytes: on `needMore` nothing is
    /// consumed and the caller rescans the record after a refill.
    private static func scanRecord(
        _ buf: UnsafeBufferPointer<UInt8>,
        from start: Int,
        final: Bool,
        delimiter: UInt8,
        startLine: Int,
        header: [String],
        scratch: inout [UInt8]
    ) -> Scan {
        let end = buf.count
        if start >= end { return final ? .end : .needMore(fieldBytes: 0, fieldLine: startLine) }
        var i = start
        var newlines = 0
        var fields: [String] = []
        fields.reserveCapacity(max(header.count, 8))
        var problems: [IntakeProblem] = []
        var allEmpty = true

        func column(_ index: Int) -> String? { columnName(header, index) }

        while true {
            var hasNUL = false
            var bits: UInt8 = 0  // the OR of the field's bytes: ASCII-only needs no UTF-8 check
            var text: String
            if i < end && buf[i] == quote {
                // Quoted field: runs to the next quote not doubled.
                let fieldLine = startLine + newlines
                i += 1
                var segment = i
                var usedScratch = false
                while true {
                    while i < end {
                        let b = buf[i]
                        if b > quote {
                            bits |= b
                            i += 1
                            continue
                        }
                        if b == quote { break }
                        if b == lf {
                            newlines += 1
                        } else if b == cr {
                            if i + 1 >= end || buf[i + 1] != lf { newlines += 1 }
                        } else if b == 0 {
                            hasNUL = true
                        }
                        i += 1
                    }
                    let length = i - segment + (usedScratch ? scratch.count : 0)
                    if length > maxFieldBytes { return .failure(.fieldTooLong(line: fieldLine)) }
                    if i >= end {
                        return final
                            ? .failure(.unterminatedQuote(line: fieldLine))
                            : .needMore(fieldBytes: length, fieldLine: fieldLine)
                    }
                    // buf[i] is a quote: doubled, or the closing one?
                    if i + 1 >= end && !final { return .needMore(fieldBytes: length, fieldLine: fieldLine) }
                    if i + 1 < end && buf[i + 1] == quote {
                        if !usedScratch {
                            scratch.removeAll(keepingCapacity: true)
                            usedScratch = true
                        }
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segment...i]))
                        i += 2
                        segment = i
                        continue
                    }
                    break
                }
                let raw = UnsafeBufferPointer(rebasing: buf[segment..<i])
                i += 1  // the closing quote
                if usedScratch {
                    scratch.append(contentsOf: raw)
                    text = scratch.withUnsafeBufferPointer {
                        makeString($0, ascii: bits < 0x80, problems: &problems, line: startLine, header: header, index: fields.count)
                    }
                } else {
                    text = makeString(raw, ascii: bits < 0x80, problems: &problems, line: startLine, header: header, index: fields.count)
                }
                // Only a delimiter or the end of the record may follow a closing quote.
                if i < end, buf[i] != delimiter, buf[i] != lf, buf[i] != cr {
                    let stray = i
                    while i < end, buf[i] != delimiter, buf[i] != lf, buf[i] != cr { i += 1 }
                    if i >= end && !final { return .needMore(fieldBytes: i - segment, fieldLine: fieldLine) }
                    let after = String(decoding: UnsafeBufferPointer(rebasing: buf[stray..<i]), as: UTF8.self)
                    problems.append(
                        IntakeProblem(
                            line: startLine,
                            column: column(fields.count),
                            reason: "text after the closing quote (\"…\"\(after)); a quote inside a quoted field is written \"\""
                        )
                    )
                    text += after
                }
                if !text.isEmpty { allEmpty = false }
            } else {
                // Unquoted field: runs to the delimiter or the end of the line. A stray quote
                // inside (`12" screen`) is kept as text.
                let fieldStart = i
                while i < end {
                    let b = buf[i]
                    if b > quote {
                        if b == delimiter { break }
                        bits |= b
                        i += 1
                        continue
                    }
                    if b == delimiter || b == lf || b == cr { break }
                    if b == 0 { hasNUL = true }
                    i += 1
                }
                if i - fieldStart > maxFieldBytes { return .failure(.fieldTooLong(line: startLine + newlines)) }
                if i >= end && !final { return .needMore(fieldBytes: i - fieldStart, fieldLine: startLine + newlines) }
                if i == fieldStart {
                    text = ""
                } else {
                    allEmpty = false
                    text = makeString(
                        UnsafeBufferPointer(rebasing: buf[fieldStart..<i]),
                        ascii: bits < 0x80,
                        problems: &problems,
                        line: startLine,
                        header: header,
                        index: fields.count
                    )
                }
            }
            if hasNUL {
                problems.append(
                    IntakeProblem(
                        line: startLine,
                        column: column(fields.count),
                        reason: "NUL byte in the field; the file must be UTF-8 text (is it UTF-16 or binary?)"
                    )
                )
            }
            fields.append(text)
            // Checked as the fields come: a record of millions of empty fields is rescanned
            // after every read until it ends, which took minutes and gigabytes.
            if fields.count > maxFieldCount { return .failure(.tooManyFields(line: startLine)) }

            // After a field: a delimiter, a line end, or the end of the file.
            if i >= end {
                return .record(CSVRecord(line: startLine, fields: fields, problems: problems), next: i, newlines: newlines, allEmpty: allEmpty)
            }
            let b = buf[i]
            if b == delimiter {
                i += 1
                continue
            }
            if b == lf {
                return .record(
                    CSVRecord(line: startLine, fields: fields, problems: problems),
                    next: i + 1,
                    newlines: newlines + 1,
                    allEmpty: allEmpty
                )
            }
            // CR: alone or as CRLF.
            if i + 1 >= end && !final { return .needMore(fieldBytes: 0, fieldLine: startLine) }
            let next = i + 1 < end && buf[i + 1] == lf ? i + 2 : i + 1
            return .record(CSVRecord(line: startLine, fields: fields, problems: problems), next: next, newlines: newlines + 1, allEmpty: allEmpty)
        }
    }

    /// The field's text; invalid UTF-8 is repaired and reported with a Latin-1 reading as a hint.
    @inline(__always)
    private static func makeString(
        _ bytes: UnsafeBufferPointer<UInt8>,
        ascii: Bool,
        problems: inout [IntakeProblem],
        line: Int,
        header: [String],
        index: Int
    ) -> String {
        // `String(validating:)` is twice as slow as `String(decoding:)`: pay it only for non-ASCII.
        if ascii || isValidUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        let latin1 = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        let shown = latin1.count > 60 ? String(latin1.prefix(60)) + "…" : latin1
        problems.append(
            IntakeProblem(
                line: line,
                column: columnName(header, index),
                reason: "invalid UTF-8 (read as Windows-1252: \"\(shown)\"); import the file with --encoding windows-1252, or re-save it as UTF-8"
            )
        )
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return false
            }
            guard i + length <= n, (lower...upper).contains(bytes[i + 1]) else { return false }
            var k = 2
            while k < length {
                guard (0x80...0xBF).contains(bytes[i + k]) else { return false }
                k += 1
            }
            i += length
        }
        return true
    }

    /// The header of column `index`, for messages; nil while reading the header itself.
    private static func columnName(_ header: [String], _ index: Int) -> String? {
        header.isEmpty ? nil : index < header.count ? header[index] : "column \(index + 1)"
    }

    /// Extra fields that are all empty are dropped (trailing commas); otherwise a problem.
    private static func checkExtraFields(_ record: inout CSVRecord, headerCount: Int) {
        let extra = record.fields[headerCount...]
        if extra.allSatisfy(\.isEmpty) {
            record.fields.removeSubrange(headerCount...)
        } else {
            record.problems.append(
                IntakeProblem(
                    line: record.line,
                    reason: "\(record.fields.count) fields but the header has \(headerCount) (an unquoted delimiter in a value?)"
                )
            )
        }
    }

    // MARK: - Delimiter detection

    /// The end of the first line outside quotes, if the buffer holds it.
    private static func firstLineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var inQuotes = false
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == quote { inQuotes.toggle() } else if !inQuotes && (b == lf || b == cr) { return i }
            i += 1
        }
        return nil
    }

    /// The most frequent of comma, semicolon and tab outside quotes on the header line; comma on ties.
    private static func detectDelimiter(_ bytes: [UInt8], from start: Int) -> Delimiter {
        let end = firstLineEnd(bytes, from: start) ?? bytes.count
        var counts: [UInt8: Int] = [:]
        var inQuotes = false
        for b in bytes[start..<end] {
            if b == quote { inQuotes.toggle() } else if !inQuotes { counts[b, default: 0] += 1 }
        }
        let comma = counts[Delimiter.comma.rawValue] ?? 0
        let semicolon = counts[Delimiter.semicolon.rawValue] ?? 0
        let tab = counts[Delimiter.tab.rawValue] ?? 0
        if semicolon > comma && semicolon >= tab { return .semicolon }
        if tab > comma && tab > semicolon { return .tab }
        return .comma
    }
}
