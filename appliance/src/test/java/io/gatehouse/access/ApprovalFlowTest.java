package io.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Self sign-up lands in the approval queue; only an admin's decision lets the person in (or keeps them out). */
class ApprovalFlowTest {

    private static final String PASSWORD = "a long and unusual passphrase";
    private static TestPortal portal;
    private static WebSession admin;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        admin = portal.admin();
        assertThat(admin.putJson("/api/v1/admin/access", Map.of("localSignup", true, "inviteOnly", false)).statusCode()).isEqualTo(200);
        assertThat(admin.postJson("/api/v1/admin/access/domains", Map.of("domain", "acme.test")).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static WebSession signUp(String email) {
        WebSession browser = portal.browser();
        HttpResponse<String> created = browser.postJson("/api/v1/auth/signup", Map.of("email", email, "password", PASSWORD));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(WebSession.parse(created.body()).path("access").asText()).isEqualTo("PENDING_APPROVAL");
        return browser;
    }

    private static String idOf(String email) {
        JsonNode list = WebSession.parse(admin.get("/api/v1/admin/users?q=" + email).body());
        assertThat(list).hasSize(1);
        return list.get(0).path("id").asText();
    }

    private static String roleId(String name) {
        for (JsonNode role : WebSession.parse(admin.get("/api/v1/admin/roles").body())) {
            if (role.path("name").asText().equals(name)) {
                return role.path("id").asText();
            }
        }
        throw new AssertionError("no role " + name);
    }

    @Test
    void aPendingUserSeesOnlyTheWaitingPageUntilApprovedWithRoles() {
        WebSession user = signUp("pat@acme.test");

        HttpResponse<String> chat = user.get("/", "Accept", "text/html");
        assertThat(chat.statusCode()).isEqualTo(303);
        assertThat(chat.headers().firstValue("Location")).contains("/pending");
        assertThat(user.get("/pending", "Accept", "text/html").body()).contains("Waiting for approval").contains("pat@acme.test");
        HttpResponse<String> api = user.get("/api/v1/conversations");
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(WebSession.parse(api.body()).path("type").asText()).endsWith("approval-pending");
        assertThat(user.postJson("/api/v1/me/tokens", Map.of("name", "script")).statusCode()).isEqualTo(403);
        assertThat(WebSession.parse(user.get("/api/v1/me").body()).path("access").asText()).isEqualTo("PENDING_APPROVAL");

        JsonNode queue = WebSession.parse(admin.get("/api/v1/admin/users?status=pending").body());
        assertThat(queue.findValuesAsText("email")).contains("pat@acme.test");

        HttpResponse<String> approved = admin.postJson("/api/v1/admin/users/" + idOf("pat@acme.test") + "/approve",
                Map.of("roleIds", List.of(roleId("Analyst"))));
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(WebSession.parse(approved.body()).path("status").asText()).isEqualTo("ACTIVE");
        assertThat(WebSession.parse(approved.body()).path("roles").findValuesAsText("name")).containsExactly("Analyst");

        // The same session, on its very next request, is let in.
        assertThat(user.get("/", "Accept", "text/html").statusCode()).isEqualTo(200);
        assertThat(user.get("/pending", "Accept", "text/html").statusCode()).isEqualTo(303);
        assertThat(WebSession.parse(user.get("/api/v1/me").body()).path("access").asText()).isEqualTo("FULL");
        assertThat(user.get("/api/v1/admin/users").statusCode()).isEqualTo(403);
    }

    @Test
    void aRejectedUserIsSignedOutAndToldSoWhenSigningInAgain() {
        WebSession user = signUp("rex@acme.test");

        assertThat(admin.postJson("/api/v1/admin/users/" + idOf("rex@acme.test") + "/reject", Map.of()).statusCode()).isEqualTo(200);

        assertThat(user.get("/api/v1/me").statusCode()).isEqualTo(401);
        HttpResponse<String> again = portal.browser().postForm("/login", Map.of("email", "rex@acme.test", "password", PASSWORD));
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.body()).contains("declined");
        assertThat(again.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("gh_session=") && !c.startsWith("gh_session=;"));
    }

    @Test
    void approvingSomeoneWhoIsNotPendingIsAConflict() {
        signUp("twice@acme.test");
        String id = idOf("twice@acme.test");
        assertThat(admin.postJson("/api/v1/admin/users/" + id + "/approve", Map.of("roleIds", List.of())).statusCode()).isEqualTo(200);

        HttpResponse<String> again = admin.postJson("/api/v1/admin/users/" + id + "/approve", Map.of("roleIds", List.of()));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(again.body()).path("detail").asText()).contains("Only pending users");
    }

    @Test
    void approvalWithAnUnknownRoleChangesNothing() {
        signUp("unknown-role@acme.test");
        String id = idOf("unknown-role@acme.test");

        HttpResponse<String> refused = admin.postJson("/api/v1/admin/users/" + id + "/approve",
                Map.of("roleIds", List.of("00000000-0000-0000-0000-000000000999")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(admin.get("/api/v1/admin/users/" + id).body()).path("status").asText()).isEqualTo("PENDING");
    }
}
