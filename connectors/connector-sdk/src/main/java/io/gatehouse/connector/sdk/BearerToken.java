package io.gatehouse.connector.sdk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The per-connector token; compared in constant time so response timing reveals nothing about it. */
final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private final byte[] expectedDigest;

    BearerToken(String token) {
        this.expectedDigest = sha256(token);
    }

    /** Whether an {@code Authorization} header value carries this token. */
    boolean matches(String authorizationHeader) {
        String presented = "";
        if (authorizationHeader != null && authorizationHeader.length() > SCHEME.length()
                && authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            presented = authorizationHeader.substring(SCHEME.length()).strip();
        }
        // Comparing fixed-length digests keeps the comparison time independent of the token's length too.
        return MessageDigest.isEqual(expectedDigest, sha256(presented)) & !presented.isEmpty();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
