package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deny by default: every route needs a caller, admin routes need an admin, and errors keep their shape. */
class AccessTest {

    static TestPortal portal;
    static WebSession member;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        portal.bean(UserAccounts.class).createLocal("member@example.test", "Member", "member's long passphrase", false);
        member = portal.signedIn("member@example.test", "member's long passphrase");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/me", "/api/v1/me/tokens", "/api/v1/me/sessions", "/api/v1/conversations", "/api/v1/admin/providers",
            "/api/v1/admin/connectors", "/api/v1/admin/connector-kinds",
            "/api/v1/admin/provider-kinds", "/api/v1/does-not-exist"})
    void apiRoutesAnswer401ProblemWithoutASession(String path) {
        var response = portal.browser().get(path);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(WebSession.parse(response.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:unauthenticated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/tokens", "/sessions", "/admin/models", "/admin/connectors", "/c/00000000-0000-0000-0000-000000000000"})
    void pagesRedirectToSignInWithoutASession(String path) {
        var response = portal.browser().get(path, "Accept", "text/html");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith("/login?next=");
    }

    @Test
    void membersGet403OnAdminRoutes() {
        var api = member.get("/api/v1/admin/providers");
        var create = member.postJson("/api/v1/admin/providers", Map.of("name", "x"));
        var page = member.get("/admin/models", "Accept", "text/html");

        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(WebSession.parse(api.body()).path("type").asText()).isEqualTo("urn:gatehouse:problem:forbidden");
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("for administrators");
    }

    @Test
    void membersDoNotSeeTheModelsLinkButAdminsDo() {
        var memberPage = member.get("/", "Accept", "text/html");
        assertThat(memberPage.statusCode()).isEqualTo(200);
        assertThat(memberPage.body()).contains("member@example.test").doesNotContain("href=\"/admin/models\"");
        assertThat(portal.admin().get("/", "Accept", "text/html").body()).contains("href=\"/admin/models\"");
    }

    @Test
    void aPublicPrefixCannotBeUsedToReachAProtectedRoute() {
        var response = portal.browser().get("/static/../api/v1/admin/providers");

        assertThat(response.statusCode()).isIn(400, 404);
        assertThat(response.body()).doesNotContain("\"baseUrl\"");
    }

    @Test
    void publicRoutesNeedNoSession() {
        assertThat(portal.browser().get("/login").statusCode()).isEqualTo(200);
        assertThat(portal.browser().get("/static/app.css").statusCode()).isEqualTo(200);
        assertThat(portal.browser().get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (var response : new java.net.http.HttpResponse<?>[] {
                portal.browser().get("/login"), portal.browser().get("/api/v1/me"), member.get("/api/v1/admin/providers")}) {
            var headers = response.headers();
            assertThat(headers.firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'").doesNotContain("unsafe-inline");
            assertThat(headers.firstValue("X-Frame-Options")).contains("DENY");
            assertThat(headers.firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(headers.firstValue("Referrer-Policy")).contains("strict-origin-when-cross-origin");
            assertThat(headers.firstValue("Permissions-Policy")).isPresent();
        }
    }

    @Test
    void hstsOnlyWhenServedOverTlsBehindTheProxy() {
        assertThat(portal.browser().get("/login").headers().firstValue("Strict-Transport-Security")).isEmpty();
        var overTls = portal.browser().get("/login", "X-Forwarded-Proto", "https");
        assertThat(overTls.headers().firstValue("Strict-Transport-Security").orElseThrow()).contains("max-age=31536000");
        var errorOverTls = portal.browser().get("/no/such/page", "X-Forwarded-Proto", "https", "Accept", "text/html");
        assertThat(errorOverTls.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(errorOverTls.headers().firstValue("Content-Security-Policy")).isPresent();
    }

    @Test
    void malformedJsonGetsA400ProblemThatSaysSo() {
        var response = portal.admin().postJson("/api/v1/admin/providers", "{not json");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(response.body()).path("detail").asText()).contains("JSON");
    }
}
