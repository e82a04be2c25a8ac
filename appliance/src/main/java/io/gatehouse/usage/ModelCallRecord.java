package io.gatehouse.usage;

import io.micronaut.core.annotation.Nullable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code model_calls}: who called which model, through which channel (CHAT for the chat page, API for
 * personal tokens), what it cost and how it ended, with the SHA-256 of the exact request and response bytes and
 * the sequence number of its {@code model.call} audit row (null when that row could not be committed).
 */
record ModelCallRecord(UUID id, Instant startedAt, UUID userId, String userEmail, @Nullable String conversationId,
                       String channel, String provider, String model, int inputTokens, int outputTokens,
                       boolean usageReported, BigDecimal cost, long latencyMillis, String outcome, @Nullable String error,
                       byte @Nullable [] requestSha256, byte @Nullable [] outputSha256, @Nullable Long auditSeq) {

    ModelCallRecord withAuditSeq(@Nullable Long seq) {
        return new ModelCallRecord(id, startedAt, userId, userEmail, conversationId, channel, provider, model, inputTokens,
                outputTokens, usageReported, cost, latencyMillis, outcome, error, requestSha256, outputSha256, seq);
    }
}
