package io.gatehouse.budget;

import io.micronaut.core.annotation.Nullable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.UUID;

/**
 * What a limit counts: one person's usage ({@code userId}) or everyone's (null), of one model or of all models
 * ({@link #ALL_MODELS}).
 */
record Counter(@Nullable UUID userId, String model) {

    static final String ALL_MODELS = "*";

    boolean everyone() {
        return userId == null;
    }

    boolean allModels() {
        return ALL_MODELS.equals(model);
    }

    /**
     * The PostgreSQL advisory lock that serialises check-and-reserve on this counter in this month, on every portal
     * node: the first 8 bytes of a SHA-256, so distinct counters practically never share a lock (and if two did,
     * they would only wait for each other, never overspend).
     */
    long lockKey(LocalDate month) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("gatehouse-budget|" + month + "|"
                    + (userId == null ? "everyone" : userId) + "|" + model).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
