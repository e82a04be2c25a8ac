-- Bring-your-own MCP servers (kind 'mcp'): any MCP server image, pinned to the image id it had when the
-- admin registered it, with the port and path of its streamable HTTP endpoint and which of its settings
-- are secret (no manifest tells us for third-party images).
alter table connectors add column image text;
alter table connectors add column image_id text;
alter table connectors add column port integer;
alter table connectors add column mcp_path text;
alter table connectors add column secret_keys text not null default '';
