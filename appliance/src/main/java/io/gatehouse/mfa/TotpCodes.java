package io.gatehouse.mfa;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.time.TimeProvider;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * RFC 6238 codes as every authenticator app makes them: HMAC-SHA1, 6 digits, 30-second steps. The library's
 * DefaultCodeVerifier only answers yes or no; refusing a replayed code needs to know which time step the
 * code belongs to, so the window is checked here, step by step, with the library's code generator.
 */
@Singleton
final class TotpCodes {

    static final int PERIOD_SECONDS = 30;
    static final int DIGITS = 6;
    /** One step either side: a phone clock a little off, or a code typed in the last seconds of its step. */
    static final int ALLOWED_DISCREPANCY = 1;
    private static final Pattern SIX_DIGITS = Pattern.compile("\\d{6}");

    private final CodeGenerator generator = new DefaultCodeGenerator(HashingAlgorithm.SHA1, DIGITS);
    private final TimeProvider time;

    TotpCodes(Clock clock) {
        this.time = new ClockTimeProvider(clock);
    }

    long currentStep() {
        return Math.floorDiv(time.getTime(), PERIOD_SECONDS);
    }

    /**
     * The newest step in the window after {@code usedUpTo} (null: none used yet) whose code {@code code} is.
     * Every step is computed and compared in constant time, match or not, so timing tells nothing.
     */
    OptionalLong freshStep(String secret, String code, Long usedUpTo) {
        String typed = normalize(code);
        if (!SIX_DIGITS.matcher(typed).matches()) {
            return OptionalLong.empty();
        }
        long current = currentStep();
        long found = Long.MIN_VALUE;
        for (long step = current - ALLOWED_DISCREPANCY; step <= current + ALLOWED_DISCREPANCY; step++) {
            boolean matches = MessageDigest.isEqual(codeAt(secret, step).getBytes(StandardCharsets.US_ASCII),
                    typed.getBytes(StandardCharsets.US_ASCII));
            if (matches && (usedUpTo == null || step > usedUpTo)) {
                found = step;
            }
        }
        return found == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(found);
    }

    private String codeAt(String secret, long step) {
        try {
            return generator.generate(secret, step);
        } catch (CodeGenerationException e) {
            throw new IllegalStateException("HMAC-SHA1 is not available in this JDK", e);
        }
    }

    /** People type "123 456" as apps show it. */
    private static String normalize(String code) {
        return code == null ? "" : code.replace(" ", "").strip();
    }
}
