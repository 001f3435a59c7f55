import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// A round's summary as `rounds show` and `assign` print it.
extension RoundSummary {
    var json: JSON {
        .object([
            (
                "rules",
                .array(
                    rules.map { rule in
                        .object([
                            ("rule", .string(rule.rule)), ("matched", .of(rule.matched)), ("assigned", .of(rule.assigned)),
                            ("no_capacity", .of(rule.noCapacity)), ("per_round_limited", .of(rule.perRoundLimited)),
                            ("moved", .of(rule.moved)),
                            ("fairness", rule.fairness?.json ?? .null),
                        ])
                    }
                )
            ),
            (
                "reps",
                .array(
                    reps.map { rep in
                        .object([
                            ("handle", .string(rep.handle)), ("before", .of(rep.before)), ("given", .of(rep.given)),
                            ("after", .of(rep.after)), ("capacity", .of(rep.capacity)),
                        ])
                    }
                )
            ),
            ("fairness", fairness?.json ?? .null),
        ])
    }

    /// Per rule: what it matched and gave, what stayed (no capacity, per-round limit), what it
    /// moved into another pool, and the
    /// fairness over its reps.
    var ruleTable: Table {
        var table = Table([
            ("RULE", .left), ("MATCHED", .right), ("ASSIGNED", .right), ("NO CAPACITY", .right), ("PER-ROUND LIMIT", .right),
            ("MOVED", .right), ("REPS", .right), ("SPREAD", .right), ("STDDEV", .right),
        ])
        for rule in rules {
            table.add(
                [rule.rule]
                    + [rule.matched, rule.assigned, rule.noCapacity, rule.perRoundLimited, rule.moved, rule.fairness?.reps].map {
                        $0.map(String.init) ?? "-"
                    }
                    + [rule.fairness?.spread, rule.fairness?.stddev].map { $0.map { String(format: "%.2f", $0) } ?? "-" }
            )
        }
        return table
    }

    var repTable: Table {
        var table = Table([("REP", .left), ("BEFORE", .right), ("GIVEN", .right), ("AFTER", .right), ("CAPACITY", .right), ("LOAD", .right)])
        for rep in reps where rep.given > 0 || (rep.before ?? 0) > 0 {
            table.add([
                rep.handle, rep.before.map(String.init) ?? "-", String(rep.given), rep.after.map(String.init) ?? "-",
                rep.capacity.map(String.init) ?? "-", RoundReport.percent(rep.after ?? 0, rep.capacity ?? 0),
            ])
        }
        return table
    }

    var fairnessLine: String {
        String(
            format: "Fairness: load spread %.2f, standard deviation %.2f (0 = perfectly even)",
            fairness?.spread ?? 0,
            fairness?.stddev ?? 0
        )
    }
}

extension RoundSummary.Fairness {
    var json: JSON { .object([("reps", .of(reps)), ("spread", .of(spread)), ("stddev", .of(stddev))]) }
}
