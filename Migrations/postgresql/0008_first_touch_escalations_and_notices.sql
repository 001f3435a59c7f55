-- Twin of ../0008_first_touch_escalations_and_notices.sql: two new event kinds, `escalated`
-- (a missed first-touch deadline sent the lead to another rep or back to the pool) and
-- `first_touch_missed` (the same miss under `then: keep`), and `notices`, one row per digest
-- item sendmail accepted, so the next `notify` leaves it out. PostgreSQL swaps the events
-- CHECK in place.
ALTER TABLE events DROP CONSTRAINT events_kind;
ALTER TABLE events ADD CONSTRAINT events_kind CHECK (kind IN (
    'imported', 'created', 'updated', 'tagged', 'untagged',
    'assigned', 'claimed', 'released', 'transferred', 'reclaimed',
    'touched', 'qualified', 'converted', 'disqualified', 'reopened', 'moved',
    'escalated', 'first_touch_missed'));

CREATE TABLE notices (
    rep     TEXT NOT NULL,
    item    TEXT NOT NULL,
    sent_at BIGINT NOT NULL,              -- the `--now` clock of the run that mailed it
    PRIMARY KEY (rep, item)
);
