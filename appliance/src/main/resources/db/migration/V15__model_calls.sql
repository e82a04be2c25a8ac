-- One row per model call (each tool round of a turn is a call), chat page or API. No foreign keys: records
-- outlive what they point at and are purged on their own retention schedule. request/output fingerprints are
-- SHA-256 of the exact bytes sent to and read from the provider (null when nothing was sent or read).
create table model_calls (
    id                  uuid primary key,
    started_at          timestamptz not null,
    user_id             uuid not null,
    user_email          text not null,
    conversation_id     text,
    channel             text not null check (channel in ('CHAT', 'API')),
    provider            text not null,
    model               text not null,
    input_tokens        integer not null,
    output_tokens       integer not null,
    usage_reported      boolean not null,
    cost                numeric(18, 8) not null,
    latency_ms          integer not null,
    outcome             text not null check (outcome in ('SUCCESS', 'FAILURE', 'STOPPED', 'NOT_SENT')),
    error               text,
    request_sha256      bytea,
    output_sha256       bytea,
    audit_seq           bigint
);
create index model_calls_time on model_calls (started_at);
create index model_calls_user on model_calls (user_id, started_at);
create index model_calls_model on model_calls (model, started_at);
create index model_calls_conversation on model_calls (conversation_id) where conversation_id is not null;
