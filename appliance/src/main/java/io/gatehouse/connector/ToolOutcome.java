package io.gatehouse.connector;

import io.micronaut.core.annotation.Nullable;

/**
 * What one tool call did: which connector and tool, the arguments, how long it took, rows returned when the
 * connector reports them, and the content handed back to the model (an error message when {@code error}).
 * {@code hold} is set when an action did not run: proposed only (Shadow), waiting for an approval, or refused
 * by a limit.
 */
public record ToolOutcome(String callId, String connector, String tool, String argumentsJson, boolean error,
                          String content, long durationMillis, @Nullable Integer rows, @Nullable Hold hold) {

    public ToolOutcome(String callId, String connector, String tool, String argumentsJson, boolean error, String content,
                       long durationMillis, @Nullable Integer rows) {
        this(callId, connector, tool, argumentsJson, error, content, durationMillis, rows, null);
    }

    /** Why an action did not run: {@code kind} is proposed, awaiting-approval or refused. */
    public record Hold(String kind, @Nullable String approvalId) {
    }
}
