package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A page on another site cannot make a signed-in browser change anything. */
class SameOriginTest {

    static TestPortal portal;
    static WebSession admin;

    @BeforeAll
    static void start() {
        // Micronaut itself refuses every cross-origin request to a server bound to localhost; switch that off
        // here so these tests see what our filter decides, as a portal behind its public name would.
        portal = TestPortal.withProperties(Map.of("micronaut.server.cors.localhost-pass-through", true));
        admin = portal.admin();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static String ownOrigin() {
        return portal.baseUrl();
    }

    @Test
    void aStateChangingRequestFromAnotherSiteIsRefusedBeforeItRuns() {
        var forged = admin.postJson("/api/v1/me/tokens", Map.of("name", "forged"), "Origin", "https://evil.example");
        var forgedByReferer = admin.postJson("/api/v1/me/tokens", Map.of("name", "forged"), "Referer", "https://evil.example/page");
        var opaque = admin.postJson("/api/v1/me/tokens", Map.of("name", "forged"), "Origin", "null");

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(WebSession.parse(forged.body()).path("detail").asText()).contains("another site");
        assertThat(forgedByReferer.statusCode()).isEqualTo(403);
        assertThat(opaque.statusCode()).isEqualTo(403);
        assertThat(admin.get("/api/v1/me/tokens").body()).doesNotContain("forged");
    }

    @Test
    void theSameOriginAndNonBrowserClientsAreAllowed() {
        var sameOrigin = admin.postJson("/api/v1/me/tokens", Map.of("name", "same origin"), "Origin", ownOrigin());
        var sameOriginReferer = admin.postJson("/api/v1/me/tokens", Map.of("name", "same referer"), "Referer", ownOrigin() + "/tokens");
        var script = admin.postJson("/api/v1/me/tokens", Map.of("name", "no origin"));

        assertThat(sameOrigin.statusCode()).isEqualTo(201);
        assertThat(sameOriginReferer.statusCode()).isEqualTo(201);
        assertThat(script.statusCode()).isEqualTo(201);
    }

    @Test
    void aForgedSignInOrSignOutFormIsRefused() {
        var login = portal.browser().postJson("/api/v1/auth/login",
                Map.of("email", TestPortal.ADMIN_EMAIL, "password", TestPortal.ADMIN_PASSWORD), "Origin", "https://evil.example");

        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(admin.postJson("/logout", "", "Origin", "https://evil.example").statusCode()).isEqualTo(403);
        assertThat(admin.get("/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void readsAndTheScriptApiAreNotAffected() {
        assertThat(admin.get("/api/v1/me", "Origin", "https://evil.example").statusCode()).isEqualTo(200);
        var v1 = portal.browser().postJson("/v1/chat/completions", Map.of("model", "x"), "Origin", "https://evil.example");
        assertThat(v1.statusCode()).isEqualTo(401); // decided by the bearer check, not by origin
    }

    @Test
    void originsAreComparedAsBrowsersSendThem() {
        assertThat(SameOriginFilter.origin(java.net.URI.create("HTTPS://Gatehouse.Example.com:443/x?y"))).isEqualTo("https://gatehouse.example.com");
        assertThat(SameOriginFilter.origin(java.net.URI.create("http://127.0.0.1:8080/tokens"))).isEqualTo("http://127.0.0.1:8080");
    }
}
