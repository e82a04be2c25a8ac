package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.access.AccessPolicy;
import io.gatehouse.access.Invites;
import io.gatehouse.access.Role;
import io.gatehouse.access.RoleAssignments;
import io.gatehouse.access.RoleRepository;
import io.gatehouse.access.UserAdministration;
import io.gatehouse.auth.Caller;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserAccounts;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on against a real OpenID Connect provider (mock-oauth2-server on loopback): the browser's
 * redirects are followed by hand, the provider signs tokens with its own keys, and Gatehouse validates them
 * as it would Keycloak's. The provider "corp" comes from GATEHOUSE_OIDC_*, as on a headless install.
 */
class SsoSignInTest {

    private static final String ISSUER_ID = "corp-realm";
    private static final String CLIENT_SECRET = "corp-client-SECRET-7f3a9c";

    static MockOAuth2Server idp;
    static TestPortal portal;
    static UUID adminId;

    @BeforeAll
    static void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getLoopbackAddress(), 0);
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_OIDC_SLUG", "corp");
        env.put("GATEHOUSE_OIDC_DISPLAY_NAME", "Corp SSO");
        env.put("GATEHOUSE_OIDC_DISCOVERY_URL", idp.issuerUrl(ISSUER_ID).toString()); // the issuer: discovery is found under it
        env.put("GATEHOUSE_OIDC_CLIENT_ID", "gatehouse-test");
        env.put("GATEHOUSE_OIDC_CLIENT_SECRET", CLIENT_SECRET);
        env.put("GATEHOUSE_OIDC_GROUP_CLAIM", "groups");
        portal = TestPortal.start(env);
        portal.bean(AccessPolicy.class).addDomain("example.com");
        adminId = user(TestPortal.ADMIN_EMAIL).id();
        portal.admin(); // the admin sets up MFA once, as an admin must
    }

    /** The admin, as a service call made on their behalf sees them. */
    static Caller admin() {
        return new Caller(adminId, TestPortal.ADMIN_EMAIL, "Admin", true, Caller.Channel.SESSION, UUID.randomUUID(), Caller.Access.FULL);
    }

    @AfterAll
    static void stop() {
        portal.close();
        idp.shutdown();
    }

    @Test
    void newPersonInAnAllowedDomainWaitsForApprovalAndThenReachesTheChat() {
        SsoBrowser browser = browser();
        nextLogin("alice-sub", person("alice@example.com", true, List.of()));

        HttpResponse<String> callback = browser.signIn("corp", "next=" + encode("/tokens"));

        assertThat(callback.statusCode()).isEqualTo(303);
        assertThat(SsoBrowser.location(callback)).isEqualTo("/pending");
        assertThat(callback.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("gh_session=").contains("HTTPOnly").contains("SameSite=Lax"));
        User alice = user("alice@example.com");
        assertThat(alice.status()).isEqualTo(User.PENDING);
        assertThat(alice.displayName()).isEqualTo("Person alice");
        HttpResponse<String> chatBeforeApproval = browser.get("/");
        assertThat(chatBeforeApproval.statusCode()).isEqualTo(303);
        assertThat(SsoBrowser.location(chatBeforeApproval)).isEqualTo("/pending");

        portal.bean(UserAdministration.class).approve(admin(), alice.id(), List.of(role("Analyst")));

        HttpResponse<String> chat = browser.get("/");
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(chat.body()).contains("alice@example.com");
    }

    @Test
    void anApprovedPersonLandsWhereTheyWereGoing() {
        User bea = portal.bean(UserAccounts.class).createExternal("bea@example.com", "Bea", User.ACTIVE);
        SsoBrowser browser = browser();
        nextLogin("bea-sub", person("bea@example.com", true, List.of()));

        HttpResponse<String> callback = browser.signIn("corp", "next=" + encode("/tokens"));

        assertThat(SsoBrowser.location(callback)).isEqualTo("/tokens");
        assertThat(browser.get("/tokens").statusCode()).isEqualTo(200);
        assertThat(linkedUser("bea-sub")).isEqualTo(bea.id());
    }

    @Test
    void aCallbackWithAnotherStateIsRefusedAndOpensNoSession() {
        SsoBrowser browser = browser();
        String callback = browser.authorize(browser.start("corp", ""));

        HttpResponse<String> forged = browser.get(callback.replaceAll("state=[^&]+", "state=forged-state-value"));

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(forged.body()).contains("start again");
        assertThat(SsoBrowser.setCookieNames(forged)).doesNotContain("gh_session");
    }

    @Test
    void aCallbackWithoutTheBrowsersSignInCookieIsRefused() {
        SsoBrowser started = browser();
        String callback = started.authorize(started.start("corp", ""));

        HttpResponse<String> elsewhere = browser().get(callback); // same code and state, another browser

        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(SsoBrowser.setCookieNames(elsewhere)).doesNotContain("gh_session");
    }

    @Test
    void aReplayedCallbackIsRefused() {
        SsoBrowser browser = browser();
        nextLogin("cleo-sub", person("cleo@example.com", true, List.of()));
        String callback = browser.authorize(browser.start("corp", ""));
        String preLogin = browser.cookies.get("gh_sso");
        assertThat(browser.get(callback).statusCode()).isEqualTo(303);

        SsoBrowser attacker = browser();
        attacker.cookies.put("gh_sso", preLogin); // the very same cookie, code and state, sent again
        HttpResponse<String> replay = attacker.get(callback);

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("expired or was already completed");
        assertThat(SsoBrowser.setCookieNames(replay)).doesNotContain("gh_session");
    }

    @Test
    void aSignInLeftForMoreThanTenMinutesMustStartAgain() {
        SsoBrowser browser = browser();
        String callback = browser.authorize(browser.start("corp", ""));

        portal.clock.advance(Duration.ofMinutes(11));
        HttpResponse<String> late = browser.get(callback);

        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.body()).contains("start again");
    }

    @Test
    void theProvidersErrorIsShownAsAPageAndOpensNoSession() {
        SsoBrowser browser = browser();
        String authorization = browser.start("corp", "");
        String state = authorization.replaceAll(".*[?&]state=([^&]+).*", "$1");

        HttpResponse<String> denied = browser.get("/sso/corp/callback?error=access_denied&error_description=User+cancelled&state=" + state);

        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("Corp SSO did not sign you in (access_denied)");
        assertThat(SsoBrowser.setCookieNames(denied)).doesNotContain("gh_session");
    }

    @Test
    void anUnverifiedEmailIsRefusedAndNoAccountIsCreated() {
        nextLogin("dan-sub", person("dan@example.com", false, List.of()));

        HttpResponse<String> callback = browser().signIn("corp", "");

        assertThat(callback.statusCode()).isEqualTo(403);
        assertThat(callback.body()).contains("did not confirm your email address");
        assertThat(SsoBrowser.setCookieNames(callback)).doesNotContain("gh_session");
        assertThat(portal.bean(UserRepository.class).findByEmailIgnoreCase("dan@example.com")).isEmpty();
        assertThat(linkedUser("dan-sub")).isNull();
    }

    @Test
    void anEmailOutsideTheAllowedDomainsIsRefused() {
        nextLogin("eve-sub", person("eve@elsewhere.org", true, List.of()));

        HttpResponse<String> callback = browser().signIn("corp", "");

        assertThat(callback.statusCode()).isEqualTo(403);
        assertThat(callback.body()).contains("elsewhere.org addresses are not open for sign-up");
        assertThat(portal.bean(UserRepository.class).findByEmailIgnoreCase("eve@elsewhere.org")).isEmpty();
    }

    @Test
    void groupRolesAreGivenAtSignInAndTakenAwayWhenTheGroupIsGone() {
        WebSession admin = portal.admin();
        HttpResponse<String> mapped = admin.postJson("/api/v1/admin/group-mappings",
                Map.of("groupName", "gh-managers", "roleId", role("Manager").toString()));
        assertThat(mapped.statusCode()).isEqualTo(201);
        nextLogin("finn-sub", person("finn@example.com", true, List.of("gh-managers", "unmapped-group")));

        browser().signIn("corp", "");

        UUID finn = user("finn@example.com").id();
        assertThat(roleNames(finn)).containsExactly("Manager");

        nextLogin("finn-sub", person("finn@example.com", true, List.of("unmapped-group")));
        browser().signIn("corp", "");

        assertThat(roleNames(finn)).isEmpty();
    }

    @Test
    void aVerifiedEmailLinksTheIdentityToTheExistingAccount() {
        User gus = portal.bean(UserAccounts.class).createLocal("gus@example.com", "Gus", "a long enough passphrase 42", false);
        nextLogin("gus-sub", person("gus@example.com", true, List.of()));

        HttpResponse<String> callback = browser().signIn("corp", "");

        assertThat(SsoBrowser.location(callback)).isEqualTo("/");
        assertThat(linkedUser("gus-sub")).isEqualTo(gus.id());
        assertThat(portal.bean(UserRepository.class).findById(gus.id()).orElseThrow().status()).isEqualTo(User.ACTIVE);
    }

    @Test
    void anAdminLinkedByEmailStillOwesTheSecondFactor() {
        nextLogin("admin-sub", person(TestPortal.ADMIN_EMAIL, true, List.of()));
        SsoBrowser browser = browser();

        HttpResponse<String> callback = browser.signIn("corp", "next=" + encode("/admin/models"));

        assertThat(SsoBrowser.location(callback)).startsWith("/mfa");
        assertThat(browser.get("/api/v1/admin/identity-providers").statusCode()).isEqualTo(403);
    }

    @Test
    void anInviteMakesThePersonActiveAtOnceWithTheInvitesRoles() {
        Invites.CreatedInvite invite = portal.bean(Invites.class).create(admin(), "hana@partner.net", List.of(role("Analyst")), null);
        nextLogin("hana-sub", person("hana@partner.net", true, null));
        SsoBrowser browser = browser();

        HttpResponse<String> callback = browser.signIn("corp", "invite=" + encode(invite.token()));

        assertThat(SsoBrowser.location(callback)).isEqualTo("/");
        User hana = user("hana@partner.net");
        assertThat(hana.status()).isEqualTo(User.ACTIVE);
        assertThat(roleNames(hana.id())).containsExactly("Analyst");
        assertThat(browser.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void aDisabledPersonIsRefused() {
        User ivan = portal.bean(UserAccounts.class).createLocal("ivan@example.com", "Ivan", "a long enough passphrase 43", false);
        portal.bean(UserAdministration.class).disable(admin(), ivan.id());
        nextLogin("ivan-sub", person("ivan@example.com", true, List.of()));

        HttpResponse<String> callback = browser().signIn("corp", "");

        assertThat(callback.statusCode()).isEqualTo(403);
        assertThat(callback.body()).contains("Your account is disabled");
        assertThat(SsoBrowser.setCookieNames(callback)).doesNotContain("gh_session");
    }

    @Test
    void unknownAndDisabledProvidersAreRefused() {
        WebSession admin = portal.admin();
        HttpResponse<String> created = admin.postJson("/api/v1/admin/identity-providers", Map.of("slug", "dormant",
                "displayName", "Dormant", "kind", "OIDC", "discoveryUrl", idp.issuerUrl("dormant").toString(), "clientId", "x"));
        String id = WebSession.parse(created.body()).path("id").asText();
        assertThat(admin.postJson("/api/v1/admin/identity-providers/" + id + "/disable", Map.of()).statusCode()).isEqualTo(200);

        HttpResponse<String> unknown = browser().get("/sso/nobody/start");
        HttpResponse<String> disabled = browser().get("/sso/dormant/start");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(disabled.statusCode()).isEqualTo(403);
        assertThat(disabled.body()).contains("Sign-in with Dormant is switched off");
        assertThat(browser().get("/login").body()).contains("Sign in with Corp SSO").doesNotContain("Dormant");
    }

    @Test
    void anEditTakesEffectAtTheNextSignIn() {
        WebSession admin = portal.admin();
        Map<String, Object> form = new HashMap<>(Map.of("slug", "second", "displayName", "Second", "kind", "OIDC",
                "discoveryUrl", idp.issuerUrl("second").toString(), "clientId", "first-client", "clientSecret", "second-SECRET",
                "scopes", "openid email"));
        String id = WebSession.parse(admin.postJson("/api/v1/admin/identity-providers", form).body()).path("id").asText();
        assertThat(browser().start("second", "")).contains("client_id=first-client").contains("scope=openid%20email&");

        form.put("clientId", "second-client");
        form.put("clientSecret", "");
        form.put("scopes", "openid email profile groups");
        assertThat(admin.putJson("/api/v1/admin/identity-providers/" + id, form).statusCode()).isEqualTo(200);

        assertThat(browser().start("second", "")).contains("client_id=second-client").contains("scope=openid%20email%20profile%20groups");
    }

    @Test
    void theDiscoveryDocumentIsReadOnceNotAtEverySignIn() {
        browser().start("corp", ""); // the client exists and has read the document
        drainIdpRequests();

        for (String who : List.of("jack", "kate")) {
            nextLogin(who + "-sub", person(who + "@example.com", true, List.of()));
            assertThat(browser().signIn("corp", "").statusCode()).isEqualTo(303);
        }

        List<String> seen = drainIdpRequests();
        assertThat(seen).contains("POST /" + ISSUER_ID + "/token").noneMatch(r -> r.contains(".well-known"));
    }

    @Test
    void theSignInPageOffersTheProviderAndPassesNextThrough() {
        HttpResponse<String> login = browser().get("/login?next=" + encode("/c/123"));

        assertThat(login.body()).contains("Sign in with Corp SSO").contains("href=\"/sso/corp/start?next=/c/123\"")
                .contains("id=\"password\"");
    }

    @Test
    void theStartCookieIsHttpOnlyLaxAndScopedToSso() {
        HttpResponse<String> start = browser().get("/sso/corp/start");

        assertThat(start.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("gh_sso=")
                .contains("HTTPOnly").contains("SameSite=Lax").contains("Path=/sso").contains("Max-Age=600"));
        String location = SsoBrowser.location(start);
        assertThat(location).startsWith(idp.authorizationEndpointUrl(ISSUER_ID).toString())
                .contains("response_type=code").contains("response_mode=query").contains("code_challenge_method=S256")
                .contains("nonce=").contains("state=").contains("client_id=gatehouse-test")
                .contains("redirect_uri=" + encode(portal.baseUrl() + "/sso/corp/callback"))
                .contains("scope=openid%20email%20profile");
    }

    @Test
    void theClientSecretIsSealedInTheDatabase() throws Exception {
        try (Connection sql = portal.sql();
             PreparedStatement query = sql.prepareStatement("select * from identity_providers where slug = 'corp'");
             ResultSet row = query.executeQuery()) {
            assertThat(row.next()).isTrue();
            byte[] cipher = row.getBytes("client_secret_cipher");
            assertThat(cipher).isNotNull();
            assertThat(new String(cipher, StandardCharsets.ISO_8859_1)).doesNotContain(CLIENT_SECRET);
            for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                assertThat(String.valueOf(row.getString(column))).doesNotContain(CLIENT_SECRET);
            }
        }
        assertThat(portal.admin().get("/api/v1/admin/identity-providers").body()).contains("\"hasClientSecret\":true")
                .doesNotContain(CLIENT_SECRET);
    }

    @Test
    void codesSecretsAndCookiesNeverReachTheLog() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> secrets = new ArrayList<>(List.of(CLIENT_SECRET));
        try {
            SsoBrowser browser = browser();
            nextLogin("log-sub", person("logs@example.com", true, List.of()));
            String callback = browser.authorize(browser.start("corp", ""));
            secrets.add(browser.cookies.get("gh_sso"));
            secrets.add(callback.replaceAll(".*[?&]code=([^&]+).*", "$1"));
            browser.get(callback);
            secrets.add(browser.cookies.get("gh_session"));
            SsoBrowser replayer = browser();
            replayer.cookies.put("gh_sso", secrets.get(1));
            replayer.get(callback);
            SsoBrowser forger = browser();
            forger.get(forger.authorize(forger.start("corp", "")).replaceAll("state=[^&]+", "state=x"));
        } finally {
            root.detachAppender(captured);
        }

        assertThat(captured.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("sso:corp"));
        for (ILoggingEvent event : captured.list) {
            for (String secret : secrets) {
                assertThat(event.getFormattedMessage()).as("log line from %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
    }

    /** What the provider was asked since the last call ("GET /corp-realm/jwks" ...). */
    private static List<String> drainIdpRequests() {
        List<String> requests = new ArrayList<>();
        while (true) {
            try {
                var request = idp.takeRequest(200, TimeUnit.MILLISECONDS);
                requests.add(request.getMethod() + " " + request.getPath().replaceAll("\\?.*", ""));
            } catch (RuntimeException noMoreWithinTimeout) {
                return requests;
            }
        }
    }

    private static SsoBrowser browser() {
        return new SsoBrowser(portal.baseUrl());
    }

    /** What the provider asserts at the next token request. */
    private static void nextLogin(String subject, Map<String, Object> claims) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", null, claims, 3600));
    }

    private static Map<String, Object> person(String email, boolean verified, List<String> groups) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("email", email);
        claims.put("email_verified", verified);
        claims.put("name", "Person " + email.substring(0, email.indexOf('@')));
        if (groups != null) {
            claims.put("groups", groups);
        }
        return claims;
    }

    private static User user(String email) {
        return portal.bean(UserRepository.class).findByEmailIgnoreCase(email).orElseThrow();
    }

    private static UUID role(String name) {
        return portal.bean(RoleRepository.class).findByNameIgnoreCase(name).orElseThrow().id();
    }

    private static List<String> roleNames(UUID userId) {
        return portal.bean(RoleAssignments.class).rolesOf(userId).stream().map(Role::name).sorted().toList();
    }

    private static UUID linkedUser(String subject) {
        try (Connection sql = portal.sql();
             PreparedStatement query = sql.prepareStatement("select user_id from external_identities where subject = ?")) {
            query.setString(1, subject);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getObject(1, UUID.class) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
