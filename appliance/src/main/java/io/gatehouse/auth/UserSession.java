package io.gatehouse.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

@MappedEntity("sessions")
public record UserSession(
        @Id UUID id,
        byte[] tokenHash,
        UUID userId,
        Instant createdAt,
        Instant lastSeenAt,
        Instant expiresAt,
        @Nullable String ip,
        @Nullable String userAgent,
        String stage) {

    /** Fully signed in. */
    public static final String FULL = "FULL";
    /** Password (or SSO) accepted, the TOTP code is still owed. */
    public static final String MFA_CHALLENGE = "MFA_CHALLENGE";
    /** An admin without MFA: must set it up before anything else. */
    public static final String MFA_ENROLMENT = "MFA_ENROLMENT";
}
