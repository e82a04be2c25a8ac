package io.gatehouse.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

@MappedEntity("api_tokens")
public record ApiToken(
        @Id UUID id,
        UUID userId,
        String name,
        byte[] tokenHash,
        String tokenPrefix,
        Instant createdAt,
        @Nullable Instant lastUsedAt,
        @Nullable Instant revokedAt) {
}
