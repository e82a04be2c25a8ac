package io.gatehouse.connector.sdk;

import java.util.Objects;

/**
 * The successful outcome of a tool call: a value serialized as JSON text content (and, when it is a JSON
 * object, also as {@code structuredContent}), or plain text.
 */
public record ToolResult(Object value, String text) {

    public ToolResult {
        if ((value == null) == (text == null)) {
            throw new IllegalArgumentException("a tool result is either a JSON value or a text");
        }
    }

    /** A value (record, map, list ...) returned as JSON. */
    public static ToolResult json(Object value) {
        return new ToolResult(Objects.requireNonNull(value, "value"), null);
    }

    public static ToolResult text(String text) {
        return new ToolResult(null, Objects.requireNonNull(text, "text"));
    }
}
