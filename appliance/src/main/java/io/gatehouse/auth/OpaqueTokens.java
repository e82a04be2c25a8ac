package io.gatehouse.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random bearer secrets (session cookies, API tokens, setup links). They carry 256 bits of entropy, so a
 * fast SHA-256 is the right stored form: it cannot be brute-forced and lookups stay O(1) on the hot path.
 */
public final class OpaqueTokens {

    private OpaqueTokens() {
    }

    public static String generate(SecureRandom random, String prefix) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * MessageDigest is not thread-safe and getInstance walks the security providers on every call; cloning
     * a prototype is cheaper (and a ThreadLocal would not help: requests run on fresh virtual threads).
     */
    private static final MessageDigest SHA256_PROTOTYPE;

    static {
        try {
            SHA256_PROTOTYPE = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] hash(String token) {
        try {
            return ((MessageDigest) SHA256_PROTOTYPE.clone()).digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }
}
