-- Twin of postgresql/0009_database_enforced_rights.sql, which makes PostgreSQL enforce who may
-- read and write what: row-level security, column privileges on contact fields, and events
-- written only through checked functions. SQLite has no roles or row-level security: on a
-- shared host the database file's permissions are the trust boundary, so there is nothing
-- here to change. This migration changes nothing; it keeps the two stores' versions in step.
SELECT 1;
