-- Connector instances: each one an MCP server run by the portal's ConnectorRuntime (child process on the
-- embedded default, hardened container with Docker). Secret config values are AES-GCM ciphertext bound
-- to the connector id; non-secret values are plain JSON.
create table connectors (
    id              uuid primary key,
    name            text not null unique check (name ~ '^[a-z][a-z0-9_]{0,31}$'),
    kind            text not null,
    description     text not null default '',
    config_json     text not null default '{}',
    secrets_cipher  bytea,
    enabled         boolean not null default true,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);
