package io.gatehouse.access;

import io.gatehouse.testing.AuditedRows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.AuditRows;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every change an admin makes to who may get in and what they may use is in the audit trail, with what changed; a
 * change whose row cannot be written does not happen.
 */
class AccessAuditTest {

    private static final String PASSWORD = "a long and unusual passphrase";
    static TestPortal portal;
    static WebSession admin;
    static UUID adminId;
    static AuditRows audit;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        adminId = UUID.fromString(WebSession.parse(admin.get("/api/v1/me").body()).path("id").asText());
        audit = new AuditRows(portal);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static UUID roleId(String name) {
        return portal.bean(RoleRepository.class).findByNameIgnoreCase(name).orElseThrow().id();
    }

    private static AuditedRows.Row byAdmin(AuditedRows.Row row, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        row.from(response);
        assertThat(row.outcome()).isEqualTo("SUCCESS");
        assertThat(row.actorId()).isEqualTo(adminId);
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        return row;
    }

    @Test
    void approvingChangingRolesDisablingEnablingAndSigningOutAUserAreEachRecorded() {
        User pending = portal.bean(UserAccounts.class).createExternal("quinn@example.test", "Quinn", User.PENDING);
        String path = "/api/v1/admin/users/" + pending.id();
        long mark = audit.mark();

        HttpResponse<String> approved = admin.postJson(path + "/approve", Map.of("roleIds", List.of(roleId("Analyst"))));
        AuditedRows.Row approval = byAdmin(audit.only(mark, "user.approved"), approved);
        assertThat(approval.targetType()).isEqualTo("user");
        assertThat(approval.targetId()).isEqualTo(pending.id().toString());
        assertThat(approval.details().path("status").toString()).isEqualTo("{\"before\":\"PENDING\",\"after\":\"ACTIVE\"}");
        assertThat(approval.details().path("roles").findValuesAsText("name")).containsExactly("Analyst");

        HttpResponse<String> roles = admin.putJson(path + "/roles", Map.of("roleIds", List.of(roleId("Manager"))));
        AuditedRows.Row roleChange = byAdmin(audit.only(mark, "user.roles_changed"), roles);
        assertThat(roleChange.targetId()).isEqualTo(pending.id().toString());
        assertThat(roleChange.details().path("added").findValuesAsText("name")).containsExactly("Manager");
        assertThat(roleChange.details().path("removed").findValuesAsText("name")).containsExactly("Analyst");

        HttpResponse<String> disabled = admin.postJson(path + "/disable", Map.of());
        assertThat(byAdmin(audit.only(mark, "user.disabled"), disabled).details().path("status").path("after").asText()).isEqualTo("DISABLED");
        HttpResponse<String> enabled = admin.postJson(path + "/enable", Map.of());
        assertThat(byAdmin(audit.only(mark, "user.enabled"), enabled).details().path("status").path("before").asText()).isEqualTo("DISABLED");
        HttpResponse<String> signedOut = admin.delete(path + "/sessions");
        assertThat(byAdmin(audit.only(mark, "user.sessions_ended"), signedOut).targetId()).isEqualTo(pending.id().toString());
    }

