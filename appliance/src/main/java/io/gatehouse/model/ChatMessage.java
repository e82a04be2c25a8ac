package io.gatehouse.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * One message of a conversation as sent to a model: role is system, user, assistant or tool. An assistant
 * message may carry the tool calls the model asked for; a tool message answers one of them by id.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(String role, @Nullable String content, @Nullable List<ToolCall> toolCalls, @Nullable String toolCallId) {

    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String TOOL = "tool";

    public ChatMessage(String role, String content) {
        this(role, content, null, null);
    }

    public static ChatMessage assistantToolCalls(String text, List<ToolCall> calls) {
        return new ChatMessage(ASSISTANT, text == null || text.isEmpty() ? null : text, List.copyOf(calls), null);
    }

    public static ChatMessage toolResult(String toolCallId, String content) {
        return new ChatMessage(TOOL, content, null, toolCallId);
    }
}
