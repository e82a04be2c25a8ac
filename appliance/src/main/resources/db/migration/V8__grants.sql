-- What a role grants: models, connector tools (reads, and actions with a trust level), a system prompt and a
-- default monthly token budget (enforced with the budgets issue). Deny by default: a role grants nothing
-- until an admin says so; the built-in roles start with sensible grants an admin can change.
alter table roles add column system_prompt text not null default '';
alter table roles add column monthly_token_budget bigint check (monthly_token_budget is null or monthly_token_budget >= 0);

-- '*' grants every model.
create table role_models (
    role_id         uuid not null references roles (id) on delete cascade,
    model_name      text not null,
    primary key (role_id, model_name)
);

-- One row per (role, connector, tool). READ rows may use '*' for the connector and/or the tool (every read
-- tool); ACTION rows always name one connector and one tool, with the trust level that decides how a call
-- runs: SHADOW (proposed, never runs), SUPERVISED (runs after a person approves that exact call), AUDITED
-- (runs, then lands in a review list), BOUNDED (runs within limits: calls per day, argument constraints).
create table role_tool_grants (
    id                  uuid primary key,
    role_id             uuid not null references roles (id) on delete cascade,
    connector_name      text not null,
    tool_name           text not null,
    access              text not null check (access in ('READ', 'ACTION')),
    trust_level         text check (trust_level in ('SHADOW', 'SUPERVISED', 'AUDITED', 'BOUNDED')),
    max_calls_per_day   integer check (max_calls_per_day is null or max_calls_per_day > 0),
    argument_limits     text,
    approver            text check (approver in ('REQUESTER', 'OTHER_PERSON', 'ADMIN')),
    unique (role_id, connector_name, tool_name),
    check ((access = 'READ' and trust_level is null) or (access = 'ACTION' and trust_level is not null
        and connector_name <> '*' and tool_name <> '*'))
);
create index role_tool_grants_role on role_tool_grants (role_id);

-- Built-in defaults: Admin, Manager and Analyst read every connector; Read-only chats without tools; all
-- four may use every model. No role may run an action until an admin grants it with a trust level.
insert into role_models (role_id, model_name) values
    ('00000000-0000-0000-0000-00000000a001', '*'),
    ('00000000-0000-0000-0000-00000000a002', '*'),
    ('00000000-0000-0000-0000-00000000a003', '*'),
    ('00000000-0000-0000-0000-00000000a004', '*');
insert into role_tool_grants (id, role_id, connector_name, tool_name, access) values
    ('00000000-0000-0000-0000-00000000b001', '00000000-0000-0000-0000-00000000a001', '*', '*', 'READ'),
    ('00000000-0000-0000-0000-00000000b002', '00000000-0000-0000-0000-00000000a002', '*', '*', 'READ'),
    ('00000000-0000-0000-0000-00000000b003', '00000000-0000-0000-0000-00000000a003', '*', '*', 'READ');
