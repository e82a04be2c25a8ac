-- Identity and access: approval states, roles, MFA, single sign-on, sign-up rules and invites.

-- Every new user waits for an admin (PENDING); REJECTED and DISABLED users have no access at all.
alter table users drop constraint users_status_check;
alter table users add constraint users_status_check check (status in ('PENDING', 'ACTIVE', 'REJECTED', 'DISABLED'));
alter table users add column decided_by uuid references users (id) on delete set null;
alter table users add column decided_at timestamptz;
-- TOTP: the shared secret is AES-256-GCM ciphertext bound to the user id; the last accepted time step
-- makes a code single-use (a replayed code is refused even inside its 30 s window).
alter table users add column totp_secret_cipher bytea;
alter table users add column totp_enabled_at timestamptz;
alter table users add column totp_last_step bigint;

create table mfa_recovery_codes (
    id              uuid primary key,
    user_id         uuid not null references users (id) on delete cascade,
    code_hash       text not null,
    used_at         timestamptz
);
create index mfa_recovery_codes_user on mfa_recovery_codes (user_id);

-- A session starts restricted when a second factor is still owed (challenge) or must first be set up
-- (an admin without MFA); only the MFA pages accept it until it is promoted to FULL.
alter table sessions add column stage text not null default 'FULL'
    check (stage in ('FULL', 'MFA_CHALLENGE', 'MFA_ENROLMENT'));

-- Roles. The four predefined ones cannot be deleted; grants per role arrive with the governance issue.
create table roles (
    id              uuid primary key,
    name            text not null,
    description     text not null default '',
    builtin         boolean not null default false,
    created_at      timestamptz not null
);
create unique index roles_name_unique on roles (lower(name));
insert into roles (id, name, description, builtin, created_at) values
    ('00000000-0000-0000-0000-00000000a001', 'Admin', 'Administers Gatehouse: users, models, connectors, policies.', true, now()),
    ('00000000-0000-0000-0000-00000000a002', 'Manager', 'Broad read access and approvals for their teams.', true, now()),
    ('00000000-0000-0000-0000-00000000a003', 'Analyst', 'Reads the data sources granted to analysts.', true, now()),
    ('00000000-0000-0000-0000-00000000a004', 'Read-only', 'Chat without actions.', true, now());

-- source MANUAL: given by an admin; GROUP: derived from the identity provider's group claim and
-- recomputed at every sign-in, so removing someone from the IdP group removes the role.
create table user_roles (
    user_id         uuid not null references users (id) on delete cascade,
    role_id         uuid not null references roles (id) on delete cascade,
    source          text not null check (source in ('MANUAL', 'GROUP')),
    primary key (user_id, role_id, source)
);

-- Existing admins hold the Admin role.
insert into user_roles (user_id, role_id, source)
    select id, '00000000-0000-0000-0000-00000000a001', 'MANUAL' from users where admin;

-- OpenID Connect identity providers (Google, Microsoft Entra ID, any OIDC). The client secret is
-- AES-256-GCM ciphertext bound to the provider id.
create table identity_providers (
    id                  uuid primary key,
    slug                text not null unique,
    display_name        text not null,
    kind                text not null check (kind in ('GOOGLE', 'ENTRA', 'OIDC')),
    discovery_url       text not null,
    client_id           text not null,
    client_secret_cipher bytea,
    scopes              text not null,
    group_claim         text,
    enabled             boolean not null default true,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);

-- A user's identity at a provider: the (provider, subject) pair is the stable key, never the email.
create table external_identities (
    id              uuid primary key,
    provider_id     uuid not null references identity_providers (id) on delete cascade,
    subject         text not null,
    user_id         uuid not null references users (id) on delete cascade,
    email           text not null,
    created_at      timestamptz not null,
    last_login_at   timestamptz,
    unique (provider_id, subject)
);
create index external_identities_user on external_identities (user_id);

-- IdP group -> role, applied at each sign-in through any provider that sends the group claim.
create table group_role_mappings (
    id              uuid primary key,
    group_name      text not null,
    role_id         uuid not null references roles (id) on delete cascade,
    unique (group_name, role_id)
);

-- Who may sign up without an invite: only these email domains. An empty list means invites only.
create table allowed_domains (
    domain          text primary key,
    created_at      timestamptz not null
);

-- Single-use, expiring invite links; only the SHA-256 of the link's token is stored.
create table invites (
    id              uuid primary key,
    token_hash      bytea not null unique,
    email           text not null,
    role_ids        text not null default '',
    created_by      uuid references users (id) on delete set null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    used_at         timestamptz,
    used_by         uuid references users (id) on delete set null
);

-- Installation-wide access settings, one row.
create table access_settings (
    id                  smallint primary key check (id = 1),
    local_signup        boolean not null default false,
    invite_only         boolean not null default false,
    updated_at          timestamptz not null
);
insert into access_settings (id, local_signup, invite_only, updated_at) values (1, false, false, now());
