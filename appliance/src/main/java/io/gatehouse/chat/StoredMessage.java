package io.gatehouse.chat;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One message of a conversation. Assistant messages carry the model, token counts and a status:
 * {@code complete}, or {@code error} with the error shown to the user (partial text is kept). A complete answer
 * also carries what the output guardrail removed ({@code removals}, e.g. "1 API key"; never the removed text)
 * and its sanitized HTML rendering ({@code html}; null for the user's own messages and for partial answers).
 */
public record StoredMessage(String id, String role, String text, @Nullable String model,
                            int inputTokens, int outputTokens, String status, @Nullable String error, Instant createdAt,
                            List<ToolStep> toolSteps, List<String> removals, @Nullable String html) {

    /** The short notice shown under an answer the guardrail changed, or null. */
    public @Nullable String notice() {
        return removals == null || removals.isEmpty() ? null : "Removed by policy: " + String.join(", ", removals);
    }

    /** Evidence: the connectors and tools this answer used, each once ("demo · run_query"). */
    public String sources() {
        Set<String> used = new LinkedHashSet<>();
        for (ToolStep step : toolSteps) {
            used.add(step.connector() == null || step.connector().isBlank() ? step.tool() : step.connector() + " · " + step.tool());
        }
        return String.join(", ", used);
    }

    /** One tool call made while answering, as the chat shows it. */
    public record ToolStep(String connector, String tool, String arguments, boolean error, long durationMillis, @Nullable Integer rows) {
    }

    public static final String COMPLETE = "complete";
    public static final String ERROR = "error";
}
