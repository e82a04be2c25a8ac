package io.gatehouse.model;

import java.util.List;

/**
 * A finished completion: text, token usage, the provider's finish reason (stop, length, tool_calls ...),
 * the tool calls the model asked for (empty for a final answer), and the call's byte fingerprints.
 */
public record ModelResult(String text, Usage usage, String finishReason, List<ToolCall> toolCalls, Fingerprints fingerprints) {

    public ModelResult(String text, Usage usage, String finishReason) {
        this(text, usage, finishReason, List.of());
    }

    public ModelResult(String text, Usage usage, String finishReason, List<ToolCall> toolCalls) {
        this(text, usage, finishReason, toolCalls, Fingerprints.NONE);
    }

    public ModelResult withFingerprints(Fingerprints fingerprints) {
        return new ModelResult(text, usage, finishReason, toolCalls, fingerprints);
    }

    public boolean wantsTools() {
        return !toolCalls.isEmpty();
    }
}
