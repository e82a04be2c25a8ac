-- Guardrails (DESIGN.md request flow steps 6 and 7): what is removed from answers, per role, and what is
-- removed from tool results before the model reads them. One row applies to everyone (the fixed id below,
-- no role); a role may add its own row. A person gets the strictest union of everyone's row and their roles'.

-- Each output check is OFF, STRIP (remove the matching text, keep the answer) or BLOCK (withhold the whole
-- answer). Lists are stored one entry per line; entries are validated so they never contain a line break.
create table guardrail_settings (
    id                      uuid primary key,
    role_id                 uuid unique references roles (id) on delete cascade,
    secrets                 text not null check (secrets in ('OFF', 'STRIP', 'BLOCK')),
    internal_addresses      text not null check (internal_addresses in ('OFF', 'STRIP', 'BLOCK')),
    sql_text                text not null check (sql_text in ('OFF', 'STRIP', 'BLOCK')),
    identifiers             text not null check (identifiers in ('OFF', 'STRIP', 'BLOCK')),
    code_blocks             text not null check (code_blocks in ('OFF', 'STRIP', 'BLOCK')),
    deny_patterns           text not null default '',
    allowed_link_domains    text not null default '',
    internal_domains        text not null default '',
    blocked_identifiers     text not null default '',
    updated_at              timestamptz not null,
    updated_by              uuid references users (id) on delete set null,
    check ((id = '00000000-0000-0000-0000-000000006001') = (role_id is null))
);

-- Out of the box, everyone's answers lose secrets and internal addresses; SQL, names and code stay until an
-- admin decides otherwise for a role.
insert into guardrail_settings (id, role_id, secrets, internal_addresses, sql_text, identifiers, code_blocks, updated_at)
    values ('00000000-0000-0000-0000-000000006001', null, 'STRIP', 'STRIP', 'OFF', 'OFF', 'OFF', now());
