package io.gatehouse.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A person who may use Gatehouse. {@code admin} mirrors "holds the Admin role" (kept in step by
 * {@code io.gatehouse.access.RoleAssignments}) so the per-request check needs no join.
 */
@MappedEntity("users")
public record User(
        @Id UUID id,
        String email,
        String displayName,
        @Nullable String passwordHash,
        boolean admin,
        String status,
        Instant createdAt,
        @Nullable Instant lastLoginAt,
        @Nullable UUID decidedBy,
        @Nullable Instant decidedAt,
        @Nullable Instant totpEnabledAt) {

    /** Waiting for an admin to approve or reject; may sign in, sees only the "waiting" page. */
    public static final String PENDING = "PENDING";
    public static final String ACTIVE = "ACTIVE";
    /** An admin declined the sign-up; no access, no session. */
    public static final String REJECTED = "REJECTED";
    /** An admin switched the account off; no access, no session, no API token. */
    public static final String DISABLED = "DISABLED";

    public static User newLocal(UUID id, String email, String displayName, String passwordHash, boolean admin,
                                String status, Instant now) {
        return new User(id, email, displayName, passwordHash, admin, status, now, null, null, null, null);
    }

    public boolean active() {
        return ACTIVE.equals(status);
    }

    public boolean pending() {
        return PENDING.equals(status);
    }

    /** Whether the user may hold a session at all (active, or pending and waiting). */
    public boolean maySignIn() {
        return active() || pending();
    }

    public boolean mfaEnabled() {
        return totpEnabledAt != null;
    }
}
