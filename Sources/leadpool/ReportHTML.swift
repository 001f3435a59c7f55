import Foundation
import LeadPoolCore

/// The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts, no
/// fonts or anything else fetched, print styles with a page break between sections.
/// Every text value is escaped.
struct ReportHTML {
    let presenter: ReportPresenter
    private var report: Report { presenter.report }

    /// Escapes text for HTML element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    var document: String {
        let clock = presenter.clock
        let generated = Self.escape(clock.time(report.now))
        var body = ""
        for section in presenter.sections {
            switch section {
            case .pool: body += pool
            case .reps: body += reps
            case .conversion: body += conversion + reasons
            case .aging: body += aging
            case .rounds: body += rounds
            case .sla: body += sla
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>leadpool report \(generated)</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header><h1>Lead pool report</h1><p class="meta">Figures at \(generated) (\(Self.escape(clock.name))). Idle, today and the last 7 or 30 days are counted from this time.</p></header>
            \(body)
            </body>
            </html>

            """
    }

    // MARK: - Sections

    private var pool: String {
        guard let pool = report.pool else { return "" }
        var out = sectionStart("pool", "Pool health", "\(pool.leads) open unowned lead(s)")
        out += "<div class=\"charts\">"
        out += figure(
            "By tier",
            bars(
                pool.byTier.map {
                    Bar(label: ReportPresenter.label($0.group), value: Double($0.leads), text: String($0.leads))
                }
            )
        )
        out += figure(
            "By age (days since import)",
            bars(
                pool.byAge.map {
                    Bar(label: ReportPresenter.label($0.group), value: Double($0.leads), text: String($0.leads))
                },
                tone: "age"
            )
        )
        out += "</div><div class=\"tables\">"
        for (title, groups) in [
            ("Tier", pool.byTier), ("Segment", pool.bySegment), ("Source", pool.bySource), ("Age (days)", pool.byAge), ("Pool", pool.byPoolLeads),
        ] {
            out += table(
                caption: "By " + title.lowercased(),
                columns: [title, "Leads", "Share"],
                numeric: [false, true, true],
                rows: groups.map { [ReportPresenter.label($0.group), String($0.leads), ReportPresenter.percent($0.leads, of: pool.leads)] },
                empty: title == "Segment" ? "The ruleset defines no segments." : "No leads."
            )
        }
        out += "</div>"
        if !pool.bySegment.isEmpty { out += "<p class=\"note\">Segments overlap: a lead counts in each segment it matches.</p>" }
        return out + "</section>\n"
    }

    private var reps: String {
        guard let reps = report.reps else { return "" }
        var out = sectionStart("reps", "Reps", "Load vs capacity and activity")
        let scale = Double(reps.reps.map { max($0.held, $0.capacity) }.max() ?? 0)
        out += figure("Held (open and qualified) leads (dark) vs capacity (light)", loadChart(reps.reps, scale: scale), wide: true)
        out += table(
            caption: "Load and activity",
            columns: [
                "Rep", "Held / capacity", "Load", "Claimed today", "Touches 7d",
                "Idle ≥ \(reps.idleThresholdDays)d" + (reps.idleThresholdHasOverrides ? "*" : ""), "Converted",
                "Disqualified", "Released", "Reclaimed", "Reclaimed 30d", "Flags",
            ],
            numeric: [false] + Array(repeating: true, count: 10) + [false],
            rows: reps.reps.map { rep in
                var flags: [String] = []
                if rep.hoarding { flags.append("hoarding") }
                if rep.held > rep.capacity { flags.append("over capacity") }
                if !rep.active { flags.append("inactive") }
                return [
                    rep.handle + (rep.name == rep.handle ? "" : " (\(rep.name))"),
                    "\(rep.held) / \(rep.capacity)",
                    ReportPresenter.percent(rep.held, of: rep.capacity), String(rep.claimedToday), String(rep.touches7d),
                    String(rep.idle), String(rep.converted), String(rep.disqualified), String(rep.released),
                    String(rep.reclaimed), String(rep.reclaimedRecently), flags.joined(separator: ", "),
                ]
            },
            empty: "No reps.",
            flagColumn: 11
        )
        out += "<p class=\"note\">\(Self.escape(presenter.hoardingNote(reps)))</p>"
        return out + "</section>\n"
    }

    private var conversion: String {
        guard let conversion = report.conversion else { return "" }
        var out = sectionStart("conversion", "Conversion", "Converted / closed, overall \(conversion.overall.text)")
        out += figure(
            "Conversion by source",
            bars(
                conversion.bySource.map {
                    Bar(label: ReportPresenter.label($0.group), value: $0.rate ?? 0, text: $0.text)
                },
                maximum: 1,
                tone: "rate"
            ),
            wide: true
        )
        out += "<div class=\"tables\">"
        for (title, rates) in [
            ("Source", conversion.bySource), ("Segment", conversion.bySegment), ("Tier", conversion.byTier), ("Rep", conversion.byRep),
        ] {
            out += table(
                caption: "By " + title.lowercased(),
                columns: [title, "Converted / closed"],
                numeric: [false, true],
                rows: rates.map { [ReportPresenter.label($0.group), $0.text] },
                empty: "Nothing closed yet."
            )
        }
        return out + "</div></section>\n"
    }

    /// Why leads were disqualified or released, per reason as the rules file spells it.
    private var reasons: String {
        guard let conversion = report.conversion else { return "" }
        let kinds = [
            ("Disqualified", "disqualifications", conversion.byDisqualifyReason),
            ("Released", "releases", conversion.byReleaseReason),
        ]
        let totals = kinds.map { $0.2.reduce(0) { $0 + $1.leads } }
        var out = sectionStart(
            "reasons",
            "Reasons",
            "\(totals[0]) disqualification(s) and \(totals[1]) release(s), counted per reason given"
        )
        out += "<div class=\"charts\">"
        for (title, _, counts) in kinds {
            out += figure(
                title + " by reason",
                bars(
                    counts.map {
                        Bar(label: ReportPresenter.label($0.group), value: Double($0.leads), text: String($0.leads))
                    }
                )
            )
        }
        out += "</div><div class=\"tables\">"
        for ((title, plural, counts), total) in zip(kinds, totals) {
            out += table(
                caption: title + " by reason",
                columns: ["Reason", "Leads", "Share"],
                numeric: [false, true, true],
                rows: counts.map { [ReportPresenter.label($0.group), String($0.leads), ReportPresenter.percent($0.leads, of: total)] },
                empty: "No \(plural) yet."
            )
        }
        return out + "</div></section>\n"
    }

    private var aging: String {
        guard let aging = report.aging else { return "" }
        var out = sectionStart("aging", "Aging", "Days between steps: median and 90th percentile")
        out += table(
            caption: "Time between steps",
            columns: ["Step", "Leads", "Median (days)", "90th percentile (days)"],
            numeric: [false, true, true, true],
            rows: ReportPresenter.agingSteps.map { step in
                let stats = step.stats(aging)
                return [step.title, String(stats.count), ReportPresenter.days(stats.medianDays), ReportPresenter.days(stats.p90Days)]
            },
            empty: ""
        )
        return out + "</section>\n"
    }

    private var rounds: String {
        guard let rounds = report.rounds else { return "" }
        var out = sectionStart("rounds", "Assignment rounds", "The last \(rounds.rounds.count) of \(rounds.total)")
        out += table(
            caption: "Recent rounds",
            columns: [
                "Round", "At", "Actor", "Ruleset", "Assigned", "Unrouted", "No capacity", "Per-round limit", "Moved", "Skipped",
                "Spread", "Std dev", "Given per rep",
            ],
            numeric: [true, false, false, true, true, true, true, true, true, true, true, true, false],
            rows: rounds.rounds.map { round in
                [
                    String(round.id), minute(round.clock), round.actor, round.rulesetVersion.map { "v\($0)" } ?? "–",
                    String(round.assigned), String(round.unrouted), String(round.noCapacity),
                    round.summary?.perRoundLimited.map(String.init) ?? "–", round.summary?.moved.map(String.init) ?? "–",
                    String(round.skipped),
                    ReportPresenter.decimal(round.summary?.fairness?.spread),
                    ReportPresenter.decimal(round.summary?.fairness?.stddev), ReportPresenter.given(round.summary),
                ]
            },
            empty: "No rounds yet."
        )
        let perRule = ReportPresenter.ruleRows(rounds)
        if !perRule.isEmpty {
            out += table(
                caption: "Fairness per rule (over each rule's reps that could take its leads)",
                columns: ["Round", "Rule", "Matched", "Assigned", "No capacity", "Per-round limit", "Reps", "Spread", "Std dev"],
                numeric: ReportPresenter.ruleColumns.map(\.numeric),
                rows: perRule,
                empty: ""
            )
        }
        return out + "</section>\n"
    }

    private var sla: String {
        guard let sla = report.sla else { return "" }
        var out = sectionStart("sla", "Speed to lead", ReportPresenter.slaSubtitle(sla))
        out += "<div class=\"charts\">"
        if sla.within != nil {
            out += figure(
                "Touched within the deadline",
                bars(
                    sla.reps.filter { $0.inTime + $0.missed > 0 }.map {
                        Bar(label: $0.handle, value: $0.inTimeShare ?? 0, text: ReportPresenter.percent($0.inTime, of: $0.inTime + $0.missed))
                    },
                    maximum: 1
                )
            )
        }
        out += figure(
            "Median first touch (working hours)",
            bars(
                sla.reps.compactMap { row in
                    row.medianHours.map { Bar(label: row.handle, value: $0, text: String(format: "%.1f h", $0)) }
                }
            )
        )
        out += "</div>"
        out += table(
            caption: "Per rep",
            columns: ReportPresenter.slaColumns.map { $0.title.capitalized },
            numeric: ReportPresenter.slaColumns.map(\.numeric),
            rows: ReportPresenter.slaRows(sla),
            empty: "No reps."
        )
        return out + "</section>\n"
    }

    // MARK: - Building blocks

    private func sectionStart(_ id: String, _ title: String, _ subtitle: String) -> String {
        "<section id=\"\(id)\"><h2>\(Self.escape(title))</h2><p class=\"sub\">\(Self.escape(subtitle))</p>\n"
    }

    private func figure(_ caption: String, _ svg: String, wide: Bool = false) -> String {
        "<figure class=\"\(wide ? "chart wide" : "chart")\"><figcaption>\(Self.escape(caption))</figcaption>\(svg)</figure>\n"
    }

    private func table(
        caption: String,
        columns: [String],
        numeric: [Bool],
        rows: [[String]],
        empty: String,
        flagColumn: Int? = nil
    ) -> String {
        var out = "<table><caption>\(Self.escape(caption))</caption><thead><tr>"
        for (i, column) in columns.enumerated() { out += "<th\(numeric[i] ? " class=\"n\"" : "")>\(Self.escape(column))</th>" }
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>"
            for (i, cell) in row.enumerated() {
                let classes = [numeric[i] ? "n" : nil, i == flagColumn && !cell.isEmpty ? "flag" : nil].compactMap { $0 }
                out += "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(Self.escape(cell))</td>"
            }
            out += "</tr>"
        }
        if rows.isEmpty, !empty.isEmpty {
            out += "<tr><td class=\"empty\" colspan=\"\(columns.count)\">\(Self.escape(empty))</td></tr>"
        }
        return out + "</tbody></table>\n"
    }

    private struct Bar {
        var label: String
        var value: Double
        var text: String
    }

    private static let labelWidth = 120.0, barWidth = 280.0, textWidth = 90.0, rowHeight = 26.0

    /// Horizontal bars, one per row, scaled to `maximum` (default: the largest value).
    private func bars(_ items: [Bar], maximum: Double? = nil, tone: String = "count") -> String {
        guard !items.isEmpty else { return "<p class=\"empty\">Nothing to chart.</p>" }
        let top = max(maximum ?? items.map(\.value).max() ?? 0, 1e-9)
        let width = Self.labelWidth + Self.barWidth + Self.textWidth
        let height = Double(items.count) * Self.rowHeight + 4
        var svg = svgStart(width: width, height: height, label: items.map { "\($0.label): \($0.text)" }.joined(separator: "; "))
        for (i, item) in items.enumerated() {
            let y = Double(i) * Self.rowHeight + 2
            let length = max(0, min(1, item.value / top)) * Self.barWidth
            svg += text(Self.labelWidth - 8, y + 17, item.label, anchor: "end")
            svg += "<rect class=\"track\" x=\"\(Self.labelWidth)\" y=\"\(y + 4)\" width=\"\(Self.barWidth)\" height=\"18\" rx=\"3\"/>"
            svg += "<rect class=\"bar \(tone)\" x=\"\(Self.labelWidth)\" y=\"\(y + 4)\" width=\"\(Self.format(length))\" height=\"18\" rx=\"3\"/>"
            svg += text(Self.labelWidth + Self.barWidth + 8, y + 17, item.text, anchor: "start")
        }
        return svg + "</svg>"
    }

    /// Per rep: capacity as a light bar, held leads over it; red past capacity.
    private func loadChart(_ reps: [RepActivity], scale: Double) -> String {
        guard !reps.isEmpty else { return "<p class=\"empty\">No reps.</p>" }
        let top = max(scale, 1)
        let width = Self.labelWidth + Self.barWidth * 1.6 + Self.textWidth + 40
        let barWidth = Self.barWidth * 1.6
        let height = Double(reps.count) * Self.rowHeight + 4
        var svg = svgStart(
            width: width,
            height: height,
            label: reps.map { "\($0.handle): \($0.held) of \($0.capacity)" }.joined(separator: "; ")
        )
        for (i, rep) in reps.enumerated() {
            let y = Double(i) * Self.rowHeight + 2
            let capacity = Double(rep.capacity) / top * barWidth
            let held = Double(rep.held) / top * barWidth
            svg += text(Self.labelWidth - 8, y + 17, rep.handle, anchor: "end")
            svg += "<rect class=\"capacity\" x=\"\(Self.labelWidth)\" y=\"\(y + 4)\" width=\"\(Self.format(capacity))\" height=\"18\" rx=\"3\"/>"
            let tone = rep.held > rep.capacity ? "over" : (rep.hoarding ? "warn" : "count")
            svg += "<rect class=\"bar \(tone)\" x=\"\(Self.labelWidth)\" y=\"\(y + 8)\" width=\"\(Self.format(held))\" height=\"10\" rx=\"2\"/>"
            let note = "\(rep.held) / \(rep.capacity)" + (rep.hoarding ? "  hoarding" : "")
            svg += text(Self.labelWidth + barWidth + 8, y + 17, note, anchor: "start")
        }
        return svg + "</svg>"
    }

    private func svgStart(width: Double, height: Double, label: String) -> String {
        "<svg viewBox=\"0 0 \(Self.format(width)) \(Self.format(height))\" "
            + "width=\"\(Self.format(width))\" height=\"\(Self.format(height))\" role=\"img\" aria-label=\"\(Self.escape(label))\">"
    }

    private func text(_ x: Double, _ y: Double, _ value: String, anchor: String) -> String {
        "<text x=\"\(Self.format(x))\" y=\"\(Self.format(y))\" text-anchor=\"\(anchor)\">\(Self.escape(value))</text>"
    }

    /// `2026-11-30 07:00` in the reader's zone (the header names it), short enough not to wrap.
    private func minute(_ date: Date) -> String {
        let text = presenter.clock.time(date)
        return String(text.prefix(10)) + "\u{00A0}" + String(text.dropFirst(11).prefix(5))
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    // MARK: - Style

    private static let css = """

        :root { --ink: #1d2430; --muted: #5b6472; --line: #d9dee5; --accent: #2f6fb3; --warn: #c77800; --bad: #c0392b; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
               color: var(--ink); margin: 0 auto; padding: 24px 32px; max-width: 1100px; background: #fff; }
        header { border-bottom: 2px solid var(--ink); margin-bottom: 8px; }
        h1 { font-size: 24px; margin: 0 0 2px; }
        h2 { font-size: 19px; margin: 0; }
        .meta, .sub, .note { color: var(--muted); margin: 2px 0 12px; }
        .note { font-size: 12px; }
        section { padding: 18px 0 8px; border-bottom: 1px solid var(--line); }
        .charts, .tables { display: flex; flex-wrap: wrap; gap: 12px 28px; align-items: flex-start; }
        figure { margin: 6px 0 14px; }
        figcaption, caption { font-weight: 600; text-align: left; margin-bottom: 4px; }
        svg { display: block; max-width: 100%; height: auto; }
        svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
        .track { fill: #eef1f5; }
        .capacity { fill: #dfe7f1; stroke: #b9c7d8; stroke-width: 1; }
        .bar.count { fill: var(--accent); }
        .bar.age { fill: #6c8ebf; }
        .bar.rate { fill: #3c9a5f; }
        .bar.warn { fill: var(--warn); }
        .bar.over { fill: var(--bad); }
        table { border-collapse: collapse; margin: 6px 0 14px; font-variant-numeric: tabular-nums; }
        td.n { white-space: nowrap; }
        th, td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
        th { font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--ink); }
        .n { text-align: right; }
        td.flag { color: var(--bad); font-weight: 600; }
        td.empty, p.empty { color: var(--muted); font-style: italic; }
        @media print {
          body { padding: 0; max-width: none; font-size: 11px; }
          section { break-inside: avoid-page; border-bottom: none; }
          section + section { break-before: page; }
          table, figure { break-inside: avoid; }
          .bar, .track, .capacity { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        @page { margin: 14mm; }

        """
}
