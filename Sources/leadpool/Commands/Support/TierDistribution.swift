import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// Leads per tier in the ruleset's band order (never-scored leads last).
struct TierDistribution {
    let rows: [(tier: String?, count: Int)]

    init(ruleset: Ruleset, counts: [TierCount]) {
        var rows = ruleset.tiers.map { band in (tier: Optional(band.name), count: counts.first { $0.tier == band.name }?.count ?? 0) }
        for extra in counts where !ruleset.tiers.contains(where: { $0.name == extra.tier }) {
            rows.append((extra.tier, extra.count))
        }
        self.rows = rows
    }

    var total: Int { rows.reduce(0) { $0 + $1.count } }

    var table: Table {
        var table = Table([("TIER", .left), ("LEADS", .right), ("SHARE", .right)])
        for (index, row) in rows.enumerated() { table.add([row.tier ?? "(none)", String(row.count), share(of: index)]) }
        return table
    }

    /// The row's share of all leads, as `12.5%`.
    func share(of index: Int) -> String {
        String(format: "%.1f%%", total == 0 ? 0 : Double(rows[index].count) * 100 / Double(total))
    }

    var json: JSON {
        .array(rows.map { .object([("tier", .of($0.tier)), ("leads", .of($0.count))]) })
    }
}
