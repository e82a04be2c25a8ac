-- Docker networks a connector joins besides its own internal one: where its data sources are
-- (for example the network of a database container). Comma-separated names; empty for none.
alter table connectors add column networks text not null default '';
