package io.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoginTest {

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
    void correctPasswordSetsAnHttpOnlyLaxSessionCookie() {
        WebSession browser = portal.browser();

        HttpResponse<String> login = browser.postJson("/api/v1/auth/login",
                Map.of("email", TestPortal.ADMIN_EMAIL, "password", TestPortal.ADMIN_PASSWORD));

        assertThat(login.statusCode()).isEqualTo(200);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("gh_session=").contains("HTTPOnly").contains("SameSite=Lax").contains("Path=/")
                .doesNotContain("Secure");
        assertThat(WebSession.parse(login.body()).path("admin").asBoolean()).isTrue();
        assertThat(browser.get("/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void cookieIsSecureWhenTheRequestCameOverTls() {
        HttpResponse<String> login = portal.browser().postJson("/api/v1/auth/login",
                Map.of("email", TestPortal.ADMIN_EMAIL, "password", TestPortal.ADMIN_PASSWORD), "X-Forwarded-Proto", "https");

        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure");
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameGeneric401AndNoSession() {
        HttpResponse<String> wrong = portal.browser().postJson("/api/v1/auth/login",
                Map.of("email", TestPortal.ADMIN_EMAIL, "password", "not-the-password-at-all"));
        HttpResponse<String> unknown = portal.browser().postJson("/api/v1/auth/login",
                Map.of("email", "nobody-" + System.nanoTime() + "@example.test", "password", "not-the-password-at-all"));

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(WebSession.parse(wrong.body()).path("detail").asText())
                .isEqualTo(WebSession.parse(unknown.body()).path("detail").asText())
                .isEqualTo("The email or password is not correct.");
        assertThat(wrong.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    @Test
    void repeatedBadPasswordsLockTheAccountWith429AndRetryAfterUntilTheWindowPasses() {
        String email = "locked-" + System.nanoTime() + "@example.test";
        portal.bean(UserAccounts.class).createLocal(email, "Locked", "a perfectly fine passphrase", false);

        for (int i = 0; i < LoginThrottle.MAX_FAILURES_PER_ACCOUNT; i++) {
            assertThat(portal.browser().postJson("/api/v1/auth/login", Map.of("email", email, "password", "wrong guess number " + i))
                    .statusCode()).isEqualTo(401);
            portal.clock.advance(java.time.Duration.ofSeconds(60)); // past the progressive delay
        }
        HttpResponse<String> locked = portal.browser().postJson("/api/v1/auth/login",
                Map.of("email", email, "password", "a perfectly fine passphrase"));

        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, LoginThrottle.WINDOW.toSeconds());

        portal.clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        assertThat(portal.browser().postJson("/api/v1/auth/login", Map.of("email", email, "password", "a perfectly fine passphrase"))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void afterAFewFailuresEachTryMustWaitLongerBeforeTheLock() {
        String email = "slowed-" + System.nanoTime() + "@example.test";
        portal.bean(UserAccounts.class).createLocal(email, "Slowed", "a perfectly fine passphrase", false);
        for (int i = 0; i < LoginThrottle.DELAY_AFTER; i++) {
            assertThat(portal.browser().postJson("/api/v1/auth/login", Map.of("email", email, "password", "wrong " + i))
                    .statusCode()).isEqualTo(401);
        }

        HttpResponse<String> tooSoon = portal.browser().postJson("/api/v1/auth/login", Map.of("email", email, "password", "wrong again"));
        assertThat(tooSoon.statusCode()).isEqualTo(429);
        assertThat(tooSoon.headers().firstValue("Retry-After").orElseThrow()).isEqualTo("1");

        portal.clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(portal.browser().postJson("/api/v1/auth/login", Map.of("email", email, "password", "wrong again"))
                .statusCode()).isEqualTo(401);
        HttpResponse<String> longer = portal.browser().postJson("/api/v1/auth/login", Map.of("email", email, "password", "x"));
        assertThat(longer.statusCode()).isEqualTo(429);
        assertThat(longer.headers().firstValue("Retry-After").orElseThrow()).isEqualTo("2");
    }

    @Test
    void logoutDeletesTheSessionSoTheOldCookieNoLongerWorks() {
        WebSession browser = portal.admin();
        String cookie = browser.cookies().getCookieStore().getCookies().getFirst().getValue();

        assertThat(browser.postJson("/api/v1/auth/logout", Map.of()).statusCode()).isEqualTo(204);

        HttpResponse<String> replay = portal.browser().get("/api/v1/me", "Cookie", "gh_session=" + cookie);
        assertThat(replay.statusCode()).isEqualTo(401);
    }

    @Test
    void browserFormLoginRedirectsOnlyToLocalPaths() {
        HttpResponse<String> evil = portal.browser().postForm("/login",
                Map.of("email", TestPortal.ADMIN_EMAIL, "password", TestPortal.ADMIN_PASSWORD, "next", "//evil.example/phish"));
        HttpResponse<String> local = portal.browser().postForm("/login",
                Map.of("email", TestPortal.ADMIN_EMAIL, "password", TestPortal.ADMIN_PASSWORD, "next", "/tokens"));

        assertThat(evil.statusCode()).isEqualTo(303);
        assertThat(evil.headers().firstValue("Location").orElseThrow()).isEqualTo("/");
        assertThat(local.headers().firstValue("Location").orElseThrow()).isEqualTo("/tokens");
    }

    @Test
    void wrongPasswordOnTheFormShowsTheSignInPageAgainWithTheMessage() {
        HttpResponse<String> page = portal.browser().postForm("/login",
                Map.of("email", TestPortal.ADMIN_EMAIL, "password", "nope nope nope nope", "next", "/"));

        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("The email or password is not correct.").contains("value=\"admin@example.test\"");
    }
}
