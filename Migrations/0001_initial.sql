-- leadpool schema, version 1.
-- Times are INTEGER seconds since 1970-01-01 UTC: compact, fast to compare over a
-- million rows, and turned into ISO-8601 only at the edges.

-- Sales reps. The handle is the login-like name used everywhere else.
CREATE TABLE reps (
    handle      TEXT PRIMARY KEY NOT NULL
                CHECK (length(handle) BETWEEN 1 AND 64 AND handle NOT GLOB '*[^A-Za-z0-9._-]*'),
    name        TEXT NOT NULL CHECK (name <> ''),
    email       TEXT,
    team        TEXT,
    role        TEXT NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'admin')),
    capacity    INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    daily_limit INTEGER CHECK (daily_limit IS NULL OR daily_limit >= 0),
    weight      INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 1),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    away_from   INTEGER,
    away_until  INTEGER,
    created_at  INTEGER NOT NULL,
    CHECK (away_from IS NULL OR away_until IS NULL OR away_from < away_until)
) WITHOUT ROWID;
CREATE INDEX reps_team ON reps(team);

-- Country or region codes a rep covers (upper-case).
CREATE TABLE rep_territories (
    rep  TEXT NOT NULL REFERENCES reps(handle) ON UPDATE CASCADE ON DELETE CASCADE,
    code TEXT NOT NULL CHECK (code <> '' AND code = upper(code)),
    PRIMARY KEY (rep, code)
) WITHOUT ROWID;

-- Stored rules files; the highest version is the current one.
CREATE TABLE rulesets (
    version    INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL,
    applied_by TEXT NOT NULL,
    file_name  TEXT,
    source     TEXT NOT NULL
);

-- Leads. owner NULL + status 'open' = in the pool.
CREATE TABLE leads (
    id               INTEGER PRIMARY KEY,
    external_id      TEXT UNIQUE,
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
                     CHECK (status IN ('open', 'qualified', 'converted', 'disqualified')),
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
CREATE INDEX leads_email_norm ON leads(email_norm) WHERE email_norm IS NOT NULL;
CREATE INDEX leads_domain ON leads(domain) WHERE domain IS NOT NULL;
CREATE INDEX leads_pool ON leads(score DESC, created_at, id) WHERE owner IS NULL AND status = 'open';
CREATE INDEX leads_owner ON leads(owner, status) WHERE owner IS NOT NULL;

-- Tags: a set per lead, compared case-insensitively.
CREATE TABLE lead_tags (
    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL COLLATE NOCASE CHECK (tag <> ''),
    PRIMARY KEY (lead_id, tag)
) WITHOUT ROWID;
CREATE INDEX lead_tags_tag ON lead_tags(tag, lead_id);

-- Assignment rounds.
CREATE TABLE rounds (
    id              INTEGER PRIMARY KEY,
    started_at      INTEGER NOT NULL,     -- wall clock
    finished_at     INTEGER,
    clock           INTEGER NOT NULL,     -- the --now the round ran at
    actor           TEXT NOT NULL,
    ruleset_version INTEGER REFERENCES rulesets(version),
    status          TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'complete', 'incomplete')),
    filter          TEXT,                 -- the --where/--segment/--rule/--limit given
    considered      INTEGER NOT NULL DEFAULT 0,
    assigned        INTEGER NOT NULL DEFAULT 0,
    unrouted        INTEGER NOT NULL DEFAULT 0,
    no_capacity     INTEGER NOT NULL DEFAULT 0,
    skipped         INTEGER NOT NULL DEFAULT 0,  -- claimed by someone while the round ran
    summary         TEXT CHECK (summary IS NULL OR json_valid(summary))
);

-- The append-only history: one row per thing that happened to a lead.
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    lead_id    INTEGER NOT NULL REFERENCES leads(id),
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,             -- a rep handle, or 'system'
    kind       TEXT NOT NULL CHECK (kind IN (
                   'imported', 'created', 'updated', 'tagged', 'untagged',
                   'assigned', 'claimed', 'released', 'transferred', 'reclaimed',
                   'touched', 'qualified', 'converted', 'disqualified')),
    from_owner TEXT,
    to_owner   TEXT,
    round_id   INTEGER REFERENCES rounds(id),
    rule       TEXT,
    reason     TEXT,
    detail     TEXT CHECK (detail IS NULL OR json_valid(detail))
);
CREATE INDEX events_lead ON events(lead_id, id);
CREATE INDEX events_claims ON events(to_owner, at) WHERE kind = 'claimed';
CREATE INDEX events_round ON events(round_id) WHERE round_id IS NOT NULL;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Where each rule's strategy left off, so positions persist across rounds.
-- round-robin: the last rep the rule gave a lead to.
CREATE TABLE round_robin_positions (
    rule     TEXT PRIMARY KEY NOT NULL,
    last_rep TEXT NOT NULL
) WITHOUT ROWID;
-- weighted: each rep's running total under the rule (smooth weighted round-robin).
CREATE TABLE weighted_totals (
    rule  TEXT NOT NULL,
    rep   TEXT NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (rule, rep)
) WITHOUT ROWID;
