package io.gatehouse.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deny by default: who may ask for an account, and what an invite allows. */
class SignUpRulesTest {

    private static final String PASSWORD = "a long and unusual passphrase";
    private static TestPortal portal;
    private static WebSession admin;

    @BeforeAll
    static void start() {
        // The test's requests stand in for a reverse proxy's: each test signs up from its own address.
        portal = TestPortal.start(Map.of("GATEHOUSE_TRUSTED_PROXIES", "127.0.0.1/32,::1"));
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @BeforeEach
    void defaults() {
        admin = portal.admin(); // a test moves the clock by days, past any earlier session
        admin.putJson("/api/v1/admin/access", Map.of("localSignup", false, "inviteOnly", false));
    }

    private static HttpResponse<String> signUp(String email, String invite, String ip) {
        Map<String, String> form = invite == null ? Map.of("email", email, "password", PASSWORD)
                : Map.of("email", email, "password", PASSWORD, "invite", invite);
        return portal.browser().postJson("/api/v1/auth/signup", form, "X-Forwarded-For", "198.51.100.77, " + ip);
    }

    private static String detail(HttpResponse<String> response) {
        return WebSession.parse(response.body()).path("detail").asText();
    }

    private static String invite(String email, List<String> roleIds) {
        HttpResponse<String> created = admin.postJson("/api/v1/admin/invites", Map.of("email", email, "roleIds", roleIds));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String link = WebSession.parse(created.body()).path("link").asText();
        assertThat(link).startsWith(portal.baseUrl() + "/invite?token=");
        return URI.create(link).getQuery().substring("token=".length());
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
    void passwordSignUpIsOffUntilAnAdminTurnsItOn() {
        HttpResponse<String> refused = signUp("first@acme.test", null, "10.0.0.1");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(detail(refused)).contains("turned off");
        assertThat(portal.browser().get("/signup", "Accept", "text/html").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyAllowedDomainsMaySignUpAndAnEmptyListMeansNobody() {
        admin.putJson("/api/v1/admin/access", Map.of("localSignup", true, "inviteOnly", false));

        HttpResponse<String> noDomains = signUp("someone@elsewhere.test", null, "10.0.0.2");
        assertThat(noDomains.statusCode()).isEqualTo(403);
        assertThat(detail(noDomains)).contains("elsewhere.test").contains("not open for sign-up");

        admin.postJson("/api/v1/admin/access/domains", Map.of("domain", "Allowed.Test"));
        assertThat(signUp("someone@allowed.test", null, "10.0.0.2").statusCode()).isEqualTo(201);
        assertThat(signUp("someone@sub.allowed.test", null, "10.0.0.2").statusCode()).isEqualTo(403);
    }

    @Test
    void inviteOnlyRefusesEveryoneWithoutAnInvite() {
        admin.putJson("/api/v1/admin/access", Map.of("localSignup", true, "inviteOnly", true));
        admin.postJson("/api/v1/admin/access/domains", Map.of("domain", "acme.test"));

        HttpResponse<String> refused = signUp("new@acme.test", null, "10.0.0.3");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(detail(refused)).contains("invite-only");
    }

    @Test
    void anInviteMakesTheInviteeActiveAtOnceWithItsRolesAndWorksOnce() {
        admin.putJson("/api/v1/admin/access", Map.of("localSignup", false, "inviteOnly", true));
        String token = invite("guest@partner.test", List.of(roleId("Manager")));
        assertThat(portal.browser().get("/invite?token=" + token, "Accept", "text/html").body()).contains("guest@partner.test");

        HttpResponse<String> wrongEmail = signUp("other@partner.test", token, "10.0.0.4");
        assertThat(wrongEmail.statusCode()).isEqualTo(403);
        assertThat(detail(wrongEmail)).contains("another email address");

        HttpResponse<String> accepted = signUp("guest@partner.test", token, "10.0.0.4");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        assertThat(WebSession.parse(accepted.body()).path("status").asText()).isEqualTo("ACTIVE");
        WebSession guest = portal.signedIn("guest@partner.test", PASSWORD);
        assertThat(WebSession.parse(guest.get("/api/v1/me").body()).path("access").asText()).isEqualTo("FULL");
        JsonNode user = WebSession.parse(admin.get("/api/v1/admin/users?q=guest@partner.test").body()).get(0);
        assertThat(user.path("roles").asText()).isEqualTo("Manager");

        HttpResponse<String> reused = signUp("guest@partner.test", token, "10.0.0.4");
        assertThat(reused.statusCode()).isEqualTo(403);
        assertThat(detail(reused)).contains("invalid, expired or already used");
        assertThat(portal.browser().get("/invite?token=" + token, "Accept", "text/html").statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredOrWithdrawnInviteIsRefused() {
        String expiring = invite("late@partner.test", List.of());
        portal.clock.advance(Duration.ofDays(8));
        assertThat(signUp("late@partner.test", expiring, "10.0.0.5").statusCode()).isEqualTo(403);
        admin = portal.admin();

        String withdrawn = invite("gone@partner.test", List.of());
        String id = WebSession.parse(admin.get("/api/v1/admin/invites").body()).findParents("email").stream()
                .filter(n -> n.path("email").asText().equals("gone@partner.test")).findFirst().orElseThrow().path("id").asText();
        assertThat(admin.delete("/api/v1/admin/invites/" + id).statusCode()).isEqualTo(204);
        assertThat(signUp("gone@partner.test", withdrawn, "10.0.0.5").statusCode()).isEqualTo(403);
    }

    @Test
    void signUpTriesFromOneAddressAreLimited() {
        admin.putJson("/api/v1/admin/access", Map.of("localSignup", true, "inviteOnly", false));
        for (int i = 0; i < SignUp.MAX_PER_IP; i++) {
            assertThat(signUp("spray" + i + "@nowhere.test", null, "10.0.0.9").statusCode()).isEqualTo(403);
        }
        HttpResponse<String> limited = signUp("spray-last@nowhere.test", null, "10.0.0.9");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void adminInputIsValidatedWithAClearMessage() {
        HttpResponse<String> badDomain = admin.postJson("/api/v1/admin/access/domains", Map.of("domain", "https://acme.test/"));
        assertThat(badDomain.statusCode()).isEqualTo(400);
        assertThat(WebSession.parse(badDomain.body()).path("field").asText()).isEqualTo("domain");
        HttpResponse<String> badInvite = admin.postJson("/api/v1/admin/invites", Map.of("email", "not-an-email"));
        assertThat(badInvite.statusCode()).isEqualTo(400);
        HttpResponse<String> badSettings = admin.putJson("/api/v1/admin/access", Map.of("localSignup", true));
        assertThat(badSettings.statusCode()).isEqualTo(400);
    }
}
