#!/usr/bin/env bash
# Times each `leadpool report` section on a generated database of 1,000,000 leads (by hand,
# not in CI): 200 reps, ~2.3M events (imports, claims, touches, closes, releases, reclaims),
# 500 rounds. Build first: swift build -c release.
#
#   scripts/report-bench.sh [DB]      # default /tmp/leadpool-report-1m.db (kept and reused)
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-/tmp/leadpool-report-1m.db}"
bin="${LEADPOOL_BIN:-$PWD/.build/release/leadpool}"
export LEADPOOL_DB="$db" LEADPOOL_NOW=2026-11-30T12:00:00Z
if [ ! -f "$db" ]; then
  "$bin" init >/dev/null
  sqlite3 "$db" <<'SQL'
PRAGMA journal_mode = WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO reps (handle, name, team, capacity, created_at)
SELECT 'rep' || i, 'Rep ' || i, CASE i % 3 WHEN 0 THEN 'emea' WHEN 1 THEN 'na' ELSE 'sdr' END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 400 + i END, 1700000000 FROM n;
-- 1M leads created over the last 400 days; every 5th owned, every 25th closed.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
INSERT INTO leads (id, company, email, email_norm, domain, country, industry, employees, source, status, score, tier,
                   owner, created_at, claimed_at, last_activity_at)
SELECT i, 'Company ' || i, 'c' || i || '@co' || i || '.com', 'c' || i || '@co' || i || '.com', 'co' || i || '.com',
       json_extract('["DE","FR","US","GB","AT","CA","JP","NL","ES","AU"]', '$[' || (i % 10) || ']'),
       json_extract('["Software","Fintech","Retail","Manufacturing","Health"]', '$[' || (i % 5) || ']'),
       (i * 37) % 20000,
       json_extract('["webinar","tradeshow","purchased-list","website","partner","cold-call","ads"]', '$[' || (i % 7) || ']'),
       CASE WHEN i % 25 = 0 THEN (CASE WHEN i % 50 = 0 THEN 'converted' ELSE 'disqualified' END) ELSE 'open' END,
       0, NULL,
       CASE WHEN i % 5 = 0 THEN 'rep' || (1 + i % 200) END,
       1764504000 - (i % 400) * 86400 - (i % 7919),
       CASE WHEN i % 5 = 0 THEN 1764504000 - (i % 400) * 86400 + 86400 * (1 + i % 9) END,
       CASE WHEN i % 10 = 0 THEN 1764504000 - (i % 30) * 86400 END
FROM n;
INSERT INTO events (lead_id, at, actor, kind, detail) SELECT id, created_at, 'admin', 'imported', NULL FROM leads;
INSERT INTO events (lead_id, at, actor, kind, to_owner)
  SELECT id, claimed_at, owner, CASE WHEN id % 3 = 0 THEN 'assigned' ELSE 'claimed' END, owner FROM leads WHERE owner IS NOT NULL;
INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner)
  SELECT id, claimed_at + 3600 * (id % 200), owner, 'touched', owner, owner FROM leads WHERE owner IS NOT NULL AND id % 2 = 0;
INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner)
  SELECT id, claimed_at + 86400 * (id % 40), owner, status, owner, owner FROM leads WHERE owner IS NOT NULL AND status <> 'open';
-- Released and reclaimed leads: pool leads with a past owner.
INSERT INTO events (lead_id, at, actor, kind, to_owner)
  SELECT id, created_at + 86400, 'rep' || (1 + id % 200), 'claimed', 'rep' || (1 + id % 200) FROM leads WHERE id % 5 = 1 AND id % 7 = 0;
INSERT INTO events (lead_id, at, actor, kind, from_owner, reason)
  SELECT id, created_at + 86400 * 20, CASE WHEN id % 2 = 0 THEN 'system' ELSE 'rep' || (1 + id % 200) END,
         CASE WHEN id % 2 = 0 THEN 'reclaimed' ELSE 'released' END, 'rep' || (1 + id % 200), 'bench'
  FROM leads WHERE id % 5 = 1 AND id % 7 = 0;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
INSERT INTO rounds (started_at, finished_at, clock, actor, status, considered, assigned, unrouted, no_capacity, skipped, summary)
SELECT 1764504000 - i * 3600, 1764504000 - i * 3600, 1764504000 - i * 3600, 'admin', 'complete', 1000, 800, 150, 50, 0,
       '{"rules":[{"rule":"emea-top","matched":500,"assigned":450,"no_capacity":50}],"reps":[{"handle":"rep1","before":3,"given":2,"after":5,"capacity":50},{"handle":"rep2","before":1,"given":4,"after":5,"capacity":50}],"fairness":{"spread":0.12,"stddev":0.04}}'
FROM n;
COMMIT;
SQL
  echo "rules apply (scores 1M leads):"
  /usr/bin/time -f "%es" "$bin" rules apply examples/rules.yaml >/dev/null 2>&1
fi
for section in pool reps conversion aging rounds; do
  /usr/bin/time -f "$section: %es %MKB" "$bin" report "$section" >/dev/null
done
/usr/bin/time -f "all sections, table: %es" "$bin" report >/dev/null
/usr/bin/time -f "all sections, html: %es" "$bin" report --format html -o /tmp/leadpool-report-1m.html
