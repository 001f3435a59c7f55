-- Twin of ../0005: a new event kind, `reopened`, written when an admin brings a converted or
-- disqualified lead back to open (`leadpool reopen`). PostgreSQL swaps the CHECK in place.
ALTER TABLE events DROP CONSTRAINT events_kind;
ALTER TABLE events ADD CONSTRAINT events_kind CHECK (kind IN (
    'imported', 'created', 'updated', 'tagged', 'untagged',
    'assigned', 'claimed', 'released', 'transferred', 'reclaimed',
    'touched', 'qualified', 'converted', 'disqualified', 'reopened'));
