package io.gatehouse.mfa;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.commons.codec.binary.Base32;

/**
 * Ten single-use codes for when the phone is lost, shown once. Each is 80 random bits (16 RFC 4648 base32
 * characters, upper case, shown as four groups of four; the alphabet has no 0, 1 or 8, so those typed for
 * the letters they resemble are read as O, I and B); with that much entropy a plain SHA-256 is safe to store: an
 * offline search of the hash costs about 2^80 tries, so a slow password hash would add nothing.
 */
@Singleton
final class RecoveryCodes {

    static final int COUNT = 10;
    private static final int CODE_BYTES = 10;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Z2-7]{16}");
    private static final Base32 BASE32 = new Base32();

    private final RecoveryCodeRepository codes;
    private final SecureRandom random;
    private final Clock clock;

    RecoveryCodes(RecoveryCodeRepository codes, SecureRandom random, Clock clock) {
        this.codes = codes;
        this.random = random;
        this.clock = clock;
    }

    /** Replaces all of the user's codes with new ones and returns them, formatted for people. Call inside a transaction. */
    List<String> replace(UUID userId) {
        codes.deleteAllOf(userId);
        List<String> shown = new ArrayList<>(COUNT);
        List<RecoveryCode> stored = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            byte[] bytes = new byte[CODE_BYTES];
            random.nextBytes(bytes);
            String code = BASE32.encodeToString(bytes); // 10 bytes = 16 characters, no padding
            stored.add(new RecoveryCode(UUID.randomUUID(), userId, hash(code), null));
            shown.add(String.join("-", code.substring(0, 4), code.substring(4, 8), code.substring(8, 12), code.substring(12)));
        }
        codes.saveAll(stored);
        return shown;
    }

    /** True once per code: the code is marked used by the same statement that finds it. */
    boolean use(UUID userId, String typed) {
        String code = normalize(typed);
        return WELL_FORMED.matcher(code).matches() && codes.use(userId, hash(code), clock.instant()) == 1;
    }

    long remaining(UUID userId) {
        return codes.countUnused(userId);
    }

    void deleteAllOf(UUID userId) {
        codes.deleteAllOf(userId);
    }

    /** Case, dashes and spaces do not matter, and the digits the alphabet lacks read as the letters they resemble. */
    static String normalize(String typed) {
        if (typed == null) {
            return "";
        }
        return typed.toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "")
                .replace('0', 'O').replace('1', 'I').replace('8', 'B');
    }

    private static String hash(String normalizedCode) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(normalizedCode.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
