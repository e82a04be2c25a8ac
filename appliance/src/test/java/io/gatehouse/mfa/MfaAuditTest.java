package io.gatehouse.mfa;

import io.gatehouse.testing.AuditedRows;
import static io.gatehouse.mfa.MfaFixtures.PASSWORD;
import static io.gatehouse.mfa.MfaFixtures.json;
import static io.gatehouse.mfa.MfaFixtures.passwordOnly;
import static io.gatehouse.mfa.MfaFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.AuditRows;
import io.gatehouse.auth.UserRepository;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Setting up, answering, using recovery codes for and resetting the second factor leave rows; codes never do. */
class MfaAuditTest {

    static TestPortal portal;
    static AuditRows audit;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
        audit = new AuditRows(portal);
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static UUID idOf(String email) {
        return portal.bean(UserRepository.class).findByEmailIgnoreCase(email).orElseThrow().id();
    }

    @Test
    void enrolmentIsRecordedWithItsFailedTriesAndWithoutTheCodes() {
        String email = person(portal, "ursula", false);
        WebSession session = portal.signedIn(email, PASSWORD);
        long mark = audit.mark();
        HttpResponse<String> started = session.postJson("/api/v1/me/mfa/totp/enrolment", Map.of());
        String secret = json(started).path("secret").asText();
        portal.authenticator.remember(email, secret);

        HttpResponse<String> wrong = session.postJson("/api/v1/me/mfa/totp/confirm", Map.of("code", "000000"));
        String code = portal.authenticator.nextCode(email);
        HttpResponse<String> confirmed = session.postJson("/api/v1/me/mfa/totp/confirm", Map.of("code", code));

        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(confirmed.statusCode()).isEqualTo(200);
        var rows = audit.since(mark, "mfa.enrolled");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).from(wrong).outcome()).isEqualTo("DENIED");
        assertThat(rows.get(0).detail("reason")).isEqualTo("wrong_code");
        AuditedRows.Row enrolled = rows.get(1).from(confirmed);
        assertThat(enrolled.outcome()).isEqualTo("SUCCESS");
        assertThat(enrolled.actorId()).isEqualTo(idOf(email));
        assertThat(enrolled.targetId()).isEqualTo(idOf(email).toString());
        assertThat(enrolled.details().path("recovery_codes_issued").asInt()).isEqualTo(10);
        assertThat(audit.containing(secret)).isZero();
        assertThat(audit.containing(mark, code)).isZero();
        for (JsonNode recovery : json(confirmed).path("recoveryCodes")) {
            assertThat(audit.containing(recovery.asText())).isZero();
        }
    }

    @Test
    void challengeAnswersRightAndWrongAndRecoveryCodesAreRecorded() {
        String email = person(portal, "victor", false);
        JsonNode recoveryCodes = MfaFixtures.enrolled(portal, email);
        UUID id = idOf(email);

        WebSession first = passwordOnly(portal, email, "MFA_CHALLENGE");
        long mark = audit.mark();
        HttpResponse<String> wrong = first.postJson("/api/v1/auth/mfa", Map.of("code", "123456"));
        HttpResponse<String> right = first.postJson("/api/v1/auth/mfa", Map.of("code", portal.authenticator.nextCode(email)));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(right.statusCode()).isEqualTo(200);
        var answers = audit.since(mark, "mfa.challenge");
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).from(wrong).outcome()).isEqualTo("DENIED");
        assertThat(answers.get(0).detail("reason")).isEqualTo("wrong_code");
        assertThat(answers.get(0).actorId()).isEqualTo(id);
        assertThat(answers.get(1).from(right).outcome()).isEqualTo("SUCCESS");
        assertThat(answers.get(1).detail("factor")).isEqualTo("totp");
        assertThat(answers.get(1).targetId()).isEqualTo(id.toString());

        WebSession second = passwordOnly(portal, email, "MFA_CHALLENGE");
        long recoveryMark = audit.mark();
        String recovery = recoveryCodes.get(0).asText();
        HttpResponse<String> recovered = second.postJson("/api/v1/auth/mfa", Map.of("recoveryCode", recovery));
        assertThat(recovered.statusCode()).isEqualTo(200);
        AuditedRows.Row used = audit.only(recoveryMark, "mfa.recovery_code_used").from(recovered);
        assertThat(used.actorId()).isEqualTo(id);
        assertThat(used.detail("for")).isEqualTo("sign_in");
        assertThat(used.details().path("recovery_codes_left").asInt()).isEqualTo(9);
        assertThat(audit.only(recoveryMark, "mfa.challenge").detail("factor")).isEqualTo("recovery_code");
        assertThat(audit.containing(recovery)).isZero();
        assertThat(audit.containing(recovery.replace("-", ""))).isZero();
    }

    @Test
    void turningItOffAndAnAdminsResetAreRecorded() {
        String email = person(portal, "wanda", false);
        MfaFixtures.enrolled(portal, email);
        UUID id = idOf(email);
        WebSession wanda = portal.signedIn(email, PASSWORD);
        long mark = audit.mark();

        HttpResponse<String> off = wanda.postJson("/api/v1/me/mfa/disable", Map.of("code", portal.authenticator.nextCode(email)));
        assertThat(off.statusCode()).as(off.body()).isEqualTo(204);
        AuditedRows.Row disabled = audit.only(mark, "mfa.disabled").from(off);
        assertThat(disabled.actorId()).isEqualTo(id);
        assertThat(disabled.targetId()).isEqualTo(id.toString());
        portal.authenticator.forget(email);

        MfaFixtures.enrolled(portal, email);
        WebSession admin = portal.admin();
        UUID adminId = idOf(TestPortal.ADMIN_EMAIL);
        HttpResponse<String> reset = admin.delete("/api/v1/admin/users/" + id + "/mfa");
        assertThat(reset.statusCode()).isEqualTo(204);
        AuditedRows.Row row = audit.only(mark, "mfa.reset").from(reset);
        assertThat(row.outcome()).isEqualTo("SUCCESS");
        assertThat(row.actorId()).isEqualTo(adminId);
        assertThat(row.actorEmail()).isEqualTo(TestPortal.ADMIN_EMAIL);
        assertThat(row.targetType()).isEqualTo("user");
        assertThat(row.targetId()).isEqualTo(id.toString());
        assertThat(row.details().path("was_enabled").asBoolean()).isTrue();
    }
}
