package io.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Disabling cuts a user off everywhere at once; admin actions are guarded against locking everyone out. */
class UserAdministrationTest {

    private static final String PASSWORD = "a long and unusual passphrase";
    private static TestPortal portal;
    private static WebSession admin;

    @BeforeAll
    static void start() {
        portal = TestPortal.start(Map.of("GATEHOUSE_TRUSTED_PROXIES", "127.0.0.1/32,::1"));
        admin = portal.admin();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static UUID member(String email) {
        return portal.bean(UserAccounts.class).createLocal(email, null, PASSWORD, false).id();
    }

    private static HttpResponse<String> models(String token) throws Exception {
        return models(token, "203.0.113.1");
    }

    private static HttpResponse<String> models(String token, String clientIp) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(portal.baseUrl() + "/v1/models"))
                .header("Authorization", "Bearer " + token).header("X-Forwarded-For", clientIp).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void disablingAUserRefusesTheirOpenSessionAndApiTokenOnTheNextRequest() throws Exception {
        UUID id = member("leaver@example.test");
        WebSession leaver = portal.signedIn("leaver@example.test", PASSWORD);
        String token = WebSession.parse(leaver.postJson("/api/v1/me/tokens", Map.of("name", "cron")).body()).path("token").asText();
        assertThat(models(token).statusCode()).isEqualTo(200); // cached now: the fast path must notice too
        assertThat(leaver.get("/api/v1/me").statusCode()).isEqualTo(200);

        HttpResponse<String> disabled = admin.postJson("/api/v1/admin/users/" + id + "/disable", Map.of());
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);

        assertThat(leaver.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(models(token).statusCode()).isEqualTo(401);
        assertThat(portal.browser().postJson("/api/v1/auth/login", Map.of("email", "leaver@example.test", "password", PASSWORD))
                .statusCode()).isEqualTo(403);

        // Re-enabled, they can sign in again, but the old token stays revoked.
        assertThat(admin.postJson("/api/v1/admin/users/" + id + "/enable", Map.of()).statusCode()).isEqualTo(200);
        assertThat(portal.signedIn("leaver@example.test", PASSWORD).get("/api/v1/me").statusCode()).isEqualTo(200);
        assertThat(models(token).statusCode()).isEqualTo(401);
    }

    @Test
    void endingAUsersSessionsSignsThemOutButLeavesTheirAccountActive() {
        UUID id = member("busy@example.test");
        WebSession laptop = portal.signedIn("busy@example.test", PASSWORD);
        WebSession phone = portal.signedIn("busy@example.test", PASSWORD);
        JsonNode row = WebSession.parse(admin.get("/api/v1/admin/users?q=busy@example.test").body()).get(0);
        assertThat(row.path("sessions").asInt()).isEqualTo(2);

        assertThat(admin.delete("/api/v1/admin/users/" + id + "/sessions").statusCode()).isEqualTo(204);

        assertThat(laptop.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(phone.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(portal.signedIn("busy@example.test", PASSWORD).get("/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void rolesCanBeChangedAndTheAdminRoleMakesAnAdmin() {
        UUID id = member("promoted@example.test");
        String adminRole = Role.ADMIN.toString();

        HttpResponse<String> changed = admin.putJson("/api/v1/admin/users/" + id + "/roles", Map.of("roleIds", List.of(adminRole)));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(WebSession.parse(changed.body()).path("admin").asBoolean()).isTrue();

        assertThat(admin.putJson("/api/v1/admin/users/" + id + "/roles", Map.of("roleIds", List.of())).statusCode()).isEqualTo(200);
        assertThat(WebSession.parse(admin.get("/api/v1/admin/users/" + id).body()).path("admin").asBoolean()).isFalse();
    }

    @Test
    void anAdminCannotLockThemselvesOut() {
        String self = WebSession.parse(admin.get("/api/v1/me").body()).path("id").asText();

        HttpResponse<String> disable = admin.postJson("/api/v1/admin/users/" + self + "/disable", Map.of());
        assertThat(disable.statusCode()).isEqualTo(409);
        assertThat(WebSession.parse(disable.body()).path("detail").asText()).contains("your own account");
        HttpResponse<String> demote = admin.putJson("/api/v1/admin/users/" + self + "/roles", Map.of("roleIds", List.of()));
        assertThat(demote.statusCode()).isEqualTo(409);
        assertThat(admin.get("/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void customRolesCanBeAddedAndDeletedButBuiltInOnesCannot() {
        HttpResponse<String> created = admin.postJson("/api/v1/admin/roles", Map.of("name", "Finance", "description", "Money matters"));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(admin.postJson("/api/v1/admin/roles", Map.of("name", "finance")).statusCode()).isEqualTo(409);
        assertThat(admin.postJson("/api/v1/admin/roles", Map.of("name", "<script>")).statusCode()).isEqualTo(400);
        assertThat(admin.delete("/api/v1/admin/roles/" + Role.ADMIN).statusCode()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/admin/roles/" + WebSession.parse(created.body()).path("id").asText()).statusCode()).isEqualTo(204);
    }

    @Test
    void nonAdminsCannotUseAnyOfIt() {
        member("curious@example.test");
        WebSession curious = portal.signedIn("curious@example.test", PASSWORD);
        for (String path : List.of("/api/v1/admin/users", "/api/v1/admin/access", "/api/v1/admin/invites", "/api/v1/admin/roles")) {
            assertThat(curious.get(path).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(curious.get("/admin/users", "Accept", "text/html").statusCode()).isEqualTo(403);
    }

    @Test
    void adminPagesRender() {
        assertThat(admin.get("/admin/users", "Accept", "text/html").body()).contains("Waiting for approval").contains("/static/users.js");
        assertThat(admin.get("/admin/access", "Accept", "text/html").body()).contains("Allowed email domains").contains("/static/access.js");
    }

    @Test
    void manyBadApiTokensFromOneAddressAreRefusedForAWhile() throws Exception {
        String scanner = "203.0.113.99";
        for (int i = 0; i < 50; i++) {
            assertThat(models("gh_not-a-real-token-" + i, scanner).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> limited = models("gh_not-a-real-token-last", scanner);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(models("gh_not-a-real-token-other", "203.0.113.100").statusCode()).isEqualTo(401); // others unaffected
    }
}
