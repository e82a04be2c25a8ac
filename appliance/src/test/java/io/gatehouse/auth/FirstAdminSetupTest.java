package io.gatehouse.auth;

import io.gatehouse.testing.AuditedRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FirstAdminSetupTest {

    TestPortal portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    private String issueLink() {
        return portal.bean(FirstAdminSetup.class).onStart(portal.baseUrl()).orElseThrow();
    }

    @Test
    void withoutBootstrapVariablesASetupLinkCreatesTheFirstAdminOnce() {
        portal = TestPortal.withoutAdmin(Map.of());
        String token = issueLink();
        WebSession browser = portal.browser();
        assertThat(browser.get("/setup?token=" + token).statusCode()).isEqualTo(200);

        var created = browser.postForm("/setup", Map.of("token", token, "email", "first@example.test",
                "displayName", "First Admin", "password", "first admin passphrase"));

        assertThat(created.statusCode()).isEqualTo(303);
        // Like every admin, the first one sets up MFA before anything else, then goes on to the Models page.
        assertThat(created.headers().firstValue("Location").orElseThrow()).isEqualTo("/mfa/enrol?next=%2Fadmin%2Fmodels");
        var me = WebSession.parse(browser.get("/api/v1/me").body());
        assertThat(me.path("admin").asBoolean()).isTrue();
        assertThat(me.path("access").asText()).isEqualTo("MFA_ENROLMENT");
        assertThat(browser.get("/api/v1/admin/providers").statusCode()).isEqualTo(403);
        var reuse = portal.browser().postForm("/setup", Map.of("token", token, "email", "second@example.test",
                "displayName", "Second", "password", "second admin passphrase"));
        assertThat(reuse.statusCode()).isEqualTo(403);
        assertThat(portal.browser().get("/setup?token=" + token).statusCode()).isEqualTo(403);

        AuditRows audit = new AuditRows(portal);
        var setupRows = audit.since(0, "auth.first_admin_created");
        assertThat(setupRows).hasSize(2);
        AuditedRows.Row setupRow = setupRows.get(0).from(created);
        assertThat(setupRow.outcome()).isEqualTo("SUCCESS");
        assertThat(setupRow.actorEmail()).isEqualTo("first@example.test");
        assertThat(setupRow.targetId()).isEqualTo(me.path("id").asText());
        assertThat(setupRow.detail("source")).isEqualTo("setup_link");
        assertThat(audit.only(0, "auth.sign_in").from(created).detail("method")).isEqualTo("setup");
        AuditedRows.Row reused = setupRows.get(1).from(reuse);
        assertThat(reused.outcome()).isEqualTo("DENIED");
        assertThat(reused.actorEmail()).isEqualTo("second@example.test");
        assertThat(reused.detail("reason")).isEqualTo("invalid_link");
        assertThat(audit.containing(token)).isZero();
        assertThat(audit.containing("first admin passphrase")).isZero();
    }

    @Test
    void aWeakPasswordIsRefusedAndTheLinkStaysUsable() {
        portal = TestPortal.withoutAdmin(Map.of());
        String token = issueLink();

        var weak = portal.browser().postForm("/setup", Map.of("token", token, "email", "first@example.test",
                "displayName", "", "password", "password1234"));

        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("too common");
        assertThat(portal.browser().get("/setup?token=" + token).statusCode()).isEqualTo(200);
    }

    @Test
    void theSetupLinkExpires() {
        portal = TestPortal.withoutAdmin(Map.of());
        String token = issueLink();
        portal.clock.advance(FirstAdminSetup.LINK_LIFETIME.plus(Duration.ofSeconds(1)));

        var late = portal.browser().postForm("/setup", Map.of("token", token, "email", "first@example.test",
                "displayName", "", "password", "first admin passphrase"));

        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("expired");
    }

    @Test
    void bootstrapVariablesAreIgnoredOnceAnAdminExists() {
        portal = TestPortal.start();
        FirstAdminSetup other = new FirstAdminSetup(portal.bean(UserAccounts.class), portal.bean(SetupTokenRepository.class),
                portal.clock, new java.security.SecureRandom(), portal.bean(io.gatehouse.audit.AuditTrail.class),
                portal.bean(io.gatehouse.audit.ChangeAudit.class), "second@example.test", "second admin passphrase", null);

        assertThat(other.onStart(portal.baseUrl())).isEmpty();

        assertThat(portal.bean(UserRepository.class).findByEmailIgnoreCase("second@example.test")).isEmpty();
    }
}
