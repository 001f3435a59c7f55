-- Twin of ../0007_pools.sql: every lead belongs to one named pool, `main` unless placed
-- elsewhere; leads.moved_at says when it last moved into its pool; rulesets.pools counts the
-- file's pools; events gain the kind `moved`. PostgreSQL swaps the events CHECK in place.
ALTER TABLE leads ADD COLUMN pool TEXT NOT NULL DEFAULT 'main' CHECK (length(pool) BETWEEN 1 AND 64);
ALTER TABLE leads ADD COLUMN moved_at BIGINT;
ALTER TABLE rulesets ADD COLUMN pools INTEGER NOT NULL DEFAULT 0 CHECK (pools >= 0);
ALTER TABLE events DROP CONSTRAINT events_kind;
ALTER TABLE events ADD CONSTRAINT events_kind CHECK (kind IN (
    'imported', 'created', 'updated', 'tagged', 'untagged',
    'assigned', 'claimed', 'released', 'transferred', 'reclaimed',
    'touched', 'qualified', 'converted', 'disqualified', 'reopened', 'moved'));
