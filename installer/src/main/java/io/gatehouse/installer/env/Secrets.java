package io.gatehouse.installer.env;

import java.security.SecureRandom;
import java.util.Base64;

/** Generated secrets: the master key (base64 of 32 random bytes) and passwords (32 url-safe characters). */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String masterKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** 24 random bytes = 32 base64url characters (A-Z a-z 0-9 - _): safe in .env, URLs and shell words. */
    public static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
