-- Who wrote each event and when, and handles that cannot be mistaken for one another.
--
-- * `at` is the effective time (the --now clock) and `actor` the rep acted as; neither says
--   when the row was written or by whom, so a rep moving the clock could not be told from an
--   admin's backfill. Every event now also keeps:
--   - recorded_at: the wall clock (UTC seconds) when it was written;
--   - recorded_by: the OS login of the process that wrote it (an admin acting as a rep with
--     --as shows here, the rep in `actor`).
--   Both are NULL on events written before this migration: nobody knows. Added without a
--   default or CHECK, the columns change the schema only, whatever the table's size.
-- * Handles are login names and unique regardless of case: `Alice` cannot join `alice`.
--   Lookups stay exact (an OS login `Alice` is another account than `alice`).
-- * `system` is the actor of reclaims, in any case: no rep may have that handle.
--
-- `leadpool migrate` refuses (and names the reps) before running this file when the
-- database holds two handles differing only by case, or a rep called `system`.

ALTER TABLE events ADD COLUMN recorded_at INTEGER;
ALTER TABLE events ADD COLUMN recorded_by TEXT;

CREATE UNIQUE INDEX reps_handle_nocase ON reps(handle COLLATE NOCASE);

CREATE TRIGGER reps_handle_reserved_insert BEFORE INSERT ON reps
WHEN NEW.handle = 'system' COLLATE NOCASE
BEGIN SELECT RAISE(ABORT, 'the handle system is reserved for reclaims'); END;
CREATE TRIGGER reps_handle_reserved_update BEFORE UPDATE OF handle ON reps
WHEN NEW.handle = 'system' COLLATE NOCASE
BEGIN SELECT RAISE(ABORT, 'the handle system is reserved for reclaims'); END;
