-- Several pools (公海): every lead belongs to exactly one named pool, `main` unless placed
-- elsewhere, so every lead of an existing database is in `main`.
--
-- leads.pool: the pool's name (as the rules file's `pools:` names it). No index of its own:
--   the pool index (leads_pool: open unowned leads, best first) serves a pool's listing and
--   claims too, and a second one would slow each import and re-score.
-- leads.moved_at: when the lead last moved into its pool from another; with created_at and
--   released_at it tells when the lead entered its pool, which a pool's `claimable-after` counts from.
-- rulesets.pools: how many pools the file lists, so a claim parses the file for its pools
--   only when there are some.
-- events: a new kind `moved` (`lead move`, a round's `to: pool:P` rule), its detail naming the
--   pools `{"from": "east", "to": "west"}`. The table is rebuilt as 0005 did (the same columns
--   in the same order, every row copied, the same indexes and append-only triggers).
ALTER TABLE leads ADD COLUMN pool TEXT NOT NULL DEFAULT 'main' CHECK (length(pool) BETWEEN 1 AND 64);
ALTER TABLE leads ADD COLUMN moved_at INTEGER;
ALTER TABLE rulesets ADD COLUMN pools INTEGER NOT NULL DEFAULT 0 CHECK (pools >= 0);

CREATE TABLE events_new (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL REFERENCES leads(id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,             -- a rep handle, or 'system'
    kind       TEXT NOT NULL CHECK (
                   kind = 'imported' OR kind = 'created' OR kind = 'updated' OR kind = 'tagged'
                   OR kind = 'untagged' OR kind = 'assigned' OR kind = 'claimed' OR kind = 'released'
                   OR kind = 'transferred' OR kind = 'reclaimed' OR kind = 'touched' OR kind = 'qualified'
                   OR kind = 'converted' OR kind = 'disqualified' OR kind = 'reopened' OR kind = 'moved'),
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
