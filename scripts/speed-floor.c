/* The raw-SQLite floor for scripts/speed-check.sh: the same conditional UPDATE + INSERT
 * event per lead as `leadpool assign` / `leadpool reclaim`, with prepared statements, in ONE
 * transaction, WAL + synchronous=NORMAL + a 64 MB page cache, rows in the order given.
 *
 *   speed-floor round   DB NOW ACTOR ROUND_ID < lead\trep\trule\treason
 *   speed-floor reclaim DB NOW             < lead\towner\tclaimed_at\treason\tdetail
 *
 * Prints the wall seconds from open to close (close checkpoints the WAL, as the app's does).
 * For experiments: BATCH=N commits every N rows (default: one transaction), CKPT=N sets
 * wal_autocheckpoint.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) { fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db)); exit(1); }
}
static char *field(char **cursor) {
    char *start = *cursor, *tab = strchr(start, '\t');
    if (tab) { *tab = 0; *cursor = tab + 1; } else { char *nl = strchr(start, '\n'); if (nl) *nl = 0; *cursor = start + strlen(start); }
    return start;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage\n"); return 64; }
    int round = strcmp(argv[1], "round") == 0;
    long long now = atoll(argv[3]);
    /* Read the input first: parsing is not SQLite's work. */
    size_t cap = 1 << 20, n = 0; char **lines = malloc(cap * sizeof *lines);
    char *line = NULL; size_t len = 0;
    while (getline(&line, &len, stdin) > 0) { if (n == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines); lines[n++] = strdup(line); }
    double t0 = now_s();
    sqlite3 *db; check(sqlite3_open(argv[2], &db), db, "open");
    sqlite3_busy_timeout(db, 10000);
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536", 0, 0, 0), db, "pragma");
    sqlite3_stmt *up, *ins;
    if (round) {
        check(sqlite3_prepare_v2(db, "UPDATE leads SET owner = ?, claimed_at = ? WHERE id = ? AND owner IS NULL AND status = 'open'", -1, &up, 0), db, "prep");
        check(sqlite3_prepare_v2(db, "INSERT INTO events (lead_id, at, actor, kind, to_owner, round_id, rule, reason) VALUES (?, ?, ?, 'assigned', ?, ?, ?, ?)", -1, &ins, 0), db, "prep");
    } else {
        check(sqlite3_prepare_v2(db, "UPDATE leads SET owner = NULL, claimed_at = NULL, status = 'open', previous_owner = owner, released_at = ? "
            "WHERE id = ? AND owner = ? AND claimed_at = ? AND last_activity_at IS ? AND status IN ('open', 'qualified')", -1, &up, 0), db, "prep");
        check(sqlite3_prepare_v2(db, "INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &ins, 0), db, "prep");
    }
    long batch = getenv("BATCH") ? atol(getenv("BATCH")) : 0;
    if (getenv("CKPT")) { char sql[64]; snprintf(sql, sizeof sql, "PRAGMA wal_autocheckpoint=%s", getenv("CKPT")); check(sqlite3_exec(db, sql, 0, 0, 0), db, "ckpt"); }
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
    long long round_id = round ? atoll(argv[5]) : 0; const char *actor = round ? argv[4] : "system";
    long written = 0;
    for (size_t i = 0; i < n; i++) {
        char *c = lines[i];
        if (batch && i && i % batch == 0) { check(sqlite3_exec(db, "COMMIT; BEGIN IMMEDIATE", 0, 0, 0), db, "batch"); }
        if (round) {
            char *lead = field(&c), *rep = field(&c), *rule = field(&c), *reason = field(&c);
            sqlite3_bind_text(up, 1, rep, -1, SQLITE_TRANSIENT); sqlite3_bind_int64(up, 2, now); sqlite3_bind_int64(up, 3, atoll(lead));
            check(sqlite3_step(up), db, "update"); sqlite3_reset(up);
            if (sqlite3_changes(db) != 1) continue;
            sqlite3_bind_int64(ins, 1, atoll(lead)); sqlite3_bind_int64(ins, 2, now); sqlite3_bind_text(ins, 3, actor, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins, 4, rep, -1, SQLITE_TRANSIENT); sqlite3_bind_int64(ins, 5, round_id);
            sqlite3_bind_text(ins, 6, rule, -1, SQLITE_TRANSIENT); sqlite3_bind_text(ins, 7, reason, -1, SQLITE_TRANSIENT);
        } else {
            char *lead = field(&c), *owner = field(&c), *claimed = field(&c), *reason = field(&c), *detail = field(&c);
            sqlite3_bind_int64(up, 1, now); sqlite3_bind_int64(up, 2, atoll(lead)); sqlite3_bind_text(up, 3, owner, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(up, 4, atoll(claimed)); sqlite3_bind_null(up, 5);
            check(sqlite3_step(up), db, "update"); sqlite3_reset(up);
            if (sqlite3_changes(db) != 1) continue;
            sqlite3_bind_int64(ins, 1, atoll(lead)); sqlite3_bind_int64(ins, 2, now); sqlite3_bind_text(ins, 3, "system", -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 4, "reclaimed", -1, SQLITE_STATIC); sqlite3_bind_text(ins, 5, owner, -1, SQLITE_TRANSIENT);
            sqlite3_bind_null(ins, 6); sqlite3_bind_null(ins, 7); sqlite3_bind_null(ins, 8);
            sqlite3_bind_text(ins, 9, reason, -1, SQLITE_TRANSIENT); sqlite3_bind_text(ins, 10, detail, -1, SQLITE_TRANSIENT);
        }
        check(sqlite3_step(ins), db, "insert"); sqlite3_reset(ins);
        written++;
    }
    check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
    sqlite3_finalize(up); sqlite3_finalize(ins);
    check(sqlite3_close(db), db, "close");
    double t1 = now_s();
    fprintf(stderr, "floor %s: %ld of %zu rows written\n", argv[1], written, n);
    printf("%.2f\n", t1 - t0);
    return 0;
}
