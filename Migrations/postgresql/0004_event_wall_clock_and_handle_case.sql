-- Twin of ../0004: who wrote each event and when, and handles that cannot be mistaken for
-- one another.
--
-- * recorded_at: the wall clock (UTC seconds) when the event was written; recorded_by: the
--   login that wrote it (on PostgreSQL, the session's database role). NULL before this.
-- * Handles are unique regardless of case: `Alice` cannot join `alice`. Lookups stay exact.
-- * `system` is the actor of reclaims, in any case: no rep may have that handle.
ALTER TABLE events ADD COLUMN recorded_at BIGINT;
ALTER TABLE events ADD COLUMN recorded_by TEXT;

CREATE UNIQUE INDEX reps_handle_nocase ON reps(lower(handle));
ALTER TABLE reps ADD CONSTRAINT reps_handle_reserved CHECK (lower(handle) <> 'system');
