import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// A round's summary as `rounds show` and `assign` print it.
extension RoundSummary {
    var json: JSON {
        .object([
            ("rules", .array(rules.map { rule in
                .object([
                    ("rule", .string(rule.rule)), ("matched", .of(rule.matched)), ("assigned", .of(rule.assigned)),
                    ("no_capacity", .of(rule.noCapacity)),
                ])
            })),
            ("reps", .array(reps.map { rep in
                .object([
                    ("handle", .string(rep.handle)), ("before", .of(rep.before)), ("given", .of(rep.given)),
                    ("after", .of(rep.after)), ("capacity", .of(rep.capacity)),
                ])
            })),
            ("fairness", fairness.map { .object([("spread", .of($0.spread)), ("stddev", .of($0.stddev))]) } ?? .null),
        ])
    }

    var ruleTable: Table {
        var table = Table([("RULE", .left), ("MATCHED", .right), ("ASSIGNED", .right), ("NO CAPACITY", .right)])
        for rule in rules {
            table.add([rule.rule] + [rule.matched, rule.assigned, rule.noCapacity].map { $0.map(String.init) ?? "-" })
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
            fairness?.spread ?? 0, fairness?.stddev ?? 0)
    }
}