    @Test
    void roleAndGrantChangesSayWhatChanged() {
        long mark = audit.mark();
        HttpResponse<String> created = admin.postJson("/api/v1/admin/roles", Map.of("name", "Treasury", "description", "Payments"));
        String role = WebSession.parse(created.body()).path("id").asText();
        AuditedRows.Row creation = byAdmin(audit.only(mark, "role.created"), created);
        assertThat(creation.targetType()).isEqualTo("role");
        assertThat(creation.targetId()).isEqualTo(role);
        assertThat(creation.detail("name")).isEqualTo("Treasury");

        HttpResponse<String> first = admin.putJson("/api/v1/admin/roles/" + role + "/grants", Map.of(
                "models", List.of("pay-model"),
                "tools", List.of(Map.of("connector", "bank", "tool", "*", "access", "READ"),
                        Map.of("connector", "bank", "tool", "pay", "access", "ACTION", "trustLevel", "SUPERVISED", "approver", "ADMIN")),
                "systemPrompt", "Pay only approved invoices.",
                "monthlyTokenBudget", 10000));
        AuditedRows.Row granted = byAdmin(audit.only(mark, "role.updated"), first);
        assertThat(granted.targetId()).isEqualTo(role);
        assertThat(granted.details().path("models_added").toString()).isEqualTo("[\"pay-model\"]");
        assertThat(granted.details().path("tools_added").toString()).isEqualTo("[{\"connector\":\"bank\",\"tool\":\"*\",\"access\":\"READ\"},"
                + "{\"connector\":\"bank\",\"tool\":\"pay\",\"access\":\"ACTION\",\"trust_level\":\"SUPERVISED\",\"approver\":\"ADMIN\"}]");
        assertThat(granted.details().path("monthly_token_budget").toString()).isEqualTo("{\"before\":null,\"after\":10000}");
        assertThat(granted.details().path("prompt_sha256").path("after").asText()).hasSize(64);
        assertThat(audit.containing("Pay only approved invoices.")).as("the prompt itself stays on the role").isZero();

        long second = audit.mark();
        HttpResponse<String> tightened = admin.putJson("/api/v1/admin/roles/" + role + "/grants", Map.of(
                "models", List.of(),
                "tools", List.of(Map.of("connector", "bank", "tool", "pay", "access", "ACTION", "trustLevel", "BOUNDED",
                        "maxCallsPerDay", 3, "argumentLimits", Map.of("amount", Map.of("max", 500)))),
                "systemPrompt", "Pay only approved invoices.",
                "monthlyTokenBudget", 10000));
        AuditedRows.Row changed = byAdmin(audit.only(second, "role.updated"), tightened);
        assertThat(changed.details().path("models_removed").toString()).isEqualTo("[\"pay-model\"]");
        assertThat(changed.details().path("tools_removed").toString()).isEqualTo("[{\"connector\":\"bank\",\"tool\":\"*\",\"access\":\"READ\"}]");
        assertThat(changed.details().path("tools_changed").toString()).isEqualTo("[{\"connector\":\"bank\",\"tool\":\"pay\","
                + "\"before\":{\"connector\":\"bank\",\"tool\":\"pay\",\"access\":\"ACTION\",\"trust_level\":\"SUPERVISED\",\"approver\":\"ADMIN\"},"
                + "\"after\":{\"connector\":\"bank\",\"tool\":\"pay\",\"access\":\"ACTION\",\"trust_level\":\"BOUNDED\",\"max_calls_per_day\":3,"
                + "\"argument_limits\":\"{\\\"amount\\\":{\\\"max\\\":500}}\"}}]");
        assertThat(changed.details().has("prompt_sha256")).as("unchanged").isFalse();
        assertThat(changed.details().has("monthly_token_budget")).as("unchanged").isFalse();

        HttpResponse<String> deleted = admin.delete("/api/v1/admin/roles/" + role);
        AuditedRows.Row deletion = byAdmin(audit.only(mark, "role.deleted"), deleted);
        assertThat(deletion.targetId()).isEqualTo(role);
        assertThat(deletion.detail("name")).isEqualTo("Treasury");
    }

