package io.gatehouse.connector;

import io.micronaut.core.annotation.Nullable;

/**
 * What one tool call did: which connector and tool, the arguments, how long it took, rows returned when the
 * connector reports them, and the content handed back to the model (an error message when {@code error}).
 */
public record ToolOutcome(String callId, String connector, String tool, String argumentsJson, boolean error,
                          String content, long durationMillis, @Nullable Integer rows) {
}
