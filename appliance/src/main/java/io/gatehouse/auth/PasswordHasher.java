package io.gatehouse.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/** bcrypt (cost 12) through the at.favre.lib implementation; never hand-rolled. */
@Singleton
public final class PasswordHasher {

    private static final int COST = 12;

    /** Compared against when the account does not exist, so unknown and known emails take the same time. */
    private final String decoyHash = hash("decoy-password-never-matches");

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    boolean matches(String password, String storedHash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                storedHash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    void burnEquivalentTime(String password) {
        matches(password, decoyHash);
    }
}
