-- Whether this installation has ever run under a verified license: the id of the last license that verified and
-- when it was first seen valid. Without them, deleting the license file (and having no upload) would look like a
-- fresh installation and fall back to evaluation (no seat limit, never read-only); with them, "no license" after a
-- license is read-only until a license is back. Never cleared by the portal.
alter table license_state
    add column verified_license_id text,
    add column verified_since      timestamptz;
