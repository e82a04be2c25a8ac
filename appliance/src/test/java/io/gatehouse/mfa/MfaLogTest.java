package io.gatehouse.mfa;

import static io.gatehouse.mfa.MfaFixtures.passwordOnly;
import static io.gatehouse.mfa.MfaFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.testing.TestPortal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Setting up MFA and using it, a refused replay included, leaves neither the TOTP secret nor a recovery code in the log. */
class MfaLogTest {

    @Test
    void secretsCodesAndRecoveryCodesNeverReachTheLog() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> secrets = new ArrayList<>();
        try (TestPortal portal = TestPortal.start()) {
            String email = person(portal, "quiet", false);
            JsonNode recovery = MfaFixtures.enrolled(portal, email);
            secrets.add(portal.authenticator.secretOf(email).orElseThrow());
            recovery.forEach(code -> secrets.add(code.asText()));
            String code = portal.authenticator.nextCode(email); // six digits could occur in any id by chance: not checked
            passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa", Map.of("code", code));
            passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa", Map.of("code", code)); // replayed: refused and logged
            passwordOnly(portal, email, "MFA_CHALLENGE").postJson("/api/v1/auth/mfa", Map.of("recoveryCode", recovery.get(0).asText()));
        } finally {
            root.detachAppender(captured);
        }

        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(m -> m.contains("turned on two-factor"));
        for (ILoggingEvent event : captured.list) {
            for (String secret : secrets) {
                assertThat(event.getFormattedMessage()).as("log line from %s", event.getLoggerName()).doesNotContain(secret);
            }
        }
    }
}
