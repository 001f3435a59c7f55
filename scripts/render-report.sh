#!/usr/bin/env bash
# Builds a small sample database, writes `leadpool report --format html` and renders it with
# headless Chromium to PNG, to look at the report as a user would. By hand only, not in CI.
#
#   scripts/render-report.sh [OUT_DIR]        # default: /tmp/leadpool-report
#
# Needs Debian's chromium (`apt-get install -y chromium`) and sqlite3 (rounds rows are inserted
# directly, as the assignment engine would write them). Uses .build/debug/leadpool unless
# LEADPOOL_BIN is set.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/leadpool-report}"
bin="${LEADPOOL_BIN:-$PWD/.build/debug/leadpool}"
[ -x "$bin" ] || swift build --product leadpool
rm -rf "$out" && mkdir -p "$out"
export LEADPOOL_DB="$out/sample.db"
lp() { "$bin" "$@" >/dev/null; }

"$bin" init >/dev/null
admin="$("$bin" --json rep list | sed -n 's/.*"handle": "\([^"]*\)".*/\1/p' | head -1)"
lp rep add alice --name "Alice Adams" --team emea --capacity 12
lp rep add bob --name "Bob <Builder> & Sons" --team emea
lp rep add carol --name "Carol" --team na --capacity 6
lp rep add dan --name "Dan" --team na --capacity 20
lp --now 2026-09-01 rules apply examples/rules.yaml

countries=(DE FR US GB AT CA JP NL)
industries=(Software Fintech Retail Manufacturing)
sources=(webinar tradeshow purchased-list website "partner <referral>")
{
  echo "Company,Email,Country,Industry,Number of Employees,Lead Source"
  for i in $(seq 1 160); do
    echo "Company $i,c$i@company$i.com,${countries[i % 8]},${industries[i % 4]},$(( (i * 37) % 3000 + 10 )),${sources[i % 5]}"
  done
} > "$out/leads.csv"
# Imports on three dates, so the pool has several age bands.
head -61 "$out/leads.csv" > "$out/a.csv"
{ head -1 "$out/leads.csv"; sed -n 62,121p "$out/leads.csv"; } > "$out/b.csv"
{ head -1 "$out/leads.csv"; sed -n 122,161p "$out/leads.csv"; } > "$out/c.csv"
lp --now 2026-07-01 import "$out/a.csv"
lp --now 2026-10-20 import "$out/b.csv"
lp --now 2026-11-25 import "$out/c.csv"

# Claims, touches and closes over the autumn.
lp --now 2026-10-21T09:00:00Z --as alice claim 1 2 3 4 5 6 7 8 9 10
lp --now 2026-10-22T10:00:00Z --as alice touch 1
lp --now 2026-10-23T10:00:00Z --as alice touch 2
lp --now 2026-10-25T10:00:00Z --as alice convert 1
lp --now 2026-10-26T10:00:00Z --as alice disqualify 2 --reason "no budget"
lp --now 2026-10-21T11:00:00Z --as bob claim 11 12 13 14 15 16
lp --now 2026-10-24T11:00:00Z --as bob touch 11
lp --now 2026-11-02T11:00:00Z --as bob convert 11
lp --now 2026-11-03T11:00:00Z --as bob release 12 --reason "wrong region"
lp --now 2026-11-20T09:00:00Z --as carol claim 20 21 22 23 24 25
lp --now 2026-11-21T09:00:00Z --as carol touch 20
lp --now 2026-11-22T09:00:00Z --as carol convert 20
lp --now 2026-11-23T09:00:00Z --as carol convert 21
lp --now 2026-11-24T09:00:00Z --as carol disqualify 22 --reason "student"
lp --now 2026-11-30T08:00:00Z --as dan claim 30 31 32
lp --now 2026-11-30T08:30:00Z --as dan touch 30

# Reclaims and rounds as the nightly job and the engine write them.
sqlite3 "$LEADPOOL_DB" <<SQL
INSERT INTO events (lead_id, at, actor, kind, from_owner) VALUES
  (13, strftime('%s','2026-11-10'), 'system', 'reclaimed', 'bob'),
  (14, strftime('%s','2026-11-12'), 'system', 'reclaimed', 'bob'),
  (15, strftime('%s','2026-11-20'), 'system', 'reclaimed', 'bob');
UPDATE leads SET owner = NULL, claimed_at = NULL, previous_owner = 'bob', released_at = strftime('%s','2026-11-20')
  WHERE id IN (13, 14, 15);
INSERT INTO rounds (started_at, finished_at, clock, actor, ruleset_version, status, considered, assigned, unrouted, no_capacity, skipped, summary)
VALUES
  (strftime('%s','2026-11-28'), strftime('%s','2026-11-28'), strftime('%s','2026-11-28T07:00:00Z'), '$admin', 1, 'complete', 40, 30, 6, 4, 0,
   '{"rules":[{"rule":"emea-top","matched":20,"assigned":16,"no_capacity":4},{"rule":"rest","matched":20,"assigned":14,"no_capacity":0}],"reps":[{"handle":"alice","before":5,"given":9,"after":14,"capacity":12},{"handle":"bob","before":3,"given":11,"after":14,"capacity":50},{"handle":"carol","before":2,"given":10,"after":12,"capacity":6}],"fairness":{"spread":0.12,"stddev":0.04}}'),
  (strftime('%s','2026-11-30'), strftime('%s','2026-11-30'), strftime('%s','2026-11-30T07:00:00Z'), '$admin', 1, 'complete', 12, 8, 4, 0, 1,
   '{"rules":[{"rule":"rest","matched":12,"assigned":8,"no_capacity":0}],"reps":[{"handle":"bob","before":14,"given":5,"after":19,"capacity":50},{"handle":"dan","before":0,"given":3,"after":3,"capacity":20}],"fairness":{"spread":0.31,"stddev":0.11}}');
SQL

"$bin" --now 2026-11-30T12:00:00Z report --format html -o "$out/report.html"
"$bin" --now 2026-11-30T12:00:00Z report > "$out/report.txt"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$out/report.png" \
  --window-size=1200,2600 "file://$out/report.html" 2>/dev/null
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$out/report.pdf" \
  "file://$out/report.html" 2>/dev/null || true
echo "$out/report.html  $out/report.png  $out/report.pdf  $out/report.txt"
