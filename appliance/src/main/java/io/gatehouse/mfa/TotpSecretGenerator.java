package io.gatehouse.mfa;

import dev.samstevens.totp.secret.SecretGenerator;
import org.apache.commons.codec.binary.Base32;
import jakarta.inject.Singleton;
import java.security.SecureRandom;

/**
 * 160-bit TOTP secrets (the HMAC-SHA1 key length RFC 4226 recommends), as 32 base32 characters. The
 * library's DefaultSecretGenerator brings its own SecureRandom; this one draws from the application's.
 */
@Singleton
final class TotpSecretGenerator implements SecretGenerator {

    private static final int SECRET_BYTES = 20;

    private final SecureRandom random;

    TotpSecretGenerator(SecureRandom random) {
        this.random = random;
    }

    @Override
    public String generate() {
        byte[] key = new byte[SECRET_BYTES];
        random.nextBytes(key);
        return new Base32().encodeToString(key); // 20 bytes = 32 characters, no padding
    }
}
