package io.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiTokenTest {

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aCreatedTokenIsShownOnceAndThenWorksForTheApi() {
        WebSession admin = portal.admin();

        var created = admin.postJson("/api/v1/me/tokens", Map.of("name", "nightly report"));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = WebSession.parse(created.body());
        String token = body.path("token").asText();
        assertThat(token).startsWith("gh_").hasSizeGreaterThan(40);
        JsonNode listed = WebSession.parse(admin.get("/api/v1/me/tokens").body());
        JsonNode entry = null;
        for (JsonNode t : listed) {
            if (t.path("id").asText().equals(body.path("id").asText())) {
                entry = t;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.path("name").asText()).isEqualTo("nightly report");
        assertThat(entry.has("token")).isFalse();
        assertThat(listed.toString()).doesNotContain(token);
        assertThat(portal.browser().get("/v1/models", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    }

    @Test
    void aRevokedTokenIsRefusedAtOnce() {
        WebSession admin = portal.admin();
        JsonNode created = WebSession.parse(admin.postJson("/api/v1/me/tokens", Map.of("name", "to revoke")).body());
        String token = created.path("token").asText();
        assertThat(portal.browser().get("/v1/models", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);

        assertThat(admin.delete("/api/v1/me/tokens/" + created.path("id").asText()).statusCode()).isEqualTo(204);

        var refused = portal.browser().get("/v1/models", "Authorization", "Bearer " + token);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(WebSession.parse(refused.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
    }

    @Test
    void nobodyCanRevokeAnotherUsersToken() {
        portal.bean(UserAccounts.class).createLocal("someone@example.test", "Someone", "someone's long passphrase", false);
        WebSession someone = portal.signedIn("someone@example.test", "someone's long passphrase");
        JsonNode created = WebSession.parse(portal.admin().postJson("/api/v1/me/tokens", Map.of("name", "admin's")).body());

        var attempt = someone.delete("/api/v1/me/tokens/" + created.path("id").asText());

        assertThat(attempt.statusCode()).isEqualTo(404);
        assertThat(WebSession.parse(attempt.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:token-not-found");
        assertThat(portal.browser().get("/v1/models", "Authorization", "Bearer " + created.path("token").asText()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aTokenNeedsAName() {
        var response = portal.admin().postJson("/api/v1/me/tokens", Map.of("name", "  "));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(response.body()).path("detail").asText()).contains("name");
    }

    @Test
    void tokensAreNotAcceptedInPlaceOfASessionOnTheBrowserApi() {
        String token = WebSession.parse(portal.admin().postJson("/api/v1/me/tokens", Map.of("name", "scoped")).body())
                .path("token").asText();

        assertThat(portal.browser().get("/api/v1/me", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401);
    }

    @Test
    void theTokenItselfIsNotStoredInTheDatabase() throws Exception {
        String token = WebSession.parse(portal.admin().postJson("/api/v1/me/tokens", Map.of("name", "stored?")).body())
                .path("token").asText();

        try (var sql = portal.sql(); var rows = sql.createStatement().executeQuery("select * from api_tokens")) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int c = 1; c <= columns; c++) {
                    assertThat(String.valueOf(rows.getObject(c))).doesNotContain(token.substring(10));
                }
            }
        }
    }
}
