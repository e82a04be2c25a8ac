-- Retention: how long chat history and model-call records are kept, and how long audit rows stay in the table
-- before they are archived to a file. One row; null means "keep forever", which is also the default, so nothing is
-- ever deleted until an administrator chooses a period. Audit rows are kept at least a year (RetentionSettings).
create table retention_settings (
    id                  smallint primary key check (id = 1),
    chat_days           integer check (chat_days between 1 and 36500),
    model_call_days     integer check (model_call_days between 1 and 36500),
    audit_days          integer check (audit_days between 365 and 36500),
    updated_by          uuid,
    updated_by_email    text,
    updated_at          timestamptz
);
insert into retention_settings (id) values (1);

-- Legal holds suspend purge and deletion of what they cover: all of a person's chat data and model-call records
-- (scope USER), or one conversation and its model-call records (scope CONVERSATION; user_id is its owner, so
-- "does anything hold this person's data" is one lookup). Released holds stay, as the record of who held what.
create table legal_holds (
    id                  uuid primary key,
    scope               text not null check (scope in ('USER', 'CONVERSATION')),
    user_id             uuid not null,
    conversation_id     text,
    reason              text not null,
    placed_by           uuid,
    placed_by_email     text not null,
    placed_at           timestamptz not null,
    released_by         uuid,
    released_by_email   text,
    released_at         timestamptz,
    release_reason      text,
    check ((scope = 'USER') = (conversation_id is null))
);
create unique index legal_holds_one_active on legal_holds (scope, user_id, coalesce(conversation_id, '')) where released_at is null;
create index legal_holds_user on legal_holds (user_id) where released_at is null;

-- One row per purge run. A nightly run claims its night (unique), so with several portal nodes only one of them
-- purges; an administrator's "run now" has no night.
create table retention_runs (
    id                  uuid primary key,
    trigger             text not null check (trigger in ('NIGHTLY', 'ADMIN')),
    night               date,
    started_at          timestamptz not null,
    finished_at         timestamptz,
    actor_email         text,
    chat_cutoff         timestamptz,
    model_call_cutoff   timestamptz,
    conversations       bigint not null default 0,
    messages            bigint not null default 0,
    model_calls         bigint not null default 0,
    error               text,
    unique (trigger, night)
);
create index retention_runs_started on retention_runs (started_at);
