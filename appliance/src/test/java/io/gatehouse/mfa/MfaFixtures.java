package io.gatehouse.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/** Small steps the MFA tests share: people, password-only sign-ins, and reading answers. */
final class MfaFixtures {

    static final String PASSWORD = "a long enough passphrase for tests";

    private MfaFixtures() {
    }

    /** A new active account with a unique email; returns the email. */
    static String person(TestPortal portal, String name, boolean admin) {
        String email = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        portal.bean(UserAccounts.class).createLocal(email, name, PASSWORD, admin);
        return email;
    }

    /** A person with TOTP set up through the portal's authenticator; returns their recovery codes. */
    static JsonNode enrolled(TestPortal portal, String email) {
        JsonNode confirmed = portal.authenticator.enrol(portal.signedIn(email, PASSWORD), email);
        assertThat(confirmed.path("recoveryCodes")).hasSize(10);
        return confirmed.path("recoveryCodes");
    }

    /** The password step only: the session is left at whatever stage the sign-in put it. */
    static WebSession passwordOnly(TestPortal portal, String email, String expectedAccess) {
        WebSession session = portal.browser();
        HttpResponse<String> login = session.postJson("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(json(login).path("access").asText()).isEqualTo(expectedAccess);
        return session;
    }

    static JsonNode json(HttpResponse<String> response) {
        return WebSession.parse(response.body());
    }

    static String problemType(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        return json(response).path("type").asText().replace("urn:gatehouse:problem:", "");
    }

    static String sessionCookie(WebSession session) {
        return session.cookies().getCookieStore().getCookies().stream().filter(c -> c.getName().equals("gh_session"))
                .findFirst().orElseThrow().getValue();
    }

    static UUID idOf(WebSession session) {
        return UUID.fromString(json(session.get("/api/v1/me")).path("id").asText());
    }
}
