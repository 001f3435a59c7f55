import Foundation
import Testing

@testable import LeadPoolCore

/// The fixture file `name` next to this source file (no SwiftPM resources).
func fixturePath(_ name: String, file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

/// Reads `text` with small chunks so records cross chunk boundaries.
func reader(_ text: String, chunkSize: Int = 7) throws -> CSVReader {
    try CSVReader(bytes: Array(text.utf8), name: "test.csv", chunkSize: chunkSize)
}

func reader(bytes: [UInt8], chunkSize: Int = 7) throws -> CSVReader {
    try CSVReader(bytes: bytes, name: "test.csv", chunkSize: chunkSize)
}

/// Every record left in `reader`.
func records(_ reader: CSVReader) throws -> [CSVRecord] {
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    return records
}

/// Drafts and problems of a whole file.
func importFile(_ path: String, overrides: [ColumnOverride] = []) throws -> (map: HeaderMap, drafts: [LeadDraft], problems: [IntakeProblem]) {
    let reader = try CSVReader(path: path)
    let map = try HeaderMap(reader: reader, overrides: overrides)
    var drafts: [LeadDraft] = []
    var problems: [IntakeProblem] = []
    while let record = try reader.next() {
        switch map.draft(from: record) {
        case .draft(let draft): drafts.append(draft)
        case .rejected(let found): problems += found
        }
    }
    return (map, drafts, problems)
}

/// The thrown LeadPoolError of `body`, if any.
func error(_ body: () throws -> Void) -> LeadPoolError? {
    do { try body() } catch let error as LeadPoolError { return error } catch { return nil }
    return nil
}
