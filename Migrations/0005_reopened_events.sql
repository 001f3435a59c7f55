-- A new event kind: `reopened`, written when an admin brings a converted or disqualified lead
-- back to open (`leadpool reopen`), in the pool or with a rep.
--
-- SQLite cannot change a CHECK in place, so the events table is rebuilt the documented way
-- (https://sqlite.org/lang_altertable.html#otheralter), as 0003 did: the same columns in the
-- same order (with 0004's recorded_at and recorded_by), every row copied, and the same
-- indexes and append-only triggers made again. The migrator runs this with foreign keys off
-- and runs `PRAGMA foreign_key_check` before it commits.

CREATE TABLE events_new (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL REFERENCES leads(id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,             -- a rep handle, or 'system'
    kind       TEXT NOT NULL CHECK (
                   kind = 'imported' OR kind = 'created' OR kind = 'updated' OR kind = 'tagged'
                   OR kind = 'untagged' OR kind = 'assigned' OR kind = 'claimed' OR kind = 'released'
                   OR kind = 'transferred' OR kind = 'reclaimed' OR kind = 'touched' OR kind = 'qualified'
                   OR kind = 'converted' OR kind = 'disqualified' OR kind = 'reopened'),
    from_owner TEXT,
    to_owner   TEXT,
    round_id   INTEGER REFERENCES rounds(id),
    rule       TEXT,
    reason     TEXT,
    detail     TEXT CHECK (detail IS NULL OR json_valid(detail)),
    recorded_at INTEGER,                  -- the wall clock when written (NULL before 0004)
    recorded_by TEXT                      -- the OS login that wrote it (NULL before 0004)
);
INSERT INTO events_new SELECT * FROM events;
DROP TABLE events;  -- its indexes and triggers go with it
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_lead ON events(lead_id, id);
CREATE INDEX events_claims ON events(to_owner, at) WHERE kind = 'claimed';
CREATE INDEX events_round ON events(round_id) WHERE round_id IS NOT NULL;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
