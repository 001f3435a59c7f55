#!/bin/sh
# Hand-run throughput check for CSV intake (not a test): builds the Intake sources with -O
# into a throwaway binary, generates a 1,000,000-row Salesforce-like CSV and times
# (1) CSVReader alone and (2) CSVReader + HeaderMap.draft(from:).
#   sh Tests/LeadPoolCoreTests/Fixtures/intake-benchmark.sh [ROWS]
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
work=${TMPDIR:-/tmp}/leadpool-intake-bench
rows=${1:-1000000}
mkdir -p "$work"
cat > "$work/main.swift" <<'SWIFT'
import Foundation
let args = CommandLine.arguments
let path = args[1]
if args.count > 2 {
    let rows = Int(args[2])!
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let out = FileHandle(forWritingAtPath: path)!
    var text = "Id,FirstName,LastName,Company,Title,Email,Phone,Website,Industry,NumberOfEmployees,AnnualRevenue,Country,State,City,LeadSource,Status,Product_Interest__c,Description\r\n"
    let countries = ["Germany", "US", "France", "United Kingdom", "NL"]
    for i in 0..<rows {
        let desc = i % 10 == 0 ? "\"Met at booth, asked for \"\"pricing\"\"\nFollow up\"" : "Inbound"
        text += "00Q\(i),Anna,M\u{FC}ller,\"Acme \(i % 5000), Inc.\",Head of Sales,anna.\(i)@acme\(i % 5000).com,+49 30 1234567,https://www.acme\(i % 5000).com/,Software,\(i % 9000),\(i * 17).50,\(countries[i % 5]),Berlin,Berlin,Web,Open - Not Contacted,Analytics,\(desc)\r\n"
        if text.utf8.count > 1 << 20 { out.write(text.data(using: .utf8)!); text = "" }
    }
    out.write(text.data(using: .utf8)!)
    try! out.close()
    exit(0)
}
func measure(_ label: String, _ body: () throws -> Int) rethrows {
    let start = Date()
    let n = try body()
    let seconds = Date().timeIntervalSince(start)
    print("\(label): \(n) rows in \(String(format: "%.2f", seconds)) s = \(Int(Double(n) / seconds)) rows/s")
}
try measure("reader") {
    let reader = try CSVReader(path: path)
    var n = 0
    while let _ = try reader.next() { n += 1 }
    return n
}
try measure("reader + drafts") {
    let reader = try CSVReader(path: path)
    let map = try HeaderMap(header: reader.header)
    var n = 0, bad = 0
    while let record = try reader.next() {
        switch map.draft(from: record) {
        case .draft: n += 1
        case .rejected: bad += 1
        }
    }
    if bad > 0 { print("bad rows: \(bad)") }
    return n
}
SWIFT
if [ ! -f "$work/leads-$rows.csv" ] || [ "$work/main.swift" -nt "$work/bench" ] || [ -n "$(find "$root/Sources/LeadPoolCore" -newer "$work/bench" -name '*.swift' 2>/dev/null)" ] || [ ! -x "$work/bench" ]; then
    swiftc -O -wmo -module-name Bench -o "$work/bench" \
        "$root"/Sources/LeadPoolCore/Intake/*.swift "$root"/Sources/LeadPoolCore/Model/*.swift \
        "$root"/Sources/LeadPoolCore/LeadPoolError.swift "$work/main.swift"
fi
[ -f "$work/leads-$rows.csv" ] || "$work/bench" "$work/leads-$rows.csv" "$rows"
ls -l "$work/leads-$rows.csv"
"$work/bench" "$work/leads-$rows.csv"
