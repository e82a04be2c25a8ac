package io.gatehouse.auth;

import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creates local accounts with the password policy applied and the password hashed. */
@Singleton
public final class UserAccounts {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final Clock clock;

    UserAccounts(UserRepository users, PasswordHasher hasher, PasswordPolicy policy, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.policy = policy;
        this.clock = clock;
    }

    public User createLocal(String email, String displayName, String password, boolean admin) {
        String normalized = email == null ? "" : email.strip();
        if (!EMAIL.matcher(normalized).matches() || normalized.length() > 254) {
            throw new GatehouseException.BadRequest("invalid-email", "Enter a valid email address.");
        }
        policy.check(password, normalized);
        if (users.findByEmailIgnoreCase(normalized).isPresent()) {
            throw new GatehouseException.Conflict("email-taken", "An account with this email already exists.");
        }
        String name = displayName == null || displayName.isBlank() ? normalized.substring(0, normalized.indexOf('@')) : displayName.strip();
        return users.save(new User(UUID.randomUUID(), normalized, name, hasher.hash(password), admin, User.ACTIVE,
                clock.instant(), null));
    }

    public boolean adminExists() {
        return users.existsByAdmin(true);
    }
}
