package io.gatehouse.chat;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/**
 * One message of a conversation. Assistant messages carry the model, token counts and a status:
 * {@code complete}, or {@code error} with the error shown to the user (partial text is kept).
 */
public record StoredMessage(String id, String role, String text, @Nullable String model,
                            int inputTokens, int outputTokens, String status, @Nullable String error, Instant createdAt,
                            List<ToolStep> toolSteps) {

    /** One tool call made while answering, as the chat shows it. */
    public record ToolStep(String connector, String tool, String arguments, boolean error, long durationMillis, @Nullable Integer rows) {
    }

    public static final String COMPLETE = "complete";
    public static final String ERROR = "error";
}
