package io.gatehouse.sso;

import io.gatehouse.testing.AuditedRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.access.AccessPolicy;
import io.gatehouse.access.RoleRepository;
import io.gatehouse.auth.AuditRows;
import io.gatehouse.auth.User;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on in the audit trail: who signed in through which provider, who was refused and why, roles that came
 * from groups, and every change to the providers, never with a client secret.
 */
class SsoAuditTest {

    private static final String ISSUER_ID = "audit-realm";
    private static final String CLIENT_SECRET = "audit-client-SECRET-51c2e8";

    static MockOAuth2Server idp;
    static TestPortal portal;
    static WebSession admin;
    static AuditRows audit;

    @BeforeAll
    static void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getLoopbackAddress(), 0);
        Map<String, String> env = new HashMap<>();
        env.put("GATEHOUSE_OIDC_SLUG", "corp");
        env.put("GATEHOUSE_OIDC_DISCOVERY_URL", idp.issuerUrl(ISSUER_ID).toString());
        env.put("GATEHOUSE_OIDC_CLIENT_ID", "gatehouse-audit");
        env.put("GATEHOUSE_OIDC_CLIENT_SECRET", CLIENT_SECRET);
        env.put("GATEHOUSE_OIDC_GROUP_CLAIM", "groups");
        portal = TestPortal.start(env);
        portal.bean(AccessPolicy.class).addDomain("example.com");
        admin = portal.admin();
        audit = new AuditRows(portal);
    }

    @AfterAll
    static void stop() {
        portal.close();
        idp.shutdown();
    }

    @Test
    void theProviderFromTheEnvironmentIsRecordedWithoutItsSecret() {
        AuditedRows.Row created = audit.only(0, "identity_provider.created");

        assertThat(created.actorId()).isNull();
        assertThat(created.detail("source")).isEqualTo("environment");
        assertThat(created.detail("slug")).isEqualTo("corp");
        assertThat(created.details().path("settings").path("client_secret_set").asBoolean()).isTrue();
        assertThat(audit.containing(CLIENT_SECRET)).isZero();
    }

    @Test
    void aNewPersonsSignInRecordsTheSignUpTheGroupRolesAndTheSignIn() {
        HttpResponse<String> mapped = admin.postJson("/api/v1/admin/group-mappings", Map.of("groupName", "gh-analysts", "roleId", role("Analyst")));
        assertThat(mapped.statusCode()).isEqualTo(201);
        long mark = audit.mark();
        nextLogin("olga-sub", person("olga@example.com", true, List.of("gh-analysts")));

        HttpResponse<String> callback = browser().signIn("corp", "");

        assertThat(callback.statusCode()).isEqualTo(303);
        User olga = portal.bean(UserRepository.class).findByEmailIgnoreCase("olga@example.com").orElseThrow();
        AuditedRows.Row signedUp = audit.only(mark, "user.signed_up").from(callback);
        assertThat(signedUp.actorId()).isEqualTo(olga.id());
        assertThat(signedUp.targetId()).isEqualTo(olga.id().toString());
        assertThat(signedUp.detail("method")).isEqualTo("sso:corp");
        assertThat(signedUp.detail("subject")).isEqualTo("olga-sub");
        assertThat(signedUp.detail("status")).isEqualTo("PENDING");
        AuditedRows.Row groupRoles = audit.only(mark, "user.roles_changed").from(callback);
        assertThat(groupRoles.detail("source")).isEqualTo("GROUP");
        assertThat(groupRoles.details().path("added").findValuesAsText("name")).containsExactly("Analyst");
        AuditedRows.Row signIn = audit.only(mark, "auth.sign_in").from(callback);
        assertThat(signIn.outcome()).isEqualTo("SUCCESS");
        assertThat(signIn.actorId()).isEqualTo(olga.id());
        assertThat(signIn.actorEmail()).isEqualTo("olga@example.com");
        assertThat(signIn.targetId()).isEqualTo(olga.id().toString());
        assertThat(signIn.detail("method")).isEqualTo("sso:corp");

        long again = audit.mark();
        nextLogin("olga-sub", person("olga@example.com", true, List.of("gh-analysts")));
        browser().signIn("corp", "");
        assertThat(audit.since(again, "user.roles_changed")).as("unchanged group roles are not a change").isEmpty();
        assertThat(audit.since(again, "auth.sign_in")).hasSize(1);
    }

    @Test
    void anUnverifiedEmailIsADeniedSignInWithItsReason() {
        long mark = audit.mark();
        nextLogin("mallory-sub", person("mallory@example.com", false, List.of()));

        HttpResponse<String> callback = browser().signIn("corp", "");

        assertThat(callback.statusCode()).isEqualTo(403);
        AuditedRows.Row refused = audit.only(mark, "auth.sign_in").from(callback);
        assertThat(refused.outcome()).isEqualTo("DENIED");
        assertThat(refused.actorId()).isNull();
        assertThat(refused.actorEmail()).isEqualTo("mallory@example.com");
        assertThat(refused.detail("reason")).isEqualTo("unverified_email");
        assertThat(refused.detail("method")).isEqualTo("sso:corp");
        assertThat(refused.detail("subject")).isEqualTo("mallory-sub");
        assertThat(audit.since(mark, "user.signed_up")).isEmpty();
    }

    @Test
    void aForgedAnswerIsADeniedSignInWithItsReason() {
        long mark = audit.mark();
        SsoBrowser browser = browser();
        String callback = browser.authorize(browser.start("corp", ""));

        HttpResponse<String> forged = browser.get(callback.replaceAll("state=[^&]+", "state=forged-state-value"));

        assertThat(forged.statusCode()).isEqualTo(400);
        AuditedRows.Row refused = audit.only(mark, "auth.sign_in").from(forged);
        assertThat(refused.outcome()).isEqualTo("DENIED");
        assertThat(refused.detail("reason")).isEqualTo("state_mismatch");
        assertThat(audit.containing(callback.replaceAll(".*[?&]code=([^&]+).*", "$1"))).as("the code is not stored").isZero();
    }

    @Test
    void providerChangesAreRecordedWithWhatChangedAndNeverTheSecret() {
        long mark = audit.mark();
        Map<String, Object> form = new HashMap<>(Map.of("slug", "partner", "displayName", "Partner", "kind", "OIDC",
                "discoveryUrl", idp.issuerUrl("partner").toString(), "clientId", "partner-client", "clientSecret", "partner-SECRET-1"));
        HttpResponse<String> created = admin.postJson("/api/v1/admin/identity-providers", form);
        String id = WebSession.parse(created.body()).path("id").asText();
        AuditedRows.Row creation = byAdmin(audit.only(mark, "identity_provider.created"), created);
        assertThat(creation.targetType()).isEqualTo("identity_provider");
        assertThat(creation.targetId()).isEqualTo(id);
        assertThat(creation.details().path("settings").path("client_id").asText()).isEqualTo("partner-client");

        form.put("clientId", "partner-client-2");
        form.put("clientSecret", "partner-SECRET-2");
        HttpResponse<String> updated = admin.putJson("/api/v1/admin/identity-providers/" + id, form);
        AuditedRows.Row update = byAdmin(audit.only(mark, "identity_provider.updated"), updated);
        assertThat(update.details().path("changes").toString()).isEqualTo("{\"client_id\":{\"before\":\"partner-client\",\"after\":\"partner-client-2\"}}");
        assertThat(update.details().path("client_secret_replaced").asBoolean()).isTrue();

        long disabling = audit.mark();
        HttpResponse<String> disabled = admin.postJson("/api/v1/admin/identity-providers/" + id + "/disable", Map.of());
        assertThat(byAdmin(audit.only(disabling, "identity_provider.updated"), disabled).details().path("changes").toString())
                .isEqualTo("{\"enabled\":{\"before\":true,\"after\":false}}");
        HttpResponse<String> deleted = admin.delete("/api/v1/admin/identity-providers/" + id);
        assertThat(byAdmin(audit.only(mark, "identity_provider.deleted"), deleted).targetId()).isEqualTo(id);

        assertThat(audit.containing("partner-SECRET")).isZero();
    }

    private static AuditedRows.Row byAdmin(AuditedRows.Row row, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        assertThat(row.from(response).outcome()).isEqualTo("SUCCESS");
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.actorId()).isNotNull();
        return row;
    }

    private static SsoBrowser browser() {
        return new SsoBrowser(portal.baseUrl());
    }

    private static void nextLogin(String subject, Map<String, Object> claims) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", null, claims, 3600));
    }

    private static Map<String, Object> person(String email, boolean verified, List<String> groups) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("email", email);
        claims.put("email_verified", verified);
        claims.put("name", "Person " + email.substring(0, email.indexOf('@')));
        claims.put("groups", groups);
        return claims;
    }

    private static UUID role(String name) {
        return portal.bean(RoleRepository.class).findByNameIgnoreCase(name).orElseThrow().id();
    }
}