    @Test
    void signUpSettingsDomainsInvitesAndGroupMappingsAreRecorded() {
        long mark = audit.mark();
        HttpResponse<String> settings = admin.putJson("/api/v1/admin/access", Map.of("localSignup", true, "inviteOnly", false));
        AuditedRows.Row settingsRow = byAdmin(audit.only(mark, "access.settings_changed"), settings);
        assertThat(settingsRow.details().path("local_signup").toString()).isEqualTo("{\"before\":false,\"after\":true}");
        assertThat(settingsRow.details().path("invite_only").toString()).isEqualTo("{\"before\":false,\"after\":false}");

        HttpResponse<String> added = admin.postJson("/api/v1/admin/access/domains", Map.of("domain", "@Audited.Example"));
        AuditedRows.Row domainAdded = byAdmin(audit.only(mark, "access.domain_added"), added);
        assertThat(domainAdded.targetType()).isEqualTo("domain");
        assertThat(domainAdded.targetId()).isEqualTo("audited.example");
        HttpResponse<String> removed = admin.delete("/api/v1/admin/access/domains/audited.example");
        assertThat(byAdmin(audit.only(mark, "access.domain_removed"), removed).targetId()).isEqualTo("audited.example");

        HttpResponse<String> invited = admin.postJson("/api/v1/admin/invites", Map.of("email", "guest@partner.example",
                "roleIds", List.of(roleId("Analyst")), "validDays", 3));
        JsonNode invite = WebSession.parse(invited.body());
        String token = invite.path("link").asText().replaceFirst(".*token=", "");
        AuditedRows.Row inviteRow = byAdmin(audit.only(mark, "invite.created"), invited);
        assertThat(inviteRow.targetType()).isEqualTo("invite");
        assertThat(inviteRow.targetId()).isEqualTo(invite.path("id").asText());
        assertThat(inviteRow.detail("email")).isEqualTo("guest@partner.example");
        assertThat(inviteRow.details().path("valid_days").asInt()).isEqualTo(3);
        assertThat(audit.containing(token)).as("the link's token is never stored").isZero();

        HttpResponse<String> accepted = portal.browser().postJson("/api/v1/auth/signup", Map.of("email", "guest@partner.example",
                "password", PASSWORD, "invite", token));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        AuditedRows.Row acceptance = audit.only(mark, "invite.accepted").from(accepted);
        User guest = portal.bean(io.gatehouse.auth.UserRepository.class).findByEmailIgnoreCase("guest@partner.example").orElseThrow();
        assertThat(acceptance.outcome()).isEqualTo("SUCCESS");
        assertThat(acceptance.actorId()).isEqualTo(guest.id());
        assertThat(acceptance.targetId()).isEqualTo(invite.path("id").asText());
        assertThat(audit.containing(PASSWORD)).isZero();

        HttpResponse<String> second = admin.postJson("/api/v1/admin/invites", Map.of("email", "late@partner.example"));
        String secondId = WebSession.parse(second.body()).path("id").asText();
        HttpResponse<String> withdrawn = admin.delete("/api/v1/admin/invites/" + secondId);
        assertThat(byAdmin(audit.only(mark, "invite.revoked"), withdrawn).targetId()).isEqualTo(secondId);

        HttpResponse<String> refused = portal.browser().postJson("/api/v1/auth/signup", Map.of("email", "walk-in@elsewhere.example",
                "password", PASSWORD));
        assertThat(refused.statusCode()).isEqualTo(403);
        AuditedRows.Row refusal = audit.only(mark, "user.signed_up").from(refused);
        assertThat(refusal.outcome()).isEqualTo("DENIED");
        assertThat(refusal.actorEmail()).isEqualTo("walk-in@elsewhere.example");
        assertThat(refusal.detail("reason")).isEqualTo("domain_not_allowed");

        HttpResponse<String> mapped = admin.postJson("/api/v1/admin/group-mappings", Map.of("groupName", "fin-team", "roleId", roleId("Manager")));
        String mappingId = WebSession.parse(mapped.body()).path("id").asText();
        AuditedRows.Row mapping = byAdmin(audit.only(mark, "group_mapping.created"), mapped);
        assertThat(mapping.targetId()).isEqualTo(mappingId);
        assertThat(mapping.detail("group")).isEqualTo("fin-team");
        assertThat(mapping.detail("role")).isEqualTo("Manager");
        HttpResponse<String> unmapped = admin.delete("/api/v1/admin/group-mappings/" + mappingId);
        assertThat(byAdmin(audit.only(mark, "group_mapping.deleted"), unmapped).detail("group")).isEqualTo("fin-team");
    }

    @Test
    void aRoleChangeWhoseAuditRowCannotBeWrittenAnswers503AndChangesNothing() {
        String role = WebSession.parse(admin.postJson("/api/v1/admin/roles", Map.of("name", "Audit-Fenced", "description", "")).body())
                .path("id").asText();
        admin.putJson("/api/v1/admin/roles/" + role + "/grants", Map.of("models", List.of("old-model"), "systemPrompt", "Before."));
        String before = admin.get("/api/v1/admin/roles/" + role + "/grants").body();
        User member = portal.bean(UserAccounts.class).createLocal("fenced@example.test", null, PASSWORD, false);
        long mark = audit.mark();

        AtomicReference<HttpResponse<String>> grants = new AtomicReference<>();
        AtomicReference<HttpResponse<String>> assignment = new AtomicReference<>();
        audit.whileUnwritable(() -> {
            grants.set(admin.putJson("/api/v1/admin/roles/" + role + "/grants", Map.of("models", List.of("*"),
                    "tools", List.of(Map.of("connector", "*", "tool", "*", "access", "READ")), "systemPrompt", "After.")));
            assignment.set(admin.putJson("/api/v1/admin/users/" + member.id() + "/roles", Map.of("roleIds", List.of(Role.ADMIN))));
        });

        assertThat(grants.get().statusCode()).isEqualTo(503);
        assertThat(WebSession.parse(grants.get().body()).path("type").asText()).endsWith("audit-unavailable");
        assertThat(admin.get("/api/v1/admin/roles/" + role + "/grants").body()).isEqualTo(before);
        assertThat(assignment.get().statusCode()).isEqualTo(503);
        assertThat(portal.bean(RoleAssignments.class).rolesOf(member.id())).isEmpty();
        assertThat(portal.bean(io.gatehouse.auth.UserRepository.class).findById(member.id()).orElseThrow().admin()).isFalse();
        assertThat(audit.since(mark, "role.updated")).isEmpty();
        assertThat(audit.since(mark, "user.roles_changed")).isEmpty();
    }
}
