package io.gatehouse.model;

/** A finished completion: full text, token usage, and the provider's finish reason (stop, length ...). */
public record ModelResult(String text, Usage usage, String finishReason) {
}
