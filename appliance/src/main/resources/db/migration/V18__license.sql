-- The license: one row (id = 1) shared by every portal node. appliance_id identifies this installation to the
-- vendor's optional online check (generated once, here, unless GATEHOUSE_APPLIANCE_ID overrides it).
-- uploaded_text: a license file an admin uploaded on the License page, kept byte for byte as received (its
-- signature is over those bytes); when present it takes precedence over GATEHOUSE_LICENSE_FILE.
-- The online check's outcome is kept here too, so a restart neither forgets a revocation nor restarts the
-- grace period of an unreachable license server: check_since is when checking started (the grace period of an
-- appliance that never reached the server runs from it), last_answer_at the last answer from the server (a
-- "revoked" answer names the license it revoked, so uploading another license lifts it). last_state is the
-- state last audited (license.state_changed), so a change is audited once, by one node, across restarts.
create table license_state (
    id                  smallint primary key check (id = 1),
    appliance_id        uuid not null,
    uploaded_text       text,
    uploaded_license_id text,
    uploaded_by         uuid,
    uploaded_by_email   text,
    uploaded_at         timestamptz,
    check_since         timestamptz,
    last_check_at       timestamptz,
    last_check_error    text,
    last_answer_at      timestamptz,
    revoked_license_id  text,
    revoked_message     text,
    last_state          text
);
insert into license_state (id, appliance_id) values (1, gen_random_uuid());
