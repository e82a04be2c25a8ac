package io.gatehouse.mfa;

import static io.gatehouse.mfa.MfaFixtures.enrolled;
import static io.gatehouse.mfa.MfaFixtures.json;
import static io.gatehouse.mfa.MfaFixtures.passwordOnly;
import static io.gatehouse.mfa.MfaFixtures.person;
import static io.gatehouse.mfa.MfaFixtures.problemType;
import static io.gatehouse.mfa.MfaFixtures.sessionCookie;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.Authenticator;
import io.gatehouse.testing.TestPortal;
import io.gatehouse.testing.WebSession;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signing in with TOTP over the API: set-up, the challenge, replays, recovery codes, guessing, storage. */
class TotpSignInTest {

    static TestPortal portal;

    @BeforeAll
    static void start() {
        portal = TestPortal.start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    private static HttpResponse<String> answer(WebSession session, String code) {
        return session.postJson("/api/v1/auth/mfa", Map.of("code", code));
    }

    private static String secretOf(String email) {
        return portal.authenticator.secretOf(email).orElseThrow();
    }

    private static long now() {
        return Authenticator.step(portal.clock.instant());
    }

    @Test
    void aPersonSetsUpTotpAndThenSignsInWithAGeneratedCode() {
        String email = person(portal, "setter", false);
        WebSession full = portal.signedIn(email, MfaFixtures.PASSWORD);

        HttpResponse<String> started = full.postJson("/api/v1/me/mfa/totp/enrolment", Map.of());
        assertThat(started.statusCode()).isEqualTo(200);
        JsonNode enrolment = json(started);
        String secret = enrolment.path("secret").asText();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(enrolment.path("otpauthUri").asText()).startsWith("otpauth://totp/")
                .contains("secret=" + secret).contains("issuer=Gatehouse").contains(email.replace("@", "%40"));
        assertThat(enrolment.path("qrCode").asText()).startsWith("data:image/svg+xml;base64,");
        assertThat(json(full.get("/api/v1/me/mfa")).path("enabled").asBoolean()).as("not on before the first code").isFalse();

        portal.authenticator.remember(email, secret);
        HttpResponse<String> confirmed = full.postJson("/api/v1/me/mfa/totp/confirm", Map.of("code", portal.authenticator.nextCode(email)));
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(json(confirmed).path("recoveryCodes")).hasSize(10);
        assertThat(json(confirmed).path("recoveryCodes").get(0).asText()).matches("[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}");
        JsonNode status = json(full.get("/api/v1/me/mfa"));
        assertThat(status.path("enabled").asBoolean()).isTrue();
        assertThat(status.path("recoveryCodesLeft").asInt()).isEqualTo(10);

        WebSession next = passwordOnly(portal, email, "MFA_CHALLENGE");
        HttpResponse<String> blocked = next.get("/api/v1/me/tokens");
        assertThat(blocked.statusCode()).isEqualTo(403);
        assertThat(problemType(blocked)).isEqualTo("mfa-required");

        HttpResponse<String> passed = answer(next, portal.authenticator.nextCode(email));
        assertThat(passed.statusCode()).as(passed.body()).isEqualTo(200);
        assertThat(json(passed).path("access").asText()).isEqualTo("FULL");
        assertThat(next.get("/api/v1/me/tokens").statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongCodeIsRefusedWithAGeneric401AndTheSessionStaysRestricted() {
        String email = person(portal, "typo", false);
        enrolled(portal, email);
        WebSession session = passwordOnly(portal, email, "MFA_CHALLENGE");
        String right = portal.authenticator.nextCode(email);
        String wrong = right.equals("000000") ? "111111" : "000000";

        HttpResponse<String> refused = answer(session, wrong);
        HttpResponse<String> garbage = session.postJson("/api/v1/auth/mfa", Map.of("recoveryCode", "not-a-recovery-code"));

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused).path("detail").asText()).isEqualTo("The code is not correct.");
        assertThat(json(garbage).path("detail").asText()).isEqualTo("The code is not correct.");
        assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(json(session.get("/api/v1/me")).path("access").asText()).isEqualTo("MFA_CHALLENGE");
    }

    @Test
    void aCodeIsGoodOnceEvenInsideItsThirtySeconds() {
        String email = person(portal, "replay", false);
        enrolled(portal, email);
        String code = portal.authenticator.nextCode(email);

        assertThat(answer(passwordOnly(portal, email, "MFA_CHALLENGE"), code).statusCode()).isEqualTo(200);
        HttpResponse<String> replayed = answer(passwordOnly(portal, email, "MFA_CHALLENGE"), code);

        assertThat(replayed.statusCode()).isEqualTo(401);
    }

    @Test
    void theCodeOfThePreviousStepIsAcceptedOnceButNotOnceANewerCodeWasUsed() {
        String email = person(portal, "drift", false);
        enrolled(portal, email);
        portal.clock.advance(Authenticator.STEP.multipliedBy(2));
        long step = now();
        String previous = Authenticator.code(secretOf(email), step - 1);

        assertThat(answer(passwordOnly(portal, email, "MFA_CHALLENGE"), previous).statusCode()).as("a slow phone clock").isEqualTo(200);
        assertThat(answer(passwordOnly(portal, email, "MFA_CHALLENGE"), previous).statusCode()).as("replayed").isEqualTo(401);

        portal.clock.advance(Authenticator.STEP.multipliedBy(3));
        long later = now();
        assertThat(answer(passwordOnly(portal, email, "MFA_CHALLENGE"), Authenticator.code(secretOf(email), later)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> older = answer(passwordOnly(portal, email, "MFA_CHALLENGE"), Authenticator.code(secretOf(email), later - 1));

        assertThat(older.statusCode()).as("never used, but older than a code already used").isEqualTo(401);
    }

    @Test
    void aRecoveryCodeSignsInOnceInAnySpelling() {
        String email = person(portal, "lostphone", false);
        JsonNode codes = enrolled(portal, email);
        String code = codes.get(3).asText();

        HttpResponse<String> first = passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa",
                Map.of("recoveryCode", " " + code.toUpperCase().replace("-", " ") + " "));
        HttpResponse<String> again = passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa", Map.of("recoveryCode", code));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(json(portal.signedIn(email, MfaFixtures.PASSWORD).get("/api/v1/me/mfa")).path("recoveryCodesLeft").asInt()).isEqualTo(9);
    }

    @Test
    void theSessionCookieChangesWhenTheSecondFactorIsGivenAndTheOldValueStopsWorking() {
        String email = person(portal, "fixation", false);
        enrolled(portal, email);
        WebSession session = passwordOnly(portal, email, "MFA_CHALLENGE");
        String before = sessionCookie(session);

        HttpResponse<String> passed = answer(session, portal.authenticator.nextCode(email));

        assertThat(passed.statusCode()).isEqualTo(200);
        assertThat(passed.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("gh_session=").contains("HTTPOnly");
        String after = sessionCookie(session);
        assertThat(after).isNotEqualTo(before);
        assertThat(portal.browser().get("/api/v1/me", "Cookie", "gh_session=" + before).statusCode()).isEqualTo(401);
        assertThat(json(portal.browser().get("/api/v1/me", "Cookie", "gh_session=" + after)).path("access").asText()).isEqualTo("FULL");
    }

    @Test
    void theTotpSecretAndRecoveryCodesAreNotStoredInPlaintext() throws Exception {
        String email = person(portal, "stored", false);
        JsonNode codes = enrolled(portal, email);
        String secret = secretOf(email);

        try (var sql = portal.sql(); var q = sql.prepareStatement("select * from users where email = ?")) {
            q.setString(1, email);
            ResultSet row = q.executeQuery();
            assertThat(row.next()).isTrue();
            byte[] sealed = row.getBytes("totp_secret_cipher");
            assertThat(sealed).hasSize(1 + 12 + secret.length() + 16); // version, nonce, ciphertext, GCM tag
            assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(secret);
            for (int c = 1; c <= row.getMetaData().getColumnCount(); c++) {
                Object value = row.getObject(c);
                String text = value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1) : String.valueOf(value);
                assertThat(text).as(row.getMetaData().getColumnName(c)).doesNotContain(secret);
            }
        }
        try (var sql = portal.sql(); var rows = sql.prepareStatement(
                "select code_hash from mfa_recovery_codes c join users u on u.id = c.user_id where u.email = ?")) {
            rows.setString(1, email);
            ResultSet stored = rows.executeQuery();
            int count = 0;
            while (stored.next()) {
                count++;
                String hash = stored.getString(1);
                assertThat(HexFormat.of().parseHex(hash)).hasSize(32);
                codes.forEach(code -> assertThat(hash).doesNotContain(code.asText().replace("-", "")));
            }
            assertThat(count).isEqualTo(10);
        }
    }

    @Test
    void guessingCodesIsSlowedThenLockedAndTheLockEndsTheUnfinishedSignIn() {
        String email = person(portal, "guesser", false);
        enrolled(portal, email);
        WebSession attacker = passwordOnly(portal, email, "MFA_CHALLENGE");
        String wrong = "999999".equals(Authenticator.code(secretOf(email), now())) ? "888888" : "999999";

        for (int i = 0; i < MfaThrottle.DELAY_AFTER; i++) {
            assertThat(answer(attacker, wrong).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> tooSoon = answer(attacker, wrong);
        assertThat(tooSoon.statusCode()).isEqualTo(429);
        assertThat(tooSoon.headers().firstValue("Retry-After")).contains("1");
        portal.clock.advance(Duration.ofSeconds(1));
        assertThat(answer(attacker, wrong).statusCode()).isEqualTo(401);
        portal.clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> locked = answer(attacker, wrong);

        assertThat(locked.statusCode()).as("the fifth failure locks").isEqualTo(429);
        assertThat(problemType(locked)).isEqualTo("rate-limited");
        assertThat(Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow())).isBetween(60L, MfaThrottle.WINDOW.toSeconds());
        assertThat(attacker.get("/api/v1/me").statusCode()).as("the restricted session is ended").isEqualTo(401);

        WebSession owner = passwordOnly(portal, email, "MFA_CHALLENGE");
        HttpResponse<String> whileLocked = answer(owner, portal.authenticator.nextCode(email));
        assertThat(whileLocked.statusCode()).as("even the right code, while locked").isEqualTo(429);
        assertThat(whileLocked.headers().firstValue("Retry-After")).isPresent();

        portal.clock.advance(MfaThrottle.WINDOW.plusSeconds(1));
        WebSession later = passwordOnly(portal, email, "MFA_CHALLENGE");
        assertThat(answer(later, portal.authenticator.nextCode(email)).statusCode()).isEqualTo(200);
    }

    @Test
    void theChallengeNeedsASessionAndACode() {
        assertThat(portal.browser().postJson("/api/v1/auth/mfa", Map.of("code", "123456")).statusCode()).isEqualTo(401);

        String email = person(portal, "empty", false);
        enrolled(portal, email);
        HttpResponse<String> empty = passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa", Map.of());
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(problemType(empty)).isEqualTo("code-missing");

        HttpResponse<String> alreadyIn = portal.signedIn(email, MfaFixtures.PASSWORD).postJson("/api/v1/auth/mfa", Map.of("code", "123456"));
        assertThat(alreadyIn.statusCode()).isEqualTo(409);
        assertThat(problemType(alreadyIn)).isEqualTo("no-mfa-challenge");
    }
}
