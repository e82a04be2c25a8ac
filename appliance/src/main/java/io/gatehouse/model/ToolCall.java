package io.gatehouse.model;

/** A call the model asked for: the provider's call id, the tool name, and the arguments as JSON text (untrusted). */
public record ToolCall(String id, String name, String argumentsJson) {
}
