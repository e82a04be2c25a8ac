package io.gatehouse.access;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A single-use, expiring invite for one email address, carrying the roles the admin chose. */
@MappedEntity("invites")
public record Invite(
        @Id UUID id,
        byte[] tokenHash,
        String email,
        String roleIds,
        @Nullable UUID createdBy,
        Instant createdAt,
        Instant expiresAt,
        @Nullable Instant usedAt,
        @Nullable UUID usedBy) {

    public List<UUID> roles() {
        return roleIds.isBlank() ? List.of() : Arrays.stream(roleIds.split(",")).map(UUID::fromString).toList();
    }

    public boolean usableAt(Instant now) {
        return usedAt == null && now.isBefore(expiresAt);
    }
}
