package io.gatehouse.auth;

import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;

/** Creates accounts: local ones with the password policy applied and the password hashed, and SSO ones. */
@Singleton
public class UserAccounts {

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
        return createLocal(email, displayName, password, admin, User.ACTIVE);
    }

    /** A local account in the given status (PENDING for self sign-up, ACTIVE when an admin vouches). */
    @io.micronaut.transaction.annotation.Transactional
    public User createLocal(String email, String displayName, String password, boolean admin, String status) {
        String normalized = checkedEmail(email);
        policy.check(password, normalized);
        if (users.findByEmailIgnoreCase(normalized).isPresent()) {
            throw new GatehouseException.Conflict("email-taken", "An account with this email already exists.");
        }
        User user = users.save(User.newLocal(UUID.randomUUID(), normalized, nameOr(displayName, normalized),
                hasher.hash(password), admin, status, clock.instant()));
        if (admin) {
            users.grantAdminRole(user.id());
        }
        return user;
    }

    /** An account with no password, for someone who signs in through an identity provider. */
    public User createExternal(String email, String displayName, String status) {
        String normalized = checkedEmail(email);
        return users.save(User.newLocal(UUID.randomUUID(), normalized, nameOr(displayName, normalized), null, false,
                status, clock.instant()));
    }

    public static String checkedEmail(String email) {
        String normalized = email == null ? "" : email.strip();
        if (!EMAIL.matcher(normalized).matches() || normalized.length() > 254) {
            throw new GatehouseException.BadRequest("invalid-email", "Enter a valid email address.");
        }
        return normalized;
    }

    private static String nameOr(String displayName, String email) {
        return displayName == null || displayName.isBlank() ? email.substring(0, email.indexOf('@')) : displayName.strip();
    }

    public boolean adminExists() {
        return users.existsByAdmin(true);
    }
}
