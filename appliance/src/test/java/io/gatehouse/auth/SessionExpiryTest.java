package io.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SessionExpiryTest {

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start(Map.of("GATEHOUSE_SESSION_IDLE_TIMEOUT", "30m", "GATEHOUSE_SESSION_ABSOLUTE_TIMEOUT", "2h"));
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void sessionEndsAfterThirtyIdleMinutes() {
        WebSession browser = portal.admin();
        portal.clock.advance(Duration.ofMinutes(29));
        assertThat(browser.get("/api/v1/me").statusCode()).isEqualTo(200);

        portal.clock.advance(Duration.ofMinutes(30).plusSeconds(1));

        assertThat(browser.get("/api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void activityKeepsTheSessionAliveUntilTheAbsoluteLimit() {
        WebSession browser = portal.admin();
        for (int i = 0; i < 5; i++) {
            portal.clock.advance(Duration.ofMinutes(20));
            assertThat(browser.get("/api/v1/me").statusCode()).as("after %d minutes", (i + 1) * 20).isEqualTo(200);
        }
        portal.clock.advance(Duration.ofMinutes(20)); // 2h since sign-in: the absolute limit

        assertThat(browser.get("/api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void anExpiredSessionIsDeletedAndItsPageRequestGoesToSignIn() throws Exception {
        WebSession browser = portal.admin();
        portal.clock.advance(Duration.ofHours(3));

        var page = browser.get("/", "Accept", "text/html");

        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location").orElseThrow()).isEqualTo("/login?next=%2F");
        String cookie = browser.cookies().getCookieStore().getCookies().getFirst().getValue();
        try (var sql = portal.sql(); var q = sql.prepareStatement("select count(*) from sessions where token_hash = ?")) {
            q.setBytes(1, OpaqueTokens.hash(cookie));
            ResultSet rs = q.executeQuery();
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void thePurgeJobDeletesSessionsPastTheirIdleTimeout() throws Exception {
        portal.admin();
        portal.clock.advance(Duration.ofMinutes(31));

        int removed = portal.bean(SessionService.class).purgeExpired();

        assertThat(removed).isPositive();
        try (var sql = portal.sql(); var rs = sql.createStatement().executeQuery("select count(*) from sessions")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void revokingAllSessionsOfAUserSignsOutEveryBrowserAtOnce() {
        WebSession first = portal.admin();
        WebSession second = portal.admin();
        var me = WebSession.parse(first.get("/api/v1/me").body());

        portal.bean(SessionService.class).endAllOf(java.util.UUID.fromString(me.path("id").asText()));

        assertThat(first.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(second.get("/api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void theSessionCookieValueIsNotStoredInTheDatabase() throws Exception {
        WebSession browser = portal.admin();
        String cookie = browser.cookies().getCookieStore().getCookies().getFirst().getValue();

        try (var sql = portal.sql(); var rows = sql.createStatement().executeQuery("select * from sessions")) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int c = 1; c <= columns; c++) {
                    assertThat(String.valueOf(rows.getObject(c))).doesNotContain(cookie);
                }
            }
        }
    }
}
