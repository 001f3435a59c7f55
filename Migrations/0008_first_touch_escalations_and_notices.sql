-- Speed to lead: two new event kinds and what `notify` has mailed.
--
-- `escalated`: a lead given to a rep and not touched within the rules file's first-touch
-- deadline went to another rep (`then: reassign`) or back to the pool (`then: pool`); the
-- event's from_owner is the rep who missed it, to_owner the new owner (NULL: the pool).
-- `first_touch_missed`: the same miss under `then: keep`: the lead stays, the miss is recorded
-- (from_owner is the owner, to_owner NULL); it changes no ownership.
--
-- SQLite cannot change a CHECK in place, so the events table is rebuilt the documented way
-- (https://sqlite.org/lang_altertable.html#otheralter), as 0005 and 0007 did: the same columns in the
-- same order, every row copied, and the same indexes and append-only triggers made again.
--
-- notices: one row per item of a digest mail that sendmail accepted, so the next `notify`
-- leaves it out: `given:EVENT` (a lead given to the rep), `escalated:EVENT` (a lead taken from
-- the rep by an escalation), `reclaim:LEAD:CLAIMED:ACTIVITY` (a reclaim warning for one
-- ownership and activity), `first-touch-close:LEAD:CLAIMED` and `first-touch-missed:LEAD:CLAIMED`.

CREATE TABLE events_new (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL REFERENCES leads(id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,             -- a rep handle, or 'system'
    kind       TEXT NOT NULL CHECK (
                   kind = 'imported' OR kind = 'created' OR kind = 'updated' OR kind = 'tagged'
                   OR kind = 'untagged' OR kind = 'assigned' OR kind = 'claimed' OR kind = 'released'
                   OR kind = 'transferred' OR kind = 'reclaimed' OR kind = 'touched' OR kind = 'qualified'
                   OR kind = 'converted' OR kind = 'disqualified' OR kind = 'reopened' OR kind = 'moved'
                   OR kind = 'escalated' OR kind = 'first_touch_missed'),
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

CREATE TABLE notices (
    rep     TEXT NOT NULL,
    item    TEXT NOT NULL,
    sent_at INTEGER NOT NULL,             -- the `--now` clock of the run that mailed it
    PRIMARY KEY (rep, item)
) WITHOUT ROWID;
