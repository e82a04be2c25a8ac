-- Runs after every migration, as the owner: the application login (${app_role}, see DatabaseLogins) may read
-- and write the portal's tables, but the audit trail only grows: INSERT and SELECT, never UPDATE, DELETE or
-- TRUNCATE. Idempotent, so a renamed or new application login gets the same rights at the next start.
grant usage on schema public to "${app_role}";
grant select, insert, update, delete on all tables in schema public to "${app_role}";
grant usage, select on all sequences in schema public to "${app_role}";
-- Only what the grant above gave is revoked (revoking a privilege not held makes PostgreSQL warn at every start);
-- TRUNCATE, REFERENCES and TRIGGER are never granted to the application login.
revoke update, delete on audit_events, audit_archives from "${app_role}";
revoke insert on audit_archives from "${app_role}";
-- The migration history is the owner's: the application may read it, not rewrite it.
revoke insert, update, delete on flyway_schema_history from "${app_role}";
