-- The audit trail: append-only and tamper-evident.
--  * seq is gap-free and assigned by the writer under an advisory lock, so rows form one chain;
--  * hash = SHA-256(prev_hash || canonical encoding of the row) (AuditChain), so editing a row, removing one
--    or reordering them is found by the verifier at exactly that row;
--  * details is the JSON text exactly as hashed (not jsonb, which would normalise it);
--  * the application login has INSERT and SELECT only (afterMigrate.sql) and the trigger below refuses UPDATE,
--    DELETE and TRUNCATE for everyone, except deleting rows that an archival already exported (AuditArchival).
create table audit_events (
    seq             bigint primary key,
    occurred_at     timestamptz not null,
    actor_id        uuid,
    actor_email     text,
    action          text not null,
    outcome         text not null check (outcome in ('SUCCESS', 'DENIED', 'FAILURE')),
    target_type     text,
    target_id       text,
    connector       text,
    ip              text,
    user_agent      text,
    request_id      text,
    details         text not null,
    prev_hash       bytea not null,
    hash            bytea not null
);
create index audit_events_time on audit_events (occurred_at);
create index audit_events_actor on audit_events (actor_id, occurred_at);
create index audit_events_action on audit_events (action, occurred_at);
create index audit_events_connector on audit_events (connector, occurred_at) where connector is not null;

-- Each archival: rows up to last_seq were written to a file (its SHA-256 kept here) and then removed; the next
-- row's prev_hash must equal last_hash, so the chain stays verifiable from the anchor on.
create table audit_archives (
    id              uuid primary key,
    last_seq        bigint not null unique,
    last_hash       bytea not null,
    row_count       bigint not null,
    file_name       text not null,
    file_sha256     bytea not null,
    archived_at     timestamptz not null
);

create function audit_events_guard() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE'
       and current_setting('gatehouse.audit_archival', true) = 'on'
       and old.seq <= coalesce((select max(last_seq) from audit_archives), 0) then
        return old;
    end if;
    raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_events_no_update before update or delete on audit_events
    for each row execute function audit_events_guard();
create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_guard();

create function audit_archives_guard() returns trigger language plpgsql as $$
begin
    raise exception 'audit_archives is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_archives_append_only before update or delete on audit_archives
    for each row execute function audit_archives_guard();
create trigger audit_archives_no_truncate before truncate on audit_archives
    for each statement execute function audit_archives_guard();
