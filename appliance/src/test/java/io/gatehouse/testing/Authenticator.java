package io.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authenticator app on the test people's phones, for one portal: it keeps each person's TOTP secret and
 * makes codes for the portal's clock. A code is good once per 30-second step, so when this app already used
 * the current step it moves the clock on by a step first, as a person would wait for the next code.
 */
public final class Authenticator {

    public static final Duration STEP = Duration.ofSeconds(30);

    private final MutableClock clock;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUsedStep = new ConcurrentHashMap<>();

    Authenticator(MutableClock clock) {
        this.clock = clock;
    }

    /**
     * Sets up TOTP for the person signed in on {@code session} through the API, as the enrolment page does:
     * new secret, first code, confirmation. Returns the confirmation (its {@code recoveryCodes}).
     */
    public JsonNode enrol(WebSession session, String email) {
        HttpResponse<String> started = session.postJson("/api/v1/me/mfa/totp/enrolment", Map.of());
        if (started.statusCode() != 200) {
            throw new IllegalStateException("MFA enrolment not started: " + started.statusCode() + " " + started.body());
        }
        remember(email, WebSession.parse(started.body()).path("secret").asText());
        HttpResponse<String> confirmed = session.postJson("/api/v1/me/mfa/totp/confirm", Map.of("code", nextCode(email)));
        if (confirmed.statusCode() != 200) {
            throw new IllegalStateException("MFA enrolment not confirmed: " + confirmed.statusCode() + " " + confirmed.body());
        }
        return WebSession.parse(confirmed.body());
    }

    /** Answers the sign-in challenge of {@code session} with a fresh code. */
    public void answerChallenge(WebSession session, String email) {
        HttpResponse<String> answered = session.postJson("/api/v1/auth/mfa", Map.of("code", nextCode(email)));
        if (answered.statusCode() != 200) {
            throw new IllegalStateException("MFA challenge failed: " + answered.statusCode() + " " + answered.body());
        }
    }

    /** A code for the current step, not used by this app before (the clock moves on a step if it was). */
    public String nextCode(String email) {
        String secret = secretOf(email).orElseThrow(() -> new IllegalStateException(
                "No authenticator secret for " + email + ": set up MFA through this portal's Authenticator first"));
        Long used = lastUsedStep.get(key(email));
        if (used != null && step(clock.instant()) <= used) {
            clock.advance(STEP.multipliedBy(used - step(clock.instant()) + 1));
        }
        long step = step(clock.instant());
        lastUsedStep.put(key(email), step);
        return code(secret, step);
    }

    /** The person typed this secret (from the set-up page) into their app. */
    public void remember(String email, String secret) {
        forget(email);
        secrets.put(key(email), secret);
    }

    public Optional<String> secretOf(String email) {
        return Optional.ofNullable(secrets.get(key(email)));
    }

    /** After an admin reset or turning MFA off: the app's entry is deleted. */
    public void forget(String email) {
        secrets.remove(key(email));
        lastUsedStep.remove(key(email));
    }

    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP.toSeconds());
    }

    /** The RFC 6238 code (HMAC-SHA1, 6 digits) of a time step, as any authenticator app computes it. */
    public static String code(String secret, long step) {
        try {
            return new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6).generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
