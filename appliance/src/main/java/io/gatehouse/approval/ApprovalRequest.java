package io.gatehouse.approval;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A Shadow proposal or a Supervised call waiting for (or past) a person's decision, bound to the exact call:
 * connector, tool and the arguments text with its SHA-256.
 */
@MappedEntity("approval_requests")
record ApprovalRequest(@Id UUID id, String trustLevel, String status, UUID requesterId, String requesterEmail,
                       @Nullable String approverRule, String connectorName, String toolName, @Nullable String callId,
                       String argumentsJson, String argumentsSha256, @Nullable String conversationId, Instant createdAt,
                       Instant expiresAt, @Nullable UUID decidedBy, @Nullable String decidedByEmail, @Nullable Instant decidedAt,
                       @Nullable String decisionComment, @Nullable String outcome, @Nullable Boolean outcomeError,
                       @Nullable Instant finishedAt) {

    static final String SHADOW = "SHADOW";
    static final String SUPERVISED = "SUPERVISED";

    static final String PROPOSED = "PROPOSED";
    static final String PENDING = "PENDING";
    /** Claimed by an approval and running now. */
    static final String APPROVED = "APPROVED";
    static final String EXECUTED = "EXECUTED";
    static final String FAILED = "FAILED";
    static final String REJECTED = "REJECTED";
    static final String EXPIRED = "EXPIRED";

    /** The status as a person should see it now: a pending request past its time is expired. */
    String statusAt(Instant now) {
        return status.equals(PENDING) && !now.isBefore(expiresAt) ? EXPIRED : status;
    }

    boolean argumentsIntact() {
        return sha256(argumentsJson).equals(argumentsSha256);
    }

    /** Lower-case hex SHA-256 of the arguments text exactly as the model sent it (UTF-8). */
    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
