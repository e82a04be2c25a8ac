-- Actions and the trust ladder (DESIGN.md "Governance"). A granted action tool runs by its trust level:
-- SHADOW (proposed, never runs), SUPERVISED (runs after a person approves that exact call), AUDITED (runs,
-- then lands in a review list), BOUNDED (runs within limits: calls per day, argument constraints).

-- Shadow proposals and Supervised approval requests. A request is bound to the exact arguments the model
-- sent (the text, byte for byte, and its SHA-256, checked again before it runs); a different call is a new
-- request. status: PROPOSED (Shadow; never runs), PENDING, then APPROVED while it runs and EXECUTED or
-- FAILED after, or REJECTED, or EXPIRED (a PENDING request past expires_at counts as expired even before a
-- decision attempt writes it). The requester's and decider's emails are copied: the record outlives accounts.
create table approval_requests (
    id                  uuid primary key,
    trust_level         text not null check (trust_level in ('SHADOW', 'SUPERVISED')),
    status              text not null check (status in ('PROPOSED', 'PENDING', 'APPROVED', 'EXECUTED', 'FAILED',
                                                        'REJECTED', 'EXPIRED')),
    requester_id        uuid not null references users (id) on delete cascade,
    requester_email     text not null,
    approver_rule       text check (approver_rule in ('REQUESTER', 'OTHER_PERSON', 'ADMIN')),
    connector_name      text not null,
    tool_name           text not null,
    call_id             text,
    arguments_json      text not null,
    arguments_sha256    text not null,
    conversation_id     text,
    created_at          timestamptz not null,
    expires_at          timestamptz not null,
    decided_by          uuid references users (id) on delete set null,
    decided_by_email    text,
    decided_at          timestamptz,
    decision_comment    text,
    outcome             text,
    outcome_error       boolean,
    finished_at         timestamptz,
    check ((trust_level = 'SHADOW') = (status = 'PROPOSED')),
    check ((trust_level = 'SUPERVISED') = (approver_rule is not null))
);
create index approval_requests_requester on approval_requests (requester_id, created_at desc);
create index approval_requests_conversation on approval_requests (conversation_id) where conversation_id is not null;
create index approval_requests_pending on approval_requests (created_at) where status = 'PENDING';

-- Audited actions that ran, for admins to review afterwards.
create table action_reviews (
    id                  uuid primary key,
    user_id             uuid references users (id) on delete set null,
    user_email          text not null,
    connector_name      text not null,
    tool_name           text not null,
    arguments_json      text not null,
    outcome             text not null,
    outcome_error       boolean not null,
    ran_at              timestamptz not null,
    reviewed_by         uuid references users (id) on delete set null,
    reviewed_by_email   text,
    reviewed_at         timestamptz,
    review_note         text
);
create index action_reviews_open on action_reviews (ran_at desc) where reviewed_at is null;

-- Calls per person, action tool and day, counted when a call is let run without a person deciding (Bounded,
-- Audited). day is the calendar day in the installation's time zone (GATEHOUSE_ACTION_DAY_ZONE, UTC unless
-- set). A call takes its slot with one conditional update, so two concurrent calls cannot both take the last.
create table action_call_counts (
    user_id             uuid not null references users (id) on delete cascade,
    connector_name      text not null,
    tool_name           text not null,
    day                 date not null,
    calls               integer not null check (calls >= 0),
    primary key (user_id, connector_name, tool_name, day)
);
