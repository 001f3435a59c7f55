#!/usr/bin/env bash
# Times an assignment round and a reclaim on a generated database (default 1,000,000 leads,
# 1,000 reps) with the release binary, next to the raw-SQLite floor for the same writes
# (scripts/speed-floor.c: the same conditional UPDATE + INSERT event per lead, prepared
# statements, ONE transaction), and the latency of `claim --next` run while each goes.
# By hand, not in CI. Build first: swift build -c release --product leadpool.
#
#   scripts/speed-check.sh                  # LEADS=1000000 REPS=1000 RUNS=1 CLAIMS=40 DIR=/tmp/leadpool-speed
set -euo pipefail
cd "$(dirname "$0")/.."
leads="${LEADS:-1000000}" reps="${REPS:-1000}" runs="${RUNS:-1}" claims="${CLAIMS:-40}"
dir="${DIR:-/tmp/leadpool-speed}/$leads"
bin="${LEADPOOL_BIN:-$PWD/.build/release/leadpool}"
mkdir -p "$dir"
floor="$dir/speed-floor"
[ "$floor" -nt scripts/speed-floor.c ] || gcc -O2 -o "$floor" scripts/speed-floor.c -lsqlite3
T0=2026-03-02T09:00:00Z; T0s=$(date -d "$T0" +%s)
T1=2026-03-20T09:00:00Z; T1s=$(date -d "$T1" +%s)
base="$dir/base.db"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

if [ ! -f "$base" ]; then
  echo "building $base ($leads leads, $reps reps)…"
  "$bin" --db "$base.tmp" init >/dev/null
  cat > "$dir/rules.yaml" <<'YAML'
defaults: { capacity: 50, daily-limit: 100000 }
rules:
  - { name: emea, when: 'country in ("DE", "FR", "GB")', to: team:emea, strategy: weighted }
  - { name: na, when: 'country in ("US", "CA")', to: team:na, strategy: least-loaded }
  - { name: rest, when: 'true', to: team:sdr, strategy: round-robin }
reclaim: { no-activity-days: 14, max-hold-days: 60, cooldown-days: 7, warn-days: 3 }
YAML
  # Teams sized to the countries' shares (30% / 20% / 50%), capacity 10% above an even share.
  per=$(( leads / reps * 11 / 10 + 1 ))
  sqlite3 "$base.tmp" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $reps)
INSERT INTO reps (handle, name, team, capacity, weight, created_at)
SELECT 'rep' || i, 'Rep ' || i,
       CASE WHEN i % 10 < 3 THEN 'emea' WHEN i % 10 < 5 THEN 'na' ELSE 'sdr' END, $per, 1 + i % 3, 1700000000 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $leads)
INSERT INTO leads (id, company, email, email_norm, domain, country, industry, employees, source, score, created_at)
SELECT i, 'Company ' || i, 'c' || i || '@co' || i || '.com', 'c' || i || '@co' || i || '.com', 'co' || i || '.com',
       json_extract('["DE","FR","US","GB","AT","CA","JP","NL","ES","AU"]', '\$[' || (i % 10) || ']'),
       json_extract('["Software","Fintech","Retail","Manufacturing","Health"]', '\$[' || (i % 5) || ']'),
       (i * 37) % 20000, 'website', 0, $T0s - 86400 - (i * 7919) % 2592000 FROM n;
INSERT INTO events (lead_id, at, actor, kind) SELECT id, created_at, 'admin', 'imported' FROM leads;
COMMIT;
SQL
  # The capacity per rep plus a weighted scheme that spreads leads evenly enough.
  sed -i "s/capacity: 50/capacity: $per/" "$dir/rules.yaml"
  "$bin" --db "$base.tmp" --now "$T0" rules apply "$dir/rules.yaml" >/dev/null
  mv "$base.tmp" "$base"
fi

# Runs CLAIMS `claim --next -n 1` one after another (as different reps) while PID runs; prints
# each claim's wall seconds.
probe() {
  local pid=$1 out=$2 i=0 t
  : > "$out"
  while kill -0 "$pid" 2>/dev/null && [ $i -lt "$claims" ]; do
    i=$((i + 1))
    t=$(now)
    "$bin" --db "$3" --now "$4" --as "rep$(( (i * 7) % reps + 1 ))" --json claim --next -n 1 >/dev/null 2>>"$out.err" || echo "claim exit $?" >>"$out.err"
    secs "$t" "$(now)" >> "$out"; echo >> "$out"
    sleep 0.15
  done
}
stats() { # p50 p90 max n of a file of numbers
  sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "no claims"; exit }
    printf "p50 %.3f s, p90 %.3f s, max %.3f s over %d claims", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.999)], v[NR], NR }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Waits until SQL (on DB) returns a row, or PID ends.
wait_for() { while kill -0 "$1" 2>/dev/null && [ -z "$(sqlite3 "$2" "$3" 2>/dev/null)" ]; do sleep 0.05; done; }

: > "$dir/results"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
idle="$dir/idle.db"; cp "$base" "$idle"
: > "$dir/claims-idle"
for i in 1 2 3 4 5 6 7 8 9 10; do t=$(now); "$bin" --db "$idle" --now "$T0" --as "rep$i" --json claim --next -n 1 >/dev/null; secs "$t" "$(now)" >> "$dir/claims-idle"; echo >> "$dir/claims-idle"; done
echo "claim --next on an idle database: $(stats "$dir/claims-idle")"

