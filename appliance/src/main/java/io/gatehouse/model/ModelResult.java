package io.gatehouse.model;

import java.util.List;

/**
 * A finished completion: text, token usage, the provider's finish reason (stop, length, tool_calls ...),
 * and the tool calls the model asked for (empty for a final answer).
 */
public record ModelResult(String text, Usage usage, String finishReason, List<ToolCall> toolCalls) {

    public ModelResult(String text, Usage usage, String finishReason) {
        this(text, usage, finishReason, List.of());
    }

    public boolean wantsTools() {
        return !toolCalls.isEmpty();
    }
}
