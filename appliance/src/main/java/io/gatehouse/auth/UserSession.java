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
        @Nullable String userAgent) {
}
