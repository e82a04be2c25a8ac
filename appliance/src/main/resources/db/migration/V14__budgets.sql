-- Monthly budgets (tokens and/or cost in the price table's currency) and per-person request rate limits.
-- A rule's model is a model name or '*' (all models together); a null amount sets no limit of that kind.

-- All people together.
create table budget_global_rules (
    model           text primary key,
    monthly_tokens  bigint check (monthly_tokens is null or monthly_tokens >= 0),
    monthly_cost    numeric(18, 4) check (monthly_cost is null or monthly_cost >= 0),
    updated_at      timestamptz not null
);

-- A role's default for each person holding it (a person with several roles gets the largest any of them sets).
-- The role's all-models token default is roles.monthly_token_budget (also edited on the Roles page), so it is
-- never stored here.
create table budget_role_rules (
    role_id         uuid not null references roles (id) on delete cascade,
    model           text not null,
    monthly_tokens  bigint check (monthly_tokens is null or monthly_tokens >= 0),
    monthly_cost    numeric(18, 4) check (monthly_cost is null or monthly_cost >= 0),
    updated_at      timestamptz not null,
    primary key (role_id, model),
    check (model <> '*' or monthly_tokens is null)
);

-- A person's override: where it sets an amount, that amount replaces their roles' defaults (higher or lower).
create table budget_user_rules (
    user_id         uuid not null references users (id) on delete cascade,
    model           text not null,
    monthly_tokens  bigint check (monthly_tokens is null or monthly_tokens >= 0),
    monthly_cost    numeric(18, 4) check (monthly_cost is null or monthly_cost >= 0),
    updated_at      timestamptz not null,
    primary key (user_id, model)
);

-- Settled usage per calendar month (in the installation's time zone; month = its first day), person and model,
-- plus one '*' row per person and month for all models together. No foreign key: usage outlives the person row.
create table budget_usage (
    month           date not null,
    user_id         uuid not null,
    model           text not null,
    tokens          bigint not null default 0,
    cost            numeric(24, 8) not null default 0,
    primary key (month, user_id, model)
);
create index budget_usage_model on budget_usage (month, model);

-- What calls in flight may still use. A check counts settled usage plus live reservations; the call's end
-- replaces its reservation by what it used. A reservation past expires_at (a node died mid-call) no longer counts.
create table budget_reservations (
    id              uuid primary key,
    month           date not null,
    user_id         uuid not null,
    model           text not null,
    tokens          bigint not null,
    cost            numeric(24, 8) not null,
    reserved_at     timestamptz not null,
    expires_at      timestamptz not null
);
create index budget_reservations_live on budget_reservations (month, expires_at);

-- The installation's default chat requests per minute per person (null or 0: no limit); one row.
create table budget_settings (
    id                  boolean primary key default true check (id),
    requests_per_minute integer check (requests_per_minute is null or requests_per_minute >= 0)
);
insert into budget_settings (id, requests_per_minute) values (true, null);

-- A person's own rate: replaces the default; 0 means no limit for them.
create table budget_user_rate_limits (
    user_id             uuid primary key references users (id) on delete cascade,
    requests_per_minute integer not null check (requests_per_minute >= 0),
    updated_at          timestamptz not null
);
