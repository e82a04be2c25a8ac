-- SIEM export of the audit trail: one settings row (what an admin configured) and one cursor row (how far the
-- collector has acknowledged). Both are single rows (id = 1) shared by every portal node.
create table siem_settings (
    id                  smallint primary key check (id = 1),
    enabled             boolean not null,
    transport           text not null check (transport in ('HTTP', 'SYSLOG_TCP')),
    url                 text,
    -- The Authorization header value for HTTP, AES-GCM sealed (SecretBox, context 'siem_settings:authorization').
    authorization_cipher bytea,
    host                text,
    port                integer check (port between 1 and 65535),
    batch_size          integer not null check (batch_size between 1 and 1000),
    updated_by          uuid,
    updated_by_email    text,
    updated_at          timestamptz not null
);
insert into siem_settings (id, enabled, transport, batch_size, updated_at) values (1, false, 'HTTP', 100, now());

-- last_seq: every audit row up to it was acknowledged by the collector; it moves only forward, and only by a
-- conditional update from the value the batch was read at (so two nodes can never move it backwards).
-- lease_owner/lease_until: the node that ships now. A lease (database time) rather than a lock held on a
-- connection, because the shipper never keeps a connection open while it waits on the network.
create table siem_cursor (
    id                  smallint primary key check (id = 1),
    last_seq            bigint not null,
    delivered           bigint not null,
    last_success_at     timestamptz,
    last_error          text,
    last_error_at       timestamptz,
    failures            integer not null,
    lease_owner         text,
    lease_until         timestamptz
);
insert into siem_cursor (id, last_seq, delivered, failures) values (1, 0, 0, 0);
