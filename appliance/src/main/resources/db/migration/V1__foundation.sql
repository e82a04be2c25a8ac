-- Users: local accounts for now; SSO identities arrive with the identity issue.
create table users (
    id              uuid primary key,
    email           text not null,
    display_name    text not null,
    password_hash   text,
    admin           boolean not null default false,
    status          text not null default 'ACTIVE' check (status in ('ACTIVE', 'DISABLED')),
    created_at      timestamptz not null,
    last_login_at   timestamptz
);
create unique index users_email_unique on users (lower(email));

-- Server-side sessions. Only the SHA-256 of the cookie value is stored, so a database read does not
-- yield a usable session.
create table sessions (
    id              uuid primary key,
    token_hash      bytea not null unique,
    user_id         uuid not null references users (id) on delete cascade,
    created_at      timestamptz not null,
    last_seen_at    timestamptz not null,
    expires_at      timestamptz not null,
    ip              text,
    user_agent      text
);
create index sessions_user on sessions (user_id);

-- Personal API tokens for scripts (OpenAI-compatible API). Stored as SHA-256; shown once at creation.
create table api_tokens (
    id              uuid primary key,
    user_id         uuid not null references users (id) on delete cascade,
    name            text not null,
    token_hash      bytea not null unique,
    token_prefix    text not null,
    created_at      timestamptz not null,
    last_used_at    timestamptz,
    revoked_at      timestamptz
);
create index api_tokens_user on api_tokens (user_id);

-- One-time setup links that create the first admin in the browser.
create table setup_tokens (
    id              uuid primary key,
    token_hash      bytea not null unique,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    used_at         timestamptz
);

-- Model providers; the API key is AES-256-GCM ciphertext bound to the provider id.
create table model_providers (
    id              uuid primary key,
    name            text not null unique,
    kind            text not null,
    base_url        text not null,
    api_key_cipher  bytea,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

-- Models a provider serves, with the admin's price table (per one million tokens).
create table models (
    id                      uuid primary key,
    provider_id             uuid not null references model_providers (id) on delete cascade,
    name                    text not null unique,
    input_price_per_mtok    numeric(12, 4) not null default 0,
    output_price_per_mtok   numeric(12, 4) not null default 0
);
create index models_provider on models (provider_id);
