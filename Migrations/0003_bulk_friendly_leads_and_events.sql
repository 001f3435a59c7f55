-- Cheaper row checks and a droppable external_id index, for imports of a million rows.
--
-- * `x IN ('a', 'b', …)` in a CHECK builds a small lookup table for every row written: it
--   was a third of the cost of writing an event (1.2 s per million) and 10% of a lead's.
--   The same checks written as `=`/`OR` cost nothing measurable.
-- * `external_id TEXT UNIQUE` becomes a named partial unique index, so a large import can
--   drop the dedup indexes inside its transaction and build them again once, sorted, at the
--   end (much cheaper than a million random inserts into each).
--
-- SQLite cannot change a table's constraints in place, so both tables are rebuilt the
-- documented way (https://sqlite.org/lang_altertable.html#otheralter): the migrator runs this
-- with foreign keys off and runs `PRAGMA foreign_key_check` before it commits.

CREATE TABLE leads_new (
    id               INTEGER PRIMARY KEY,
    external_id      TEXT,           -- unique when present: index leads_external_id
    company          TEXT NOT NULL CHECK (company <> ''),
    first_name       TEXT,
    last_name        TEXT,
    title            TEXT,
    email            TEXT,
    email_norm       TEXT,           -- lower-cased, trimmed: the dedup key
    phone            TEXT,
    website          TEXT,
    domain           TEXT,           -- lower-case host without www.
    country          TEXT,
    region           TEXT,
    city             TEXT,
    industry         TEXT,
    employees        INTEGER CHECK (employees IS NULL OR employees >= 0),
    revenue          REAL,
    source           TEXT,
    status           TEXT NOT NULL DEFAULT 'open'
                     CHECK (status = 'open' OR status = 'qualified' OR status = 'converted' OR status = 'disqualified'),
    score            INTEGER NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    tier             TEXT,
    owner            TEXT REFERENCES reps(handle) ON UPDATE CASCADE,
    created_at       INTEGER NOT NULL,
    claimed_at       INTEGER,
    last_activity_at INTEGER,
    previous_owner   TEXT REFERENCES reps(handle) ON UPDATE CASCADE,  -- cooldown: who lost it last
    released_at      INTEGER,                                         -- and when
    attrs            TEXT CHECK (attrs IS NULL OR json_valid(attrs)), -- {"name": "value"} for attr.NAME
    CHECK ((owner IS NULL) = (claimed_at IS NULL)),
    CHECK ((previous_owner IS NULL) = (released_at IS NULL))
);
INSERT INTO leads_new SELECT * FROM leads;
DROP TABLE leads;
ALTER TABLE leads_new RENAME TO leads;
CREATE UNIQUE INDEX leads_external_id ON leads(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX leads_email_norm ON leads(email_norm) WHERE email_norm IS NOT NULL;
CREATE INDEX leads_domain ON leads(domain) WHERE domain IS NOT NULL;
CREATE INDEX leads_pool ON leads(score DESC, created_at, id) WHERE owner IS NULL AND status = 'open';
CREATE INDEX leads_owner ON leads(owner, status) WHERE owner IS NOT NULL;

CREATE TABLE events_new (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL REFERENCES leads(id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,             -- a rep handle, or 'system'
    kind       TEXT NOT NULL CHECK (
                   kind = 'imported' OR kind = 'created' OR kind = 'updated' OR kind = 'tagged'
                   OR kind = 'untagged' OR kind = 'assigned' OR kind = 'claimed' OR kind = 'released'
                   OR kind = 'transferred' OR kind = 'reclaimed' OR kind = 'touched' OR kind = 'qualified'
                   OR kind = 'converted' OR kind = 'disqualified'),
    from_owner TEXT,
    to_owner   TEXT,
    round_id   INTEGER REFERENCES rounds(id),
    rule       TEXT,
    reason     TEXT,
    detail     TEXT CHECK (detail IS NULL OR json_valid(detail))
);
INSERT INTO events_new SELECT * FROM events;
DROP TABLE events;  -- its triggers go with it
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_lead ON events(lead_id, id);
CREATE INDEX events_claims ON events(to_owner, at) WHERE kind = 'claimed';
CREATE INDEX events_round ON events(round_id) WHERE round_id IS NOT NULL;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
