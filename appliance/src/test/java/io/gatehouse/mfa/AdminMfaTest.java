package io.gatehouse.mfa;

import static io.gatehouse.mfa.MfaFixtures.enrolled;
import static io.gatehouse.mfa.MfaFixtures.idOf;
import static io.gatehouse.mfa.MfaFixtures.json;
import static io.gatehouse.mfa.MfaFixtures.passwordOnly;
import static io.gatehouse.mfa.MfaFixtures.person;
import static io.gatehouse.mfa.MfaFixtures.problemType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mandatory for admins, optional for others: the enrolment gate, self-service, and the admin's reset. */
class AdminMfaTest {

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
    void anAdminWithoutMfaMustSetItUpBeforeAnyAdminPageAndNotBeforeFinishing() {
        String email = person(portal, "newadmin", true);
        WebSession admin = passwordOnly(portal, email, "MFA_ENROLMENT");

        assertEnrolmentRequired(admin);
        HttpResponse<String> started = admin.postJson("/api/v1/me/mfa/totp/enrolment", Map.of());
        assertThat(started.statusCode()).isEqualTo(200);
        assertEnrolmentRequired(admin);
        HttpResponse<String> wrong = admin.postJson("/api/v1/me/mfa/totp/confirm", Map.of("code", "000000"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(problemType(wrong)).isEqualTo("invalid-code");
        assertEnrolmentRequired(admin);

        portal.authenticator.remember(email, json(started).path("secret").asText());
        HttpResponse<String> confirmed = admin.postJson("/api/v1/me/mfa/totp/confirm", Map.of("code", portal.authenticator.nextCode(email)));

        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(json(confirmed).path("access").asText()).isEqualTo("FULL");
        assertThat(confirmed.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("gh_session=");
        assertThat(admin.get("/admin/models", "Accept", "text/html").statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/v1/admin/providers").statusCode()).isEqualTo(200);
        assertThat(passwordOnly(portal, email, "MFA_CHALLENGE")).as("from now on every sign-in asks for a code").isNotNull();
    }

    private static void assertEnrolmentRequired(WebSession admin) {
        HttpResponse<String> page = admin.get("/admin/models", "Accept", "text/html");
        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location")).as("carries where the admin was going")
                .contains("/mfa/enrol?next=%2Fadmin%2Fmodels");
        for (String path : new String[] {"/api/v1/admin/providers", "/api/v1/me/tokens", "/api/v1/me/mfa"}) {
            HttpResponse<String> api = admin.get(path);
            assertThat(api.statusCode()).as(path).isEqualTo(403);
            assertThat(problemType(api)).as(path).isEqualTo("mfa-enrolment-required");
        }
    }

    @Test
    void aMemberMayTurnMfaOffWithACurrentCodeButAnAdminMayNot() {
        String email = person(portal, "optional", false);
        enrolled(portal, email);
        WebSession member = portal.signedIn(email, MfaFixtures.PASSWORD);

        HttpResponse<String> noCode = member.postJson("/api/v1/me/mfa/disable", Map.of());
        HttpResponse<String> wrongCode = member.postJson("/api/v1/me/mfa/disable", Map.of("code", "000000"));
        assertThat(noCode.statusCode()).isEqualTo(400);
        assertThat(wrongCode.statusCode()).isEqualTo(403);
        assertThat(member.postJson("/api/v1/me/mfa/disable", Map.of("code", portal.authenticator.nextCode(email))).statusCode())
                .isEqualTo(204);
        assertThat(json(member.get("/api/v1/me/mfa")).path("enabled").asBoolean()).isFalse();
        passwordOnly(portal, email, "FULL");

        WebSession admin = portal.admin();
        HttpResponse<String> refused = admin.postJson("/api/v1/me/mfa/disable", Map.of("code", portal.authenticator.nextCode(TestPortal.ADMIN_EMAIL)));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(problemType(refused)).isEqualTo("mfa-mandatory");
        JsonNode status = json(admin.get("/api/v1/me/mfa"));
        assertThat(status.path("enabled").asBoolean()).isTrue();
        assertThat(status.path("mandatory").asBoolean()).isTrue();
    }

    @Test
    void replacingTheAuthenticatorNeedsACurrentCodeAndTheOldOneWorksUntilTheNewOneIsConfirmed() {
        String email = person(portal, "newphone", false);
        enrolled(portal, email);
        WebSession member = portal.signedIn(email, MfaFixtures.PASSWORD);
        String oldSecret = portal.authenticator.secretOf(email).orElseThrow();

        assertThat(member.postJson("/api/v1/me/mfa/totp/enrolment", Map.of()).statusCode()).isEqualTo(400);
        assertThat(member.postJson("/api/v1/me/mfa/totp/enrolment", Map.of("code", "000000")).statusCode()).isEqualTo(403);
        HttpResponse<String> started = member.postJson("/api/v1/me/mfa/totp/enrolment", Map.of("code", portal.authenticator.nextCode(email)));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String newSecret = json(started).path("secret").asText();
        assertThat(newSecret).isNotEqualTo(oldSecret);

        portal.signedIn(email, MfaFixtures.PASSWORD); // still the old app's code
        portal.authenticator.remember(email, newSecret);
        assertThat(member.postJson("/api/v1/me/mfa/totp/confirm", Map.of("code", portal.authenticator.nextCode(email))).statusCode())
                .isEqualTo(200);

        portal.clock.advance(java.time.Duration.ofSeconds(30));
        String oldCode = io.gatehouse.testing.Authenticator.code(oldSecret, io.gatehouse.testing.Authenticator.step(portal.clock.instant()));
        assertThat(passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa", Map.of("code", oldCode)).statusCode())
                .isEqualTo(401);
        portal.signedIn(email, MfaFixtures.PASSWORD); // the new app's code
    }

    @Test
    void newRecoveryCodesNeedACurrentCodeAndReplaceTheOldOnes() {
        String email = person(portal, "regenerate", false);
        JsonNode old = enrolled(portal, email);
        WebSession member = portal.signedIn(email, MfaFixtures.PASSWORD);

        assertThat(member.postJson("/api/v1/me/mfa/recovery-codes", Map.of("code", "000000")).statusCode()).isEqualTo(403);
        HttpResponse<String> fresh = member.postJson("/api/v1/me/mfa/recovery-codes", Map.of("code", portal.authenticator.nextCode(email)));

        assertThat(fresh.statusCode()).isEqualTo(200);
        assertThat(json(fresh).path("recoveryCodes")).hasSize(10);
        HttpResponse<String> oldCode = passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa",
                Map.of("recoveryCode", old.get(0).asText()));
        HttpResponse<String> newCode = passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa",
                Map.of("recoveryCode", json(fresh).path("recoveryCodes").get(0).asText()));
        assertThat(oldCode.statusCode()).isEqualTo(401);
        assertThat(newCode.statusCode()).isEqualTo(200);
    }

    @Test
    void anAdminResetClearsSomeonesMfaAndEndsTheirSessions() throws Exception {
        String email = person(portal, "resetme", false);
        enrolled(portal, email);
        WebSession laptop = portal.signedIn(email, MfaFixtures.PASSWORD);
        WebSession phone = portal.signedIn(email, MfaFixtures.PASSWORD);
        UUID id = idOf(laptop);

        HttpResponse<String> reset = portal.admin().delete("/api/v1/admin/users/" + id + "/mfa");

        assertThat(reset.statusCode()).isEqualTo(204);
        assertThat(laptop.get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(phone.get("/api/v1/me").statusCode()).isEqualTo(401);
        try (var sql = portal.sql(); var q = sql.prepareStatement("""
                select totp_secret_cipher, totp_pending_secret_cipher, totp_enabled_at, totp_last_step,
                       (select count(*) from mfa_recovery_codes where user_id = users.id) as codes
                from users where id = ?""")) {
            q.setObject(1, id);
            ResultSet row = q.executeQuery();
            assertThat(row.next()).isTrue();
            for (int c = 1; c <= 4; c++) {
                assertThat(row.getObject(c)).isNull();
            }
            assertThat(row.getInt("codes")).isZero();
        }
        portal.authenticator.forget(email);
        passwordOnly(portal, email, "FULL");
    }

    @Test
    void aResetAdminMustSetUpMfaAgainAtTheNextSignIn() {
        String email = person(portal, "otheradmin", true);
        UUID id = idOf(portal.signedIn(email, MfaFixtures.PASSWORD));

        assertThat(portal.admin().delete("/api/v1/admin/users/" + id + "/mfa").statusCode()).isEqualTo(204);

        passwordOnly(portal, email, "MFA_ENROLMENT");
    }

    @Test
    void theResetIsForAdminsOnOthersOnly() {
        WebSession admin = portal.admin();
        String email = person(portal, "member", false);
        WebSession member = portal.signedIn(email, MfaFixtures.PASSWORD);

        HttpResponse<String> self = admin.delete("/api/v1/admin/users/" + idOf(admin) + "/mfa");
        HttpResponse<String> unknown = admin.delete("/api/v1/admin/users/" + UUID.randomUUID() + "/mfa");
        HttpResponse<String> byMember = member.delete("/api/v1/admin/users/" + idOf(admin) + "/mfa");
        HttpResponse<String> anonymous = portal.browser().delete("/api/v1/admin/users/" + idOf(admin) + "/mfa");

        assertThat(self.statusCode()).isEqualTo(409);
        assertThat(problemType(self)).isEqualTo("self-mfa-reset");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(problemType(unknown)).isEqualTo("user-not-found");
        assertThat(byMember.statusCode()).isEqualTo(403);
        assertThat(problemType(byMember)).isEqualTo("forbidden");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(admin.get("/api/v1/me/mfa")).path("enabled").asBoolean()).isTrue();
    }

    @Test
    void selfServiceNeedsASession() {
        for (String path : new String[] {"/api/v1/me/mfa/totp/enrolment", "/api/v1/me/mfa/totp/confirm", "/api/v1/me/mfa/recovery-codes",
                "/api/v1/me/mfa/disable"}) {
            HttpResponse<String> response = portal.browser().postJson(path, Map.of("code", "123456"));
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(problemType(response)).isEqualTo("unauthenticated");
        }
        assertThat(portal.browser().get("/api/v1/me/mfa").statusCode()).isEqualTo(401);
    }
}
