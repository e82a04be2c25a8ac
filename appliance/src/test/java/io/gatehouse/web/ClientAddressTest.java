package io.gatehouse.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The address recorded for a session is the client's, read from X-Forwarded-For only through trusted proxies. */
class ClientAddressTest {

    private static final String EMAIL = "traveller@example.test";
    private static final String PASSWORD = "a long and unusual passphrase";

    private static TestPortal withMember(TestPortal portal) {
        portal.bean(io.gatehouse.auth.UserAccounts.class).createLocal(EMAIL, null, PASSWORD, false);
        return portal;
    }

    private static String sessionIp(TestPortal portal, String... forwardedFor) {
        WebSession browser = portal.browser();
        String[] headers = forwardedFor.length == 0 ? new String[0] : new String[] {"X-Forwarded-For", forwardedFor[0]};
        var login = browser.postJson("/api/v1/auth/login",
                Map.of("email", EMAIL, "password", PASSWORD), headers);
        assertThat(login.statusCode()).isEqualTo(200);
        JsonNode sessions = WebSession.parse(browser.get("/api/v1/me/sessions").body());
        for (JsonNode s : sessions) {
            if (s.path("current").asBoolean()) {
                return s.path("ip").asText();
            }
        }
        throw new AssertionError("no current session");
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        try (TestPortal portal = withMember(TestPortal.start())) {
            assertThat(sessionIp(portal, "198.51.100.7")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
        try (TestPortal portal = withMember(TestPortal.start(Map.of("GATEHOUSE_TRUSTED_PROXIES", "127.0.0.1/32, 10.0.0.0/8")))) {
            assertThat(sessionIp(portal, "198.51.100.7")).isEqualTo("198.51.100.7");
            // A client-written entry on the left cannot win: the proxy appended the real address.
            assertThat(sessionIp(portal, "1.2.3.4, 198.51.100.8")).isEqualTo("198.51.100.8");
            // A chain of trusted proxies is walked through.
            assertThat(sessionIp(portal, "198.51.100.9, 10.1.2.3")).isEqualTo("198.51.100.9");
            // Garbage is not an address; the proxy itself is the best we can vouch for.
            assertThat(sessionIp(portal, "not-an-ip")).isEqualTo("127.0.0.1");
        }
    }
}
