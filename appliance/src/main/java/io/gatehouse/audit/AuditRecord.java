package io.gatehouse.audit;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.UUID;

/** A row of the audit trail as stored: the event, its place in the chain ({@code seq}) and its hashes. */
public record AuditRecord(long seq, Instant occurredAt, @Nullable UUID actorId, @Nullable String actorEmail, String action,
                          String outcome, @Nullable String targetType, @Nullable String targetId, @Nullable String connector,
                          @Nullable String ip, @Nullable String userAgent, @Nullable String requestId, String details,
                          byte[] prevHash, byte[] hash) {
}