for run in $(seq "$runs"); do
  # --- round ---
  rm -f "$dir"/r.db* "$dir"/f.db*
  cp "$base" "$dir/r.db"; cp "$base" "$dir/f.db"
  sync
  t=$(now)
  /usr/bin/time -f "%e %M" -o "$dir/round.time" "$bin" --db "$dir/r.db" --now "$T0" assign >/dev/null &
  pid=$!
  wait_for $pid "$dir/r.db" "SELECT 1 FROM events WHERE kind = 'assigned' LIMIT 1"
  tw=$(now)
  probe $pid "$dir/claims-round" "$dir/r.db" "$T0" &
  ppid=$!
  wait $pid; te=$(now); wait $ppid
  round=$(secs "$t" "$te"); write=$(secs "$tw" "$te"); rss=$(awk '{ printf "%d", $2 / 1024 }' "$dir/round.time")
  assigned=$(sqlite3 "$dir/r.db" "SELECT count(*) FROM events WHERE kind = 'assigned'")
  sqlite3 -separator $'\t' "$dir/r.db" "SELECT lead_id, to_owner, rule, reason FROM events WHERE kind = 'assigned' ORDER BY lead_id" > "$dir/round.tsv"
  rid=$(sqlite3 "$dir/r.db" "SELECT max(id) FROM rounds")
  sqlite3 "$dir/f.db" "INSERT INTO rounds (id, started_at, clock, actor, status) VALUES ($rid, 0, 0, 'admin', 'incomplete')"
  sync
  rfloor=$("$floor" round "$dir/f.db" "$T0s" admin "$rid" < "$dir/round.tsv" 2>/dev/null)
  # --- reclaim ---
  rm -f "$dir"/c.db* "$dir"/g.db*
  sqlite3 "$dir/r.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  cp "$dir/r.db" "$dir/c.db"; cp "$dir/r.db" "$dir/g.db"
  sync
  t=$(now)
  /usr/bin/time -f "%e %M" -o "$dir/reclaim.time" "$bin" --db "$dir/c.db" --now "$T1" reclaim --quiet &
  pid=$!
  probe $pid "$dir/claims-reclaim" "$dir/c.db" "$T1" &
  ppid=$!
  wait $pid; te=$(now); wait $ppid
  reclaim=$(secs "$t" "$te"); crss=$(awk '{ printf "%d", $2 / 1024 }' "$dir/reclaim.time")
  reclaimed=$(sqlite3 "$dir/c.db" "SELECT count(*) FROM events WHERE kind = 'reclaimed'")
  # The pre-reclaim state (owner, claimed_at) comes from r.db; reason and detail from the run.
  sqlite3 -separator $'\t' "$dir/r.db" "ATTACH '$dir/c.db' AS c;
    SELECT l.id, l.owner, l.claimed_at, e.reason, e.detail FROM leads l JOIN c.events e ON e.lead_id = l.id AND e.kind = 'reclaimed' ORDER BY l.id" > "$dir/reclaim.tsv"
  cfloor=$("$floor" reclaim "$dir/g.db" "$T1s" < "$dir/reclaim.tsv" 2>/dev/null)
  echo "run $run (load $(cut -d' ' -f1-3 /proc/loadavg)):"
  echo "  round:   $round s (writing $write s) for $assigned assignments, peak RSS $rss MiB; floor $rfloor s; ratio $(awk -v a="$round" -v b="$rfloor" 'BEGIN { printf "%.2f", a / b }') (writing $(awk -v a="$write" -v b="$rfloor" 'BEGIN { printf "%.2f", a / b }'))"
  echo "           claims meanwhile: $(stats "$dir/claims-round")"
  echo "  reclaim: $reclaim s for $reclaimed leads, peak RSS $crss MiB; floor $cfloor s; ratio $(awk -v a="$reclaim" -v b="$cfloor" 'BEGIN { printf "%.2f", a / b }')"
  echo "           claims meanwhile: $(stats "$dir/claims-reclaim")"
  [ -s "$dir/claims-round.err" ] && { echo "  claim errors (round):"; sort "$dir/claims-round.err" | uniq -c | head -5; }
  [ -s "$dir/claims-reclaim.err" ] && { echo "  claim errors (reclaim):"; sort "$dir/claims-reclaim.err" | uniq -c | head -5; }
  echo "$round $write $rfloor $reclaim $cfloor" >> "$dir/results"
done
col() { cut -d' ' -f"$1" "$dir/results" | median; }
echo "medians of $runs run(s): round $(col 1) s (writing $(col 2) s), floor $(col 3) s: $(awk -v a="$(col 1)" -v w="$(col 2)" -v b="$(col 3)" 'BEGIN { printf "%.2fx (writing %.2fx)", a / b, w / b }');" \
  "reclaim $(col 4) s, floor $(col 5) s: $(awk -v a="$(col 4)" -v b="$(col 5)" 'BEGIN { printf "%.2fx", a / b }')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
