-- Twin of ../0003: `external_id TEXT UNIQUE` becomes a named partial unique index, so a large
-- import can drop the dedup indexes inside its transaction and build them again once at the
-- end. PostgreSQL changes the constraint in place; the `IN (…)` checks SQLite rewrote for
-- speed cost nothing here and stay as they are.
ALTER TABLE leads DROP CONSTRAINT leads_external_id_key;
CREATE UNIQUE INDEX leads_external_id ON leads(external_id) WHERE external_id IS NOT NULL;
