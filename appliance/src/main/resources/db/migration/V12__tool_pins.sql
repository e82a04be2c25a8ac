-- Tool definitions are pinned when a connector first lists them: the SHA-256 of name, description, input
-- schema and annotations. A connector that later describes a tool differently (a poisoned description is
-- a prompt injection that reaches every conversation) gets that tool held — not offered, not run — until
-- an admin looks at the new definition and approves it. Bring-your-own MCP tools also carry the admin's
-- classification (READ or ACTION): until classified they count as actions.
create table tool_pins (
    connector_id            uuid not null references connectors (id) on delete cascade,
    tool_name               text not null,
    fingerprint             text not null,
    pending_fingerprint     text,
    pending_description     text,
    status                  text not null check (status in ('APPROVED', 'HELD')),
    classification          text check (classification in ('READ', 'ACTION')),
    pinned_at               timestamptz not null,
    changed_at              timestamptz,
    primary key (connector_id, tool_name)
);
