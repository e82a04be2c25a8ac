package io.gatehouse.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

@MappedEntity("setup_tokens")
record SetupToken(@Id UUID id, byte[] tokenHash, Instant createdAt, Instant expiresAt, @Nullable Instant usedAt) {
}
