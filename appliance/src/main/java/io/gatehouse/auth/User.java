package io.gatehouse.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

@MappedEntity("users")
public record User(
        @Id UUID id,
        String email,
        String displayName,
        @Nullable String passwordHash,
        boolean admin,
        String status,
        Instant createdAt,
        @Nullable Instant lastLoginAt) {

    public static final String ACTIVE = "ACTIVE";

    public boolean active() {
        return ACTIVE.equals(status);
    }
}
