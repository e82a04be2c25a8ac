package io.gatehouse.mfa;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** One single-use recovery code; only its SHA-256 is stored. */
@MappedEntity("mfa_recovery_codes")
record RecoveryCode(@Id UUID id, UUID userId, String codeHash, @Nullable Instant usedAt) {
}
