-- The kill-switch (DESIGN.md "Governance"): an admin switches off everything, a model, a connector, one tool,
-- everyone holding a role, or one person. Every portal node keeps the engaged switches in memory and reloads
-- them when this table changes (LISTEN gatehouse_kill_switch, with a short poll behind it).

-- One row per switch ever used; engaged says whether it is off right now. target is '' for GLOBAL, the model
-- name, the connector name, 'connector__tool', the role id or the user id.
create table kill_switches (
    scope               text not null check (scope in ('GLOBAL', 'MODEL', 'CONNECTOR', 'TOOL', 'ROLE', 'USER')),
    target              text not null,
    engaged             boolean not null,
    reason              text not null,
    changed_by          uuid,
    changed_by_email    text not null,
    changed_at          timestamptz not null,
    primary key (scope, target),
    check ((scope = 'GLOBAL') = (target = ''))
);

-- Every engage and release, never changed afterwards. The actor's email is copied: history outlives accounts.
create table kill_switch_history (
    id                  bigserial primary key,
    scope               text not null,
    target              text not null,
    action              text not null check (action in ('ENGAGE', 'RELEASE')),
    reason              text not null,
    actor_id            uuid,
    actor_email         text not null,
    changed_at          timestamptz not null
);

create function kill_switch_history_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'kill_switch_history is append-only';
end
$$;
create trigger kill_switch_history_no_update before update or delete on kill_switch_history
    for each row execute function kill_switch_history_append_only();
create trigger kill_switch_history_no_truncate before truncate on kill_switch_history
    for each statement execute function kill_switch_history_append_only();

-- Any change to the switches, from the portal or from psql in an emergency, wakes every node at commit.
create function kill_switches_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('gatehouse_kill_switch', '');
    return null;
end
$$;
create trigger kill_switches_changed after insert or update or delete or truncate on kill_switches
    for each statement execute function kill_switches_notify();
