package io.gatehouse.chat;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * One message of a conversation. Assistant messages carry the model, token counts and a status:
 * {@code complete}, or {@code error} with the error shown to the user (partial text is kept).
 */
public record StoredMessage(String id, String role, String text, @Nullable String model,
                            int inputTokens, int outputTokens, String status, @Nullable String error, Instant createdAt) {

    public static final String COMPLETE = "complete";
    public static final String ERROR = "error";
}
